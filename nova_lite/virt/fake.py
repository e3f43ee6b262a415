"""The fake virt driver: in-memory domains, the same libvirt.xml on disk.

Each FakeDriver instance is its own hypervisor (domains are not shared between
instances), so several fake compute hosts in one process stay apart. It writes
``libvirt.xml`` exactly as the libvirt driver does and follows the same
contract, so tests and the embedded cloud behave alike on either.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

from oslo_config import cfg

from nova_lite.common import exception, notifications
from nova_lite.virt import driver as base
from nova_lite.virt import interface_xml, power_state, volume_xml

LOG = logging.getLogger(__name__)

FAKE_VCPUS = 8
FAKE_MEMORY_MB = 16384
FAKE_LOCAL_GB = 200
FAKE_ARCH = 'x86_64'
HYPERVISOR_TYPE = 'fake'


@dataclasses.dataclass
class FakeDomain:
    name: str
    xml: str
    state: int
    console: list[str] = dataclasses.field(default_factory=list)


class FakeDriver(base.ComputeDriver):
    """A hypervisor that only pretends: 8 vCPUs, 16 GiB RAM, 200 GB unless configured."""

    domain_type = 'test'

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        super().__init__(conf)
        self._domains: dict[str, FakeDomain] = {}
        self._lock = threading.Lock()

    def guest_arch(self) -> str:
        return FAKE_ARCH

    def _local_gb(self) -> int:
        return int(self.conf.compute.disk_gb or FAKE_LOCAL_GB)

    def get_host_resources(self) -> dict[str, Any]:
        return self.host_resources(vcpus=FAKE_VCPUS, memory_mb=FAKE_MEMORY_MB,
                                   hypervisor_type=HYPERVISOR_TYPE,
                                   hypervisor_hostname=str(self.conf.host),
                                   architecture=FAKE_ARCH)

    def _domain(self, instance_id: str) -> FakeDomain:
        domain = self._domains.get(base.check_instance_id(instance_id))
        if domain is None:
            raise self.not_found(instance_id)
        return domain

    def spawn(self, instance: dict[str, Any], disk_path: str,
              network_info: list[dict[str, Any]], block_devices: list[dict[str, Any]],
              flavor: dict[str, Any], image: dict[str, Any],
              disk_format: str | None = None) -> dict[str, Any]:
        fmt = self.resolve_disk_format(disk_path, disk_format)
        guest = self.build_guest(instance, disk_path, fmt, network_info, block_devices,
                                 flavor, image)
        xml_path = self.write_guest_xml(guest)
        notifications.publish(notifications.GuestDefinitionWritten(
            instance_id=guest.uuid, path=xml_path, vcpus=guest.vcpus,
            memory_kib=guest.memory_kib, disks=len(guest.disks), nics=len(guest.interfaces)))
        with self._lock:
            domain = self._domains.get(guest.uuid)
            if domain is None:
                domain = FakeDomain(name=guest.name, xml=guest.to_xml(),
                                    state=power_state.SHUTDOWN)
                self._domains[guest.uuid] = domain
            domain.xml = guest.to_xml()
            domain.state = power_state.RUNNING
            domain.console.append(f'nova_lite fake console: {guest.name} booted\n')
        notifications.publish(notifications.DomainStarted(
            instance_id=guest.uuid, domain_name=guest.name, hypervisor='the fake hypervisor'))
        return {'domain_name': guest.name, 'xml_path': xml_path,
                'power_state': power_state.RUNNING}

    def attach_volume(self, instance_id: str, block_device: dict[str, Any]) -> None:
        with self._lock:
            domain = self._domain(instance_id)
            domain.xml = volume_xml.with_volume(domain.xml, block_device)

    def detach_volume(self, instance_id: str, volume_id: str) -> None:
        with self._lock:
            domain = self._domain(instance_id)
            domain.xml = volume_xml.without_volume(domain.xml, volume_id)

    def attach_interface(self, instance_id: str, vif: dict[str, Any]) -> None:
        with self._lock:
            domain = self._domain(instance_id)
            domain.xml = interface_xml.with_interface(domain.xml, vif)

    def detach_interface(self, instance_id: str, mac_address: str) -> None:
        with self._lock:
            domain = self._domain(instance_id)
            domain.xml = interface_xml.without_interface(domain.xml, mac_address)

    def destroy(self, instance_id: str) -> None:
        with self._lock:
            removed = self._domains.pop(base.check_instance_id(instance_id), None)
        if removed is not None:
            LOG.info('Destroyed and undefined fake domain %s', removed.name)

    def list_instance_ids(self) -> list[str]:
        with self._lock:
            return sorted(self._domains)

    def instance_exists(self, instance_id: str) -> bool:
        with self._lock:
            return base.check_instance_id(instance_id) in self._domains

    def get_power_state(self, instance_id: str) -> int:
        with self._lock:
            return self._domain(instance_id).state

    def _set_state(self, instance_id: str, state: int, line: str) -> None:
        with self._lock:
            domain = self._domain(instance_id)
            domain.state = state
            domain.console.append(f'nova_lite fake console: {domain.name} {line}\n')

    def power_on(self, instance_id: str) -> None:
        self._set_state(instance_id, power_state.RUNNING, 'powered on')

    def power_off(self, instance_id: str) -> None:
        self._set_state(instance_id, power_state.SHUTDOWN, 'powered off')

    def reboot(self, instance_id: str) -> None:
        self._set_state(instance_id, power_state.RUNNING, 'rebooted')

    def pause(self, instance_id: str) -> None:
        self._change_state(instance_id, (power_state.RUNNING,), power_state.PAUSED, 'paused')

    def unpause(self, instance_id: str) -> None:
        self._change_state(instance_id, (power_state.PAUSED,), power_state.RUNNING,
                           'unpaused')

    def suspend(self, instance_id: str) -> None:
        self._change_state(instance_id, (power_state.RUNNING, power_state.PAUSED),
                           power_state.SUSPENDED, 'suspended')

    def resume(self, instance_id: str) -> None:
        self._change_state(instance_id, (power_state.SUSPENDED,), power_state.RUNNING,
                           'resumed')

    def _change_state(self, instance_id: str, from_states: tuple[int, ...], state: int,
                      line: str) -> None:
        """Move the domain to ``state``: a no-op there already, Conflict from elsewhere."""
        with self._lock:
            domain = self._domain(instance_id)
            if domain.state == state:
                return
            if domain.state not in from_states:
                raise exception.Conflict(
                    reason=f'domain {domain.name} is {power_state.name(domain.state)}, '
                           f'not {" or ".join(power_state.name(s) for s in from_states)}')
            domain.state = state
            domain.console.append(f'nova_lite fake console: {domain.name} {line}\n')

    def get_console_output(self, instance_id: str) -> str:
        with self._lock:
            return ''.join(self._domain(instance_id).console)
