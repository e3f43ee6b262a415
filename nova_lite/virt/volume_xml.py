"""A volume's ``<disk>`` added to, or removed from, a domain's XML definition.

Both drivers keep the guest's definition as libvirt XML; a volume attached
after boot is one more file-backed disk (its serial the volume id), found
again by that serial when it is detached.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from nova_lite.common import exception
from nova_lite.virt.libvirt import config as guest_config


def disk_xml(block_device: dict[str, Any]) -> str:
    """The ``<disk>`` element of one attached volume ({volume_id, mountpoint,
    connection_info}), as libvirt's attachDevice takes it."""
    [disk] = guest_config.volume_disks_for([block_device])
    return ET.tostring(disk.to_element(), encoding='unicode')


def _devices(root: ET.Element) -> ET.Element:
    devices = root.find('devices')
    if devices is None:
        devices = ET.SubElement(root, 'devices')
    return devices


def has_volume(domain_xml: str, volume_id: str) -> bool:
    root = ET.fromstring(domain_xml)
    return any(disk.findtext('serial') == volume_id for disk in _devices(root).iter('disk'))


def with_volume(domain_xml: str, block_device: dict[str, Any]) -> str:
    """``domain_xml`` with the volume's disk added (unchanged if it is there).

    InvalidInput when its device is already another disk's.
    """
    root = ET.fromstring(domain_xml)
    devices = _devices(root)
    volume_id = str(block_device.get('volume_id'))
    if any(disk.findtext('serial') == volume_id for disk in devices.iter('disk')):
        return domain_xml
    element = ET.fromstring(disk_xml(block_device))
    target = element.find('target')
    dev = target.get('dev') if target is not None else None
    for disk in devices.iter('disk'):
        other = disk.find('target')
        if other is not None and other.get('dev') == dev:
            raise exception.InvalidInput(field='mountpoint',
                                         reason=f'/dev/{dev} is already in use')
    devices.append(element)
    return ET.tostring(root, encoding='unicode')


def without_volume(domain_xml: str, volume_id: str) -> str:
    """``domain_xml`` with the volume's disk removed (unchanged if it is not there)."""
    root = ET.fromstring(domain_xml)
    devices = _devices(root)
    for disk in list(devices.iter('disk')):
        if disk.findtext('serial') == volume_id:
            devices.remove(disk)
    return ET.tostring(root, encoding='unicode')
