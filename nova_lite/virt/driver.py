"""The virt driver contract: what a compute host asks of its hypervisor.

A driver never sees the database: everything it needs arrives as plain dicts.
Drivers are loaded by name from the ``nova_lite.virt.drivers`` entry points
(see :mod:`nova_lite.virt.loader`).
"""

from __future__ import annotations

import abc
import logging
import os
import shutil
import uuid
from typing import Any

from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.virt import disk
from nova_lite.virt.libvirt import config as guest_config

LOG = logging.getLogger(__name__)

XML_FILE = 'libvirt.xml'
CONSOLE_LOG_FILE = 'console.log'
GIB = 1024 ** 3


def check_instance_id(instance_id: Any, field: str = 'instance_id') -> str:
    """``instance_id`` if it is a UUID string (it names files and domains)."""
    if not isinstance(instance_id, str):
        raise exception.InvalidInput(field=field, reason='must be a UUID string')
    try:
        parsed = uuid.UUID(instance_id)
    except ValueError as exc:
        raise exception.InvalidInput(field=field, reason='must be a UUID') from exc
    if str(parsed) != instance_id.lower():
        raise exception.InvalidInput(field=field, reason='must be a canonical UUID')
    return instance_id


def instance_id_from_domain_name(name: str) -> str | None:
    """The instance uuid in ``instance-<uuid>``; None for other domains."""
    if not name.startswith(guest_config.DOMAIN_NAME_PREFIX):
        return None
    candidate = name[len(guest_config.DOMAIN_NAME_PREFIX):]
    try:
        return check_instance_id(candidate)
    except exception.InvalidInput:
        return None


