"""The libvirt virt driver: domain XML (config.py) and the driver (driver.py)."""
