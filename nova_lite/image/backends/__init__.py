"""Image store plugins, loaded by stevedore from ``nova_lite.image.stores``."""