class ComputeDriver(abc.ABC):
    """Base of every virt driver; ``conf`` is the service's ConfigOpts."""

    #: The ``type`` attribute of the domains this driver writes.
    domain_type = 'test'

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf

    # Files an instance has on the host.

    @property
    def instances_path(self) -> str:
        return str(self.conf.compute.instances_path)

    def instance_dir(self, instance_id: str) -> str:
        return os.path.join(self.instances_path, check_instance_id(instance_id))

    def xml_path(self, instance_id: str) -> str:
        return os.path.join(self.instance_dir(instance_id), XML_FILE)

    def console_log_path(self, instance_id: str) -> str:
        return os.path.join(self.instance_dir(instance_id), CONSOLE_LOG_FILE)

    def build_guest(self, instance: dict[str, Any], disk_path: str, disk_format: str,
                    network_info: list[dict[str, Any]], block_devices: list[dict[str, Any]],
                    flavor: dict[str, Any], image: dict[str, Any],
                    ) -> guest_config.GuestConfig:
        """The domain config of a spawn request (raises InvalidInput on bad input)."""
        if not isinstance(instance, dict):
            raise exception.InvalidInput(field='instance', reason='must be an object')
        instance_id = check_instance_id(instance.get('id'), 'instance.id')
        return guest_config.guest_config_for(
            instance, flavor, image, network_info, block_devices, disk_path=disk_path,
            disk_format=disk_format, domain_type=self.domain_type, arch=self.guest_arch(),
            console_log=self.console_log_path(instance_id))

    def write_guest_xml(self, guest: guest_config.GuestConfig) -> str:
        """Writes ``<instances_path>/<uuid>/libvirt.xml``; returns its path."""
        path = self.xml_path(guest.uuid)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        partial = f'{path}.partial'
        with open(partial, 'w', encoding='utf-8') as out:
            out.write(guest.to_xml())
        os.replace(partial, path)
        for port_filter in guest.port_filters:  # each port's nwfilter, beside it
            filter_path = os.path.join(os.path.dirname(path), f'{port_filter.name}.xml')
            with open(f'{filter_path}.partial', 'w', encoding='utf-8') as out:
                out.write(port_filter.to_xml())
            os.replace(f'{filter_path}.partial', filter_path)
        return path

    @staticmethod
    def resolve_disk_format(disk_path: str, disk_format: str | None) -> str:
        """``disk_format``, else what qemu-img sees in the file ('raw' without one)."""
        if disk_format:
            return disk_format
        return disk.detect_format(disk_path) if os.path.exists(disk_path) else 'raw'

    def guest_arch(self) -> str:
        """The architecture written into ``<os><type arch=...>``."""
        return os.uname().machine

    # Host resources.

    def _local_gb(self) -> int:
        if self.conf.compute.disk_gb:
            return int(self.conf.compute.disk_gb)
        path = self.instances_path
        while not os.path.exists(path) and os.path.dirname(path) != path:
            path = os.path.dirname(path)
        return int(shutil.disk_usage(path).total // GIB)

    def host_resources(self, vcpus: int, memory_mb: int, hypervisor_type: str,
                       hypervisor_hostname: str, architecture: str) -> dict[str, Any]:
        """The get_host_resources dict, with [compute] overrides applied."""
        vcpus = int(self.conf.compute.vcpus or vcpus)
        memory_mb = int(self.conf.compute.memory_mb or memory_mb)
        return {'vcpus': vcpus, 'memory_mb': memory_mb, 'local_gb': self._local_gb(),
                'hypervisor_type': hypervisor_type,
                'hypervisor_hostname': hypervisor_hostname,
                'capabilities': {'hypervisor_type': hypervisor_type,
                                 'architecture': architecture}}

    # The contract.

    def init_host(self) -> None:
        """Called once when the compute service starts."""
        os.makedirs(self.instances_path, exist_ok=True)

    @abc.abstractmethod
    def get_host_resources(self) -> dict[str, Any]:
        """{vcpus, memory_mb, local_gb, hypervisor_type, hypervisor_hostname,
        capabilities{hypervisor_type, architecture}}."""

    @abc.abstractmethod
    def spawn(self, instance: dict[str, Any], disk_path: str,
              network_info: list[dict[str, Any]], block_devices: list[dict[str, Any]],
              flavor: dict[str, Any], image: dict[str, Any],
              disk_format: str | None = None) -> dict[str, Any]:
        """Write libvirt.xml, define and start the domain.

        Returns {domain_name, xml_path, power_state}. On failure nothing this
        call made is left defined, and VirtDriverError is raised.
        """

    @abc.abstractmethod
    def destroy(self, instance_id: str) -> None:
        """Stop and undefine the domain; no error when there is none."""

    @abc.abstractmethod
    def list_instance_ids(self) -> list[str]:
        """Instance uuids of the domains this host has (other domains ignored)."""

    @abc.abstractmethod
    def get_power_state(self, instance_id: str) -> int:
        """A :mod:`nova_lite.virt.power_state` value; NotFound without a domain."""

    @abc.abstractmethod
    def power_on(self, instance_id: str) -> None:
        """Start the domain (no-op when running)."""

    @abc.abstractmethod
    def power_off(self, instance_id: str) -> None:
        """Stop the domain at once (no-op when stopped)."""

    @abc.abstractmethod
    def reboot(self, instance_id: str) -> None:
        """Restart the domain (start it when stopped)."""

    @abc.abstractmethod
    def pause(self, instance_id: str) -> None:
        """Freeze the running guest in memory (libvirt's suspend); no-op when paused."""

    @abc.abstractmethod
    def unpause(self, instance_id: str) -> None:
        """Let a paused guest run again (libvirt's resume); no-op when running."""

    @abc.abstractmethod
    def suspend(self, instance_id: str) -> None:
        """Save the guest's memory to disk and stop it (libvirt's managed save)."""

    @abc.abstractmethod
    def resume(self, instance_id: str) -> None:
        """Start a suspended guest from its saved memory; no-op when running."""

    @abc.abstractmethod
    def get_console_output(self, instance_id: str) -> str:
        """What the guest wrote on its serial console so far."""

    def instance_exists(self, instance_id: str) -> bool:
        return check_instance_id(instance_id) in self.list_instance_ids()

    def attach_volume(self, instance_id: str, block_device: dict[str, Any]) -> None:
        """Add the volume's disk to the guest (idempotent); NotFound without a domain."""
        raise exception.VirtDriverError(host=self.conf.host,
                                        reason=f'{type(self).__name__} attaches no volumes')

    def detach_volume(self, instance_id: str, volume_id: str) -> None:
        """Remove the volume's disk from the guest (no error when it is not there)."""
        raise exception.VirtDriverError(host=self.conf.host,
                                        reason=f'{type(self).__name__} detaches no volumes')

    def attach_interface(self, instance_id: str, vif: dict[str, Any]) -> None:
        """Plug the port's NIC ({port_id, mac_address}) into the guest (idempotent);
        NotFound without a domain."""
        raise exception.VirtDriverError(host=self.conf.host,
                                        reason=f'{type(self).__name__} attaches no interfaces')

    def detach_interface(self, instance_id: str, mac_address: str) -> None:
        """Unplug the NIC with this MAC (no error when it is not there)."""
        raise exception.VirtDriverError(host=self.conf.host,
                                        reason=f'{type(self).__name__} detaches no interfaces')

    def snapshot(self, instance_id: str, dest_path: str, disk_format: str) -> None:
        """Capture the instance's root disk into ``dest_path`` as a ``disk_format`` image.

        The disk is the file spawn's host made in the instance directory; a
        domain on libvirt's test driver (and a fake one) has no other disk
        content, so that file is what the guest holds. NotFound without a domain.
        """
        check_instance_id(instance_id)
        if not self.instance_exists(instance_id):
            raise exception.NotFound(resource='Domain', id=instance_id)
        disk.export_disk(os.path.join(self.instance_dir(instance_id), disk.DISK_NAME),
                         dest_path, disk_format)

    def domain_info(self, instance_id: str) -> dict[str, Any]:
        """{domain_name, xml_path, power_state} of an existing domain."""
        return {'domain_name': guest_config.domain_name(instance_id),
                'xml_path': self.xml_path(instance_id),
                'power_state': self.get_power_state(instance_id)}

    @staticmethod
    def not_found(instance_id: str) -> exception.NotFound:
        return exception.NotFound(resource='Domain of instance', id=instance_id)
