"""Changing a domain's devices (volume disks, NICs): live where libvirt can.

On a hypervisor that cannot change devices (libvirt's test driver), the
persistent definition gains or loses the device instead: the guest sees it
from its next start, which is all that hypervisor can do.
"""

from __future__ import annotations

from collections.abc import Callable

import libvirt

from nova_lite.common import exception

ErrorFactory = Callable[[str, libvirt.libvirtError], exception.VirtDriverError]


def change(connection: libvirt.virConnect, domain: libvirt.virDomain, device_xml: str,
           attach: bool, *, error: ErrorFactory, redefine: Callable[[str], str]) -> None:
    """Attach (or detach) ``device_xml``; ``redefine`` edits the inactive XML when
    the hypervisor has no device hotplug. libvirt errors become ``error(...)``."""
    flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG
    if domain.isActive():
        flags |= libvirt.VIR_DOMAIN_AFFECT_LIVE
    try:
        if attach:
            domain.attachDeviceFlags(device_xml, flags)
        else:
            domain.detachDeviceFlags(device_xml, flags)
        return
    except libvirt.libvirtError as exc:
        if exc.get_error_code() != libvirt.VIR_ERR_NO_SUPPORT:
            raise error(f'changing the devices of {domain.name()}', exc) from exc
    try:
        current = domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        connection.defineXML(redefine(current))
    except libvirt.libvirtError as exc:
        raise error(f'redefining {domain.name()}', exc) from exc
