"""The libvirt virt driver: libvirt.xml on disk, then a defined and started domain.

One connection per driver, opened on first use (``[libvirt] connection_uri``;
``test:///default`` is libvirt's in-process test hypervisor, shared by every
connection of a process). Every libvirt error becomes VirtDriverError.
"""

from __future__ import annotations

import logging
import os
import threading
import xml.etree.ElementTree as ET
from typing import Any

import libvirt
from oslo_config import cfg

from nova_lite.common import exception, notifications
from nova_lite.virt import driver as base
from nova_lite.virt import interface_xml, power_state, volume_xml
from nova_lite.virt.libvirt import config as guest_config
from nova_lite.virt.libvirt import devices, port_filters

LOG = logging.getLogger(__name__)

_POWER_STATES: dict[int, int] = {
    libvirt.VIR_DOMAIN_NOSTATE: power_state.NOSTATE,
    libvirt.VIR_DOMAIN_RUNNING: power_state.RUNNING,
    libvirt.VIR_DOMAIN_BLOCKED: power_state.RUNNING,
    libvirt.VIR_DOMAIN_PAUSED: power_state.PAUSED,
    libvirt.VIR_DOMAIN_SHUTDOWN: power_state.SHUTDOWN,
    libvirt.VIR_DOMAIN_SHUTOFF: power_state.SHUTDOWN,
    libvirt.VIR_DOMAIN_CRASHED: power_state.CRASHED,
    libvirt.VIR_DOMAIN_PMSUSPENDED: power_state.SUSPENDED,
}
_UNDEFINE_FLAGS = (libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
                   | libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
_CONSOLE_TAIL_BYTES = 100 * 1024


def _ignore_libvirt_error(_ctx: Any, _error: Any) -> None:
    """libvirt prints every error to stderr by default; they are raised instead."""


class LibvirtDriver(base.ComputeDriver):
    """Domains on the hypervisor at ``[libvirt] connection_uri``."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        super().__init__(conf)
        self.uri = str(conf.libvirt.connection_uri)
        self.domain_type = ('test' if self.uri.startswith('test:')
                            else str(conf.libvirt.virt_type))
        self._conn: libvirt.virConnect | None = None
        self._conn_lock = threading.Lock()
        self._arch: str | None = None
        libvirt.registerErrorHandler(_ignore_libvirt_error, None)

    def _note_on_console(self, instance_id: str, *lines: str) -> None:
        """On libvirt's test hypervisor no guest runs to write the serial console log:
        the driver writes its own lines there (what it did to the domain), so the
        console output API shows the guest's life. A real hypervisor's guest writes
        the log itself, and nothing is added."""
        if self.domain_type != 'test':
            return
        try:
            with open(self.console_log_path(instance_id), 'a', encoding='utf-8') as log:
                log.writelines(f'nova_lite test hypervisor: {line}\n' for line in lines)
        except OSError as exc:
            LOG.warning('Cannot write the console log of %s: %s', instance_id, exc)

    def _error(self, what: str, exc: libvirt.libvirtError) -> exception.VirtDriverError:
        return exception.VirtDriverError(host=self.conf.host,
                                         reason=f'{what}: {exc.get_error_message() or exc}')

    @property
    def connection(self) -> libvirt.virConnect:
        """The driver's connection, opened (or reopened when it died) on demand."""
        with self._conn_lock:
            if self._conn is not None:
                try:
                    if self._conn.isAlive():
                        return self._conn
                except libvirt.libvirtError:
                    LOG.warning('Connection to %s lost; reopening', self.uri)
            try:
                self._conn = libvirt.open(self.uri)
            except libvirt.libvirtError as exc:
                raise self._error(f'cannot connect to {self.uri}', exc) from exc
            LOG.info('Connected to libvirt at %s', self.uri)
            return self._conn

    def _lookup(self, instance_id: str) -> libvirt.virDomain | None:
        name = guest_config.domain_name(base.check_instance_id(instance_id))
        try:
            return self.connection.lookupByName(name)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return None
            raise self._error(f'looking up {name}', exc) from exc

    def _domain(self, instance_id: str) -> libvirt.virDomain:
        domain = self._lookup(instance_id)
        if domain is None:
            raise self.not_found(instance_id)
        return domain

    # Host.

    def init_host(self) -> None:
        super().init_host()
        _ = self.connection

    def guest_arch(self) -> str:
        if self._arch is None:
            try:
                caps = ET.fromstring(self.connection.getCapabilities())
            except libvirt.libvirtError as exc:
                raise self._error('reading capabilities', exc) from exc
            self._arch = caps.findtext('./host/cpu/arch') or super().guest_arch()
        return self._arch

    def get_host_resources(self) -> dict[str, Any]:
        conn = self.connection
        try:
            info = conn.getInfo()
            hypervisor_type = conn.getType()
            hostname = conn.getHostname()
        except libvirt.libvirtError as exc:
            raise self._error('reading host resources', exc) from exc
        return self.host_resources(vcpus=int(info[2]), memory_mb=int(info[1]),
                                   hypervisor_type=hypervisor_type,
                                   hypervisor_hostname=hostname,
                                   architecture=self.guest_arch())

    # Instances.

    def spawn(self, instance: dict[str, Any], disk_path: str,
              network_info: list[dict[str, Any]], block_devices: list[dict[str, Any]],
              flavor: dict[str, Any], image: dict[str, Any],
              disk_format: str | None = None) -> dict[str, Any]:
        fmt = self.resolve_disk_format(disk_path, disk_format)
        guest = self.build_guest(instance, disk_path, fmt, network_info, block_devices,
                                 flavor, image)
        instance_id = guest.uuid
        xml_path = self.write_guest_xml(guest)
        notifications.publish(notifications.GuestDefinitionWritten(
            instance_id=instance_id, path=xml_path, vcpus=guest.vcpus,
            memory_kib=guest.memory_kib, disks=len(guest.disks), nics=len(guest.interfaces)))
        existed = self._lookup(instance_id) is not None
        port_filters.define(self.connection, guest, error=self._error)
        try:
            domain = self.connection.defineXML(guest.to_xml())
        except libvirt.libvirtError as exc:
            raise self._error(f'defining {guest.name}', exc) from exc
        try:
            domain.create()
        except libvirt.libvirtError as exc:
            if not existed:
                self._undefine(domain)
            raise self._error(f'starting {guest.name}', exc) from exc
        self._note_on_console(
            instance_id, f'{guest.name} started (no guest runs here: these lines are the '
            "driver's)",
            f'{guest.vcpus} vCPU(s), {guest.memory_kib // 1024} MiB of memory',
            *(f'disk {disk.target_dev}: {disk.source_path}' for disk in guest.disks),
            *(f'nic {nic.target_dev}: {nic.mac}' for nic in guest.interfaces),
            'boot finished')
        state = self.get_power_state(instance_id)
        notifications.publish(notifications.DomainStarted(
            instance_id=instance_id, domain_name=guest.name, hypervisor=self.uri,
            power_state=power_state.name(state)))
        return {'domain_name': guest.name, 'xml_path': xml_path, 'power_state': state}

    def _undefine(self, domain: libvirt.virDomain) -> None:
        try:
            domain.undefineFlags(_UNDEFINE_FLAGS)
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                return
            try:
                domain.undefine()
            except libvirt.libvirtError as again:
                if again.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                    raise self._error(f'undefining {domain.name()}', again) from again

    def _stop(self, domain: libvirt.virDomain) -> None:
        try:
            if domain.isActive():
                domain.destroy()
        except libvirt.libvirtError as exc:
            if exc.get_error_code() not in (libvirt.VIR_ERR_NO_DOMAIN,
                                            libvirt.VIR_ERR_OPERATION_INVALID):
                raise self._error(f'stopping {domain.name()}', exc) from exc

    def destroy(self, instance_id: str) -> None:
        domain = self._lookup(instance_id)
        if domain is None:
            LOG.debug('No domain for instance %s to destroy', instance_id)
            return
        filters = port_filters.names_in(domain)
        self._stop(domain)
        self._undefine(domain)
        port_filters.undefine(self.connection, filters)
        LOG.info('Destroyed and undefined domain %s', domain.name())

    def list_instance_ids(self) -> list[str]:
        try:
            domains = self.connection.listAllDomains(0)
        except libvirt.libvirtError as exc:
            raise self._error('listing domains', exc) from exc
        ids = (base.instance_id_from_domain_name(domain.name()) for domain in domains)
        return sorted(instance_id for instance_id in ids if instance_id)

    def instance_exists(self, instance_id: str) -> bool:
        return self._lookup(instance_id) is not None

    def get_power_state(self, instance_id: str) -> int:
        domain = self._domain(instance_id)
        try:
            state = domain.state()[0]
        except libvirt.libvirtError as exc:
            if exc.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
                raise self.not_found(instance_id) from exc
            raise self._error(f'reading the state of {domain.name()}', exc) from exc
        if state == libvirt.VIR_DOMAIN_SHUTOFF and self._has_saved_memory(domain):
            return power_state.SUSPENDED
        return _POWER_STATES.get(state, power_state.NOSTATE)

    @staticmethod
    def _has_saved_memory(domain: libvirt.virDomain) -> bool:
        """Whether a stopped domain was suspended (its memory saved by managedSave)."""
        try:
            return bool(domain.hasManagedSaveImage(0))
        except libvirt.libvirtError:
            return False

    def power_on(self, instance_id: str) -> None:
        domain = self._domain(instance_id)
        try:
            if not domain.isActive():
                domain.create()
        except libvirt.libvirtError as exc:
            raise self._error(f'starting {domain.name()}', exc) from exc
        self._note_on_console(instance_id, f'{domain.name()} powered on')

    def power_off(self, instance_id: str) -> None:
        domain = self._domain(instance_id)
        self._stop(domain)
        self._note_on_console(instance_id, f'{domain.name()} powered off')

    def reboot(self, instance_id: str) -> None:
        domain = self._domain(instance_id)
        try:
            if domain.isActive():
                domain.reboot(0)
            else:
                domain.create()
        except libvirt.libvirtError as exc:
            raise self._error(f'rebooting {domain.name()}', exc) from exc
        self._note_on_console(instance_id, f'{domain.name()} rebooted')

    # Nova's pause is libvirt's suspend (the guest frozen in memory); Nova's
    # suspend is libvirt's managed save (memory to disk, domain stopped).

    # Volumes: attached live where libvirt can; on a driver that cannot (the
    # test driver), the persistent definition gains the disk (the guest sees
    # it from its next start), which is all that hypervisor can do.

    def attach_volume(self, instance_id: str, block_device: dict[str, Any]) -> None:
        domain = self._domain(instance_id)
        volume_id = str(block_device.get('volume_id'))
        if volume_xml.has_volume(domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE), volume_id):
            return
        devices.change(self.connection, domain, volume_xml.disk_xml(block_device), True,
                       error=self._error,
                       redefine=lambda xml: volume_xml.with_volume(xml, block_device))

    def detach_volume(self, instance_id: str, volume_id: str) -> None:
        domain = self._domain(instance_id)
        current = domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        if not volume_xml.has_volume(current, volume_id):
            return
        root = ET.fromstring(current)
        [disk] = [d for d in root.iter('disk') if d.findtext('serial') == volume_id]
        devices.change(self.connection, domain, ET.tostring(disk, encoding='unicode'), False,
                       error=self._error,
                       redefine=lambda xml: volume_xml.without_volume(xml, volume_id))

    # Interfaces: plugged the same way as volumes (live where libvirt can, else
    # into the persistent definition), found again by their MAC.

    def attach_interface(self, instance_id: str, vif: dict[str, Any]) -> None:
        domain = self._domain(instance_id)
        mac = str(vif.get('mac_address'))
        if interface_xml.find_interface(domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE),
                                        mac) is not None:
            return
        devices.change(self.connection, domain, interface_xml.interface_xml(vif), True,
                       error=self._error,
                       redefine=lambda xml: interface_xml.with_interface(xml, vif))

    def detach_interface(self, instance_id: str, mac_address: str) -> None:
        domain = self._domain(instance_id)
        current = domain.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
        element = interface_xml.find_interface(current, mac_address)
        if element is None:
            return
        devices.change(self.connection, domain, element, False, error=self._error,
                       redefine=lambda xml: interface_xml.without_interface(xml, mac_address))

    def pause(self, instance_id: str) -> None:
        domain = self._domain(instance_id)
        try:
            if domain.state()[0] != libvirt.VIR_DOMAIN_PAUSED:
                domain.suspend()
        except libvirt.libvirtError as exc:
            raise self._error(f'pausing {domain.name()}', exc) from exc

    def unpause(self, instance_id: str) -> None:
        domain = self._domain(instance_id)
        try:
            if domain.state()[0] == libvirt.VIR_DOMAIN_PAUSED:
                domain.resume()
        except libvirt.libvirtError as exc:
            raise self._error(f'unpausing {domain.name()}', exc) from exc

    def suspend(self, instance_id: str) -> None:
        domain = self._domain(instance_id)
        try:
            if domain.isActive():
                domain.managedSave(0)
        except libvirt.libvirtError as exc:
            raise self._error(f'suspending {domain.name()}', exc) from exc

    def resume(self, instance_id: str) -> None:
        domain = self._domain(instance_id)
        try:
            if not domain.isActive():
                domain.create()
        except libvirt.libvirtError as exc:
            raise self._error(f'resuming {domain.name()}', exc) from exc

    def get_console_output(self, instance_id: str) -> str:
        self._domain(instance_id)
        path = self.console_log_path(instance_id)
        try:
            with open(path, 'rb') as f:
                f.seek(max(0, os.path.getsize(path) - _CONSOLE_TAIL_BYTES))
                return f.read().decode('utf-8', errors='replace')
        except FileNotFoundError:
            return ''
