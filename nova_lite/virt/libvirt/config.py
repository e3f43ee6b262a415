"""Libvirt domain XML for an instance: a small config model rendered with ElementTree.

:class:`GuestConfig` and its parts hold exactly what goes into ``libvirt.xml``;
the ``*_for`` functions build them from the plain dicts a spawn request carries
(instance, flavor, image, network_info, block_devices) and raise
``InvalidInput`` naming the field when one of those is malformed.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from typing import Any

from nova_lite.common import exception
from nova_lite.virt.libvirt import nwfilter

NOVA_LITE_NS = 'http://nova-lite.dev/xmlns/libvirt/1.0'
NS_PREFIX = 'nova_lite'
DOMAIN_NAME_PREFIX = 'instance-'
ROOT_DEVICE = 'vda'
KIB_PER_MIB = 1024

_MAC_RE = re.compile(r'^[0-9a-f]{2}(:[0-9a-f]{2}){5}$')
_DEVICE_RE = re.compile(r'^vd[a-z]{1,2}$')
_TAP_PREFIX = 'tap'
_TAP_ID_LENGTH = 11  # 'tap' + 11 characters fits Linux's 15-character interface names


def domain_name(instance_id: str) -> str:
    """The libvirt domain name of an instance: ``instance-<uuid>``."""
    return f'{DOMAIN_NAME_PREFIX}{instance_id}'


def _sub(parent: ET.Element, tag: str, text: Any = None, **attrs: Any) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()
                                          if v is not None})
    if text is not None:
        element.text = str(text)
    return element


def _ns(tag: str) -> str:
    return f'{NS_PREFIX}:{tag}'


@dataclasses.dataclass(frozen=True)
class GuestDisk:
    """A file-backed disk: the root disk (vda) or a volume (vdb, vdc, ...)."""

    source_path: str
    target_dev: str
    driver_type: str = 'qcow2'
    bus: str = 'virtio'
    device: str = 'disk'
    serial: str | None = None
    # The disk's place in the boot order (<boot order='1'/>: a boot volume); None: none.
    boot_order: int | None = None

    def to_element(self) -> ET.Element:
        disk = ET.Element('disk', {'type': 'file', 'device': self.device})
        _sub(disk, 'driver', name='qemu', type=self.driver_type)
        _sub(disk, 'source', file=self.source_path)
        _sub(disk, 'target', dev=self.target_dev, bus=self.bus)
        if self.serial:
            _sub(disk, 'serial', self.serial)
        if self.boot_order is not None:
            _sub(disk, 'boot', order=self.boot_order)
        return disk


@dataclasses.dataclass(frozen=True)
class GuestInterface:
    """A NIC plugged into a tap device that the network side wires up."""

    mac: str
    target_dev: str
    model: str = 'virtio'
    filter_name: str | None = None  # the port's nwfilter (security groups)

    def to_element(self) -> ET.Element:
        interface = ET.Element('interface', {'type': 'ethernet'})
        _sub(interface, 'mac', address=self.mac)
        _sub(interface, 'target', dev=self.target_dev)
        _sub(interface, 'model', type=self.model)
        if self.filter_name:
            _sub(interface, 'filterref', filter=self.filter_name)
        return interface


@dataclasses.dataclass(frozen=True)
class GuestPort:
    """A port as recorded in the metadata (the devices carry only the MAC)."""

    port_id: str
    network_name: str
    ip_addresses: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class GuestMetadata:
    """What nova_lite records about the instance inside the domain."""

    instance_name: str
    flavor_name: str
    flavor_vcpus: int
    flavor_memory_mb: int
    flavor_disk_gb: int
    user_id: str
    project_id: str
    image_id: str | None
    ports: tuple[GuestPort, ...] = ()

    def to_element(self) -> ET.Element:
        root = ET.Element(_ns('instance'), {f'xmlns:{NS_PREFIX}': NOVA_LITE_NS})
        _sub(root, _ns('name'), self.instance_name)
        flavor = _sub(root, _ns('flavor'), name=self.flavor_name)
        _sub(flavor, _ns('memory'), self.flavor_memory_mb)
        _sub(flavor, _ns('disk'), self.flavor_disk_gb)
        _sub(flavor, _ns('vcpus'), self.flavor_vcpus)
        owner = _sub(root, _ns('owner'))
        _sub(owner, _ns('user'), self.user_id, uuid=self.user_id)
        _sub(owner, _ns('project'), self.project_id, uuid=self.project_id)
        if self.image_id:
            _sub(root, _ns('root'), type='image', uuid=self.image_id)
        if self.ports:
            ports = _sub(root, _ns('ports'))
            for port in self.ports:
                port_element = _sub(ports, _ns('port'), uuid=port.port_id,
                                    network=port.network_name)
                for address in port.ip_addresses:
                    _sub(port_element, _ns('ip'), type='fixed', address=address)
        return root


@dataclasses.dataclass
class GuestConfig:
    """A whole domain: renders ``libvirt.xml`` with :meth:`to_xml`."""

    name: str
    uuid: str
    memory_kib: int
    vcpus: int
    arch: str
    domain_type: str
    os_type: str = 'hvm'
    disks: list[GuestDisk] = dataclasses.field(default_factory=list)
    interfaces: list[GuestInterface] = dataclasses.field(default_factory=list)
    metadata: GuestMetadata | None = None
    console_log: str | None = None
    port_filters: list[nwfilter.PortFilter] = dataclasses.field(default_factory=list)

    def to_element(self) -> ET.Element:
        domain = ET.Element('domain', {'type': self.domain_type})
        _sub(domain, 'name', self.name)
        _sub(domain, 'uuid', self.uuid)
        if self.metadata is not None:
            _sub(domain, 'metadata').append(self.metadata.to_element())
        _sub(domain, 'memory', self.memory_kib, unit='KiB')
        _sub(domain, 'currentMemory', self.memory_kib, unit='KiB')
        _sub(domain, 'vcpu', self.vcpus)
        os_element = _sub(domain, 'os')
        _sub(os_element, 'type', self.os_type, arch=self.arch)
        if not any(disk.boot_order is not None for disk in self.disks):
            _sub(os_element, 'boot', dev='hd')  # libvirt refuses both kinds of boot order
        _sub(_sub(domain, 'features'), 'acpi')
        _sub(domain, 'clock', offset='utc')
        _sub(domain, 'on_poweroff', 'destroy')
        _sub(domain, 'on_reboot', 'restart')
        _sub(domain, 'on_crash', 'destroy')
        devices = _sub(domain, 'devices')
        for disk in self.disks:
            devices.append(disk.to_element())
        for interface in self.interfaces:
            devices.append(interface.to_element())
        serial = _sub(devices, 'serial', type='pty')
        if self.console_log:
            _sub(serial, 'log', file=self.console_log, append='on')
        _sub(serial, 'target', port=0)
        console = _sub(devices, 'console', type='pty')
        _sub(console, 'target', type='serial', port=0)
        return domain

    def to_xml(self) -> str:
        root = self.to_element()
        ET.indent(root, space='  ')
        return ET.tostring(root, encoding='unicode') + '\n'


# Building the model from a spawn request's dicts.

def _field(container: Any, key: str, field: str) -> Any:
    if not isinstance(container, dict) or key not in container:
        raise exception.InvalidInput(field=field, reason='is missing')
    return container[key]


def _text(container: Any, key: str, field: str) -> str:
    value = _field(container, key, field)
    if not isinstance(value, str) or not value:
        raise exception.InvalidInput(field=field, reason='must be a non-empty string')
    return value


def _integer(container: Any, key: str, field: str, minimum: int) -> int:
    value = _field(container, key, field)
    if isinstance(value, bool) or not isinstance(value, int):
        raise exception.InvalidInput(field=field, reason='must be an integer')
    if value < minimum:
        raise exception.InvalidInput(field=field, reason=f'must be at least {minimum}')
    return value


def _dict(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise exception.InvalidInput(field=field, reason='must be an object')
    return value


def _list(value: Any, field: str) -> list[Any]:
    if not isinstance(value, list):
        raise exception.InvalidInput(field=field, reason='must be a list')
    return value


def interfaces_for(network_info: Any) -> list[GuestInterface]:
    """One ``<interface>`` per port, in order."""
    interfaces = []
    for index, vif in enumerate(_list(network_info, 'network_info')):
        field = f'network_info[{index}]'
        mac = _text(vif, 'mac_address', f'{field}.mac_address').lower()
        if not _MAC_RE.match(mac):
            raise exception.InvalidInput(field=f'{field}.mac_address',
                                         reason=f'{mac!r} is not a MAC address')
        port_id = _text(vif, 'port_id', f'{field}.port_id')
        port_filter = nwfilter.port_filter_for(vif, field)
        interfaces.append(GuestInterface(
            mac=mac, target_dev=_TAP_PREFIX + port_id[:_TAP_ID_LENGTH],
            filter_name=port_filter.name if port_filter is not None else None))
    return interfaces


def ports_for(network_info: Any) -> tuple[GuestPort, ...]:
    ports = []
    for index, vif in enumerate(_list(network_info, 'network_info')):
        field = f'network_info[{index}]'
        vif = _dict(vif, field)
        fixed_ips = _list(vif.get('fixed_ips', []), f'{field}.fixed_ips')
        addresses = tuple(_text(ip, 'ip_address', f'{field}.fixed_ips[{n}].ip_address')
                          for n, ip in enumerate(fixed_ips))
        ports.append(GuestPort(port_id=_text(vif, 'port_id', f'{field}.port_id'),
                               network_name=str(vif.get('network_name') or ''),
                               ip_addresses=addresses))
    return tuple(ports)


def _next_free_device(used: set[str]) -> str:
    for letter in 'bcdefghijklmnopqrstuvwxyz':
        if f'vd{letter}' not in used:
            return f'vd{letter}'
    raise exception.InvalidInput(field='block_devices', reason='too many volumes')


def has_root_volume(block_devices: Any) -> bool:
    """Whether a volume is the root disk (boot_index 0): no local image disk then."""
    return any(isinstance(bdm, dict) and bdm.get('boot_index') == 0
               for bdm in _list(block_devices, 'block_devices'))


def volume_disks_for(block_devices: Any) -> list[GuestDisk]:
    """One file-backed ``<disk>`` per attached volume (vdb, vdc, ...; vda for a boot
    volume, which is first in the boot order)."""
    disks = []
    used = set() if has_root_volume(block_devices) else {ROOT_DEVICE}
    for index, bdm in enumerate(_list(block_devices, 'block_devices')):
        field = f'block_devices[{index}]'
        bdm = _dict(bdm, field)
        info = _field(bdm, 'connection_info', f'{field}.connection_info')
        volume_type = _text(info, 'driver_volume_type',
                            f'{field}.connection_info.driver_volume_type')
        if volume_type != 'file':
            raise exception.InvalidInput(
                field=f'{field}.connection_info.driver_volume_type',
                reason=f'{volume_type!r} is not supported (only "file")')
        data = _field(info, 'data', f'{field}.connection_info.data')
        path = _text(data, 'device_path', f'{field}.connection_info.data.device_path')
        if not path.startswith('/'):
            raise exception.InvalidInput(field=f'{field}.connection_info.data.device_path',
                                         reason='must be an absolute path')
        volume_format = str(data.get('format') or 'raw')
        mountpoint = bdm.get('mountpoint')
        if mountpoint:
            device = str(mountpoint).removeprefix('/dev/')
            if not _DEVICE_RE.match(device) or device in used:
                raise exception.InvalidInput(field=f'{field}.mountpoint',
                                             reason=f'{mountpoint!r} is not a free vdX device')
        else:
            device = _next_free_device(used)
        used.add(device)
        volume_id = bdm.get('volume_id')
        disks.append(GuestDisk(source_path=path, target_dev=device, driver_type=volume_format,
                               serial=str(volume_id) if volume_id else None,
                               boot_order=1 if bdm.get('boot_index') == 0 else None))
    return disks


def metadata_for(instance: Any, flavor: Any, image: Any,
                 network_info: Any) -> GuestMetadata:
    image_id = _dict(image, 'image').get('id')
    return GuestMetadata(
        instance_name=_text(instance, 'name', 'instance.name'),
        flavor_name=_text(flavor, 'name', 'flavor.name'),
        flavor_vcpus=_integer(flavor, 'vcpus', 'flavor.vcpus', 1),
        flavor_memory_mb=_integer(flavor, 'memory_mb', 'flavor.memory_mb', 1),
        flavor_disk_gb=_integer(flavor, 'root_gb', 'flavor.root_gb', 0),
        user_id=_text(instance, 'user_id', 'instance.user_id'),
        project_id=_text(instance, 'project_id', 'instance.project_id'),
        image_id=str(image_id) if image_id else None,
        ports=ports_for(network_info))


def guest_config_for(instance: dict[str, Any], flavor: dict[str, Any], image: dict[str, Any],
                     network_info: list[dict[str, Any]], block_devices: list[dict[str, Any]],
                     *, disk_path: str, disk_format: str, domain_type: str, arch: str,
                     console_log: str | None = None) -> GuestConfig:
    """The whole domain for a spawn request; raises InvalidInput on a bad field."""
    instance_id = _text(instance, 'id', 'instance.id')
    metadata = metadata_for(instance, flavor, image, network_info)
    # A volume-backed instance (a boot volume, no disk_path) has no local image disk.
    local = ([] if has_root_volume(block_devices) or not disk_path else
             [GuestDisk(source_path=disk_path, target_dev=ROOT_DEVICE, driver_type=disk_format)])
    volumes = sorted(volume_disks_for(block_devices), key=lambda d: d.boot_order is None)
    return GuestConfig(name=domain_name(instance_id), uuid=instance_id,
                       memory_kib=metadata.flavor_memory_mb * KIB_PER_MIB,
                       vcpus=metadata.flavor_vcpus, arch=arch, domain_type=domain_type,
                       disks=[*local, *volumes],
                       interfaces=interfaces_for(network_info), metadata=metadata,
                       console_log=console_log,
                       port_filters=nwfilter.port_filters_for(network_info))
