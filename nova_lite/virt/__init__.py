"""Virt drivers: the hypervisor side of a compute host (libvirt, fake)."""
