"""A port's ``<interface>`` added to, or removed from, a domain's XML definition.

An interface attached after boot is one more NIC of the guest, the same
element the boot writes (:func:`nova_lite.virt.libvirt.config.interfaces_for`),
found again by its MAC address when it is detached.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from nova_lite.virt.libvirt import config as guest_config


def interface_xml(vif: dict[str, Any]) -> str:
    """The ``<interface>`` element of one port ({port_id, mac_address}), as libvirt's
    attachDevice takes it (InvalidInput on a bad MAC or port id)."""
    [interface] = guest_config.interfaces_for([vif])
    return ET.tostring(interface.to_element(), encoding='unicode')


def _devices(root: ET.Element) -> ET.Element:
    devices = root.find('devices')
    if devices is None:
        devices = ET.SubElement(root, 'devices')
    return devices


def _mac_of(interface: ET.Element) -> str | None:
    mac = interface.find('mac')
    return None if mac is None else (mac.get('address') or '').lower()


def find_interface(domain_xml: str, mac_address: str) -> str | None:
    """The ``<interface>`` with this MAC in ``domain_xml``, as XML; None if there is none."""
    for interface in _devices(ET.fromstring(domain_xml)).iter('interface'):
        if _mac_of(interface) == mac_address.lower():
            return ET.tostring(interface, encoding='unicode')
    return None


def with_interface(domain_xml: str, vif: dict[str, Any]) -> str:
    """``domain_xml`` with the port's NIC added (unchanged if its MAC is there)."""
    element = ET.fromstring(interface_xml(vif))
    if find_interface(domain_xml, str(vif['mac_address'])) is not None:
        return domain_xml
    root = ET.fromstring(domain_xml)
    _devices(root).append(element)
    return ET.tostring(root, encoding='unicode')


def without_interface(domain_xml: str, mac_address: str) -> str:
    """``domain_xml`` with the NIC of this MAC removed (unchanged if it is not there)."""
    root = ET.fromstring(domain_xml)
    devices = _devices(root)
    for interface in list(devices.iter('interface')):
        if _mac_of(interface) == mac_address.lower():
            devices.remove(interface)
    return ET.tostring(root, encoding='unicode')
