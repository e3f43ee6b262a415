"""The compute host's RPC server: builds, destroys and operates this host's instances.

A compute host never touches the database. A spawn request carries the
instance, flavor, image metadata, network info and block devices as plain
dicts; the image bytes come through the image cache (and its image client).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from typing import Any

import oslo_messaging
from oslo_config import cfg

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception, notifications
from nova_lite.compute import resize_host
from nova_lite.compute.rpcapi import RPC_API_VERSION
from nova_lite.virt import disk, imagecache, power_state
from nova_lite.virt import driver as virt_driver
from nova_lite.virt.libvirt import config as guest_config

LOG = logging.getLogger(__name__)


def _size(container: dict[str, Any], key: str, field: str) -> int:
    value = container.get(key) or 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise exception.InvalidInput(field=field, reason='must be a non-negative integer')
    return value



def report_interval(conf: cfg.ConfigOpts) -> float:
    """How often a compute host reports its resources to the scheduler: a third of
    [scheduler] service_down_time, so a live host never looks down."""
    return max(1.0, conf.scheduler.service_down_time / 3)

class ComputeManager:
    """The endpoint behind the ``nova_lite-compute`` topic for one host."""

    target = oslo_messaging.Target(version=RPC_API_VERSION)

    def __init__(self, conf: cfg.ConfigOpts, driver: virt_driver.ComputeDriver,
                 image_cache: imagecache.ImageCache, host: str | None = None,
                 images: protocols.ImageWriter | None = None) -> None:
        """``images``: where snapshots are uploaded (None: this host takes none)."""
        self.images = images
        self.conf = conf
        self.driver = driver
        self.image_cache = image_cache
        self.host = host or str(conf.host)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    def _instance_lock(self, instance_id: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(instance_id, threading.Lock())

    def init_host(self) -> None:
        self.driver.init_host()
        LOG.info('Compute host %s ready with %s; domains present: %s', self.host,
                 type(self.driver).__name__, len(self.driver.list_instance_ids()))

    # Spawn.

    def _validate_spawn(self, instance: Any, flavor: Any, image: Any, network_info: Any,
                        block_devices: Any) -> tuple[str, int]:
        """Checks the whole request before anything is made; returns (id, root GiB)."""
        if not isinstance(instance, dict):
            raise exception.InvalidInput(field='instance', reason='must be an object')
        instance_id = virt_driver.check_instance_id(instance.get('id'), 'instance.id')
        guest_config.metadata_for(instance, flavor, image, network_info)
        guest_config.interfaces_for(network_info)
        guest_config.volume_disks_for(block_devices)
        if guest_config.has_root_volume(block_devices):
            return instance_id, 0  # volume-backed: no image on this host, no local disk
        self.image_cache.cache_name(image)
        root_gb = max(_size(flavor, 'root_gb', 'flavor.root_gb'),
                      _size(image, 'min_disk', 'image.min_disk'))
        disk_format = image.get('disk_format')
        if disk_format is not None and disk.qemu_format(disk_format) is None:
            raise exception.InvalidInput(field='image.disk_format',
                                         reason=f'{disk_format!r} cannot boot an instance')
        return instance_id, root_gb

    def spawn_instance(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                       flavor: dict[str, Any], image: dict[str, Any],
                       network_info: list[dict[str, Any]],
                       block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        """Fetch the image, make the disk, write libvirt.xml, define and start.

        Returns {domain_name, xml_path, power_state, host}. Idempotent: a
        running domain of this instance is reported, not built again. On
        failure nothing is left (no domain, no instance directory):
        RetryableBuildError for hypervisor and disk failures, ImageCorrupt and
        4xx input errors as they are.
        """
        instance_id, root_gb = self._validate_spawn(instance, flavor, image, network_info,
                                                    block_devices)
        notifications.publish(notifications.SpawnReceived(
            instance_id=instance_id, host=self.host, instance_name=instance.get('name')))
        with self._instance_lock(instance_id):
            if self.driver.instance_exists(instance_id):
                info = self.driver.domain_info(instance_id)
                if info['power_state'] == power_state.RUNNING:
                    LOG.info('Instance %s already running on %s; spawn is a no-op',
                             instance_id, self.host)
                    return {**info, 'host': self.host}
                LOG.warning('Instance %s has a stopped domain on %s; rebuilding it',
                            instance_id, self.host)
                self.driver.destroy(instance_id)
            try:
                result = self._build(ctx, instance, flavor, image, network_info,
                                     block_devices, root_gb)
            except Exception as exc:
                self._clean_up_failed_build(instance_id)
                if isinstance(exc, exception.VirtDriverError | OSError):
                    raise exception.RetryableBuildError(
                        instance_id=instance_id, host=self.host,
                        reason=getattr(exc, 'message', None) or str(exc)) from exc
                if isinstance(exc, exception.NovaLiteError):
                    raise
                LOG.exception('Unexpected failure building %s', instance_id)
                raise exception.RetryableBuildError(instance_id=instance_id, host=self.host,
                                                    reason=f'unexpected error: {exc}') from exc
        return {**result, 'host': self.host}

    def _build(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
               flavor: dict[str, Any], image: dict[str, Any],
               network_info: list[dict[str, Any]], block_devices: list[dict[str, Any]],
               root_gb: int) -> dict[str, Any]:
        instance_id = instance['id']
        if guest_config.has_root_volume(block_devices):
            LOG.info('Instance %s boots from a volume: no local root disk', instance_id)
            os.makedirs(self.driver.instance_dir(instance_id), exist_ok=True)
            return self.driver.spawn(instance, '', network_info, block_devices, flavor,
                                     image, disk_format='raw')
        base_path = self.image_cache.fetch(ctx, image, instance_id=instance_id)
        instance_dir = self.driver.instance_dir(instance_id)
        os.makedirs(instance_dir, exist_ok=True)
        disk_path, disk_format = disk.create_instance_disk(
            base_path, instance_dir, root_gb, bool(self.conf.compute.use_cow_images),
            base_format=image.get('disk_format'))
        LOG.info('Instance %s root disk %s (%s, %d GiB)', instance_id, disk_path,
                 disk_format, root_gb)
        return self.driver.spawn(instance, disk_path, network_info, block_devices, flavor,
                                 image, disk_format=disk_format)

    def _clean_up_failed_build(self, instance_id: str) -> None:
        try:
            self.driver.destroy(instance_id)
        except Exception:
            LOG.exception('Could not destroy the domain of failed build %s', instance_id)
        self._remove_instance_dir(instance_id)

    def _remove_instance_dir(self, instance_id: str) -> None:
        path = self.driver.instance_dir(instance_id)
        try:
            shutil.rmtree(path)
        except FileNotFoundError:
            return
        except OSError:
            LOG.exception('Could not remove %s', path)

    # Destroy and the rest.

    def destroy_instance(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        """Destroy the domain and remove the instance directory (idempotent)."""
        virt_driver.check_instance_id(instance_id)
        with self._instance_lock(instance_id):
            self.driver.destroy(instance_id)
            self._remove_instance_dir(instance_id)
        LOG.info('Destroyed instance %s on %s', instance_id, self.host)

    def get_host_resources(self, ctx: nl_context.RequestContext) -> dict[str, Any]:
        """The driver's resources, plus this host's name and availability zone."""
        resources = self.driver.get_host_resources()
        zone = self.conf.compute.availability_zone or self.conf.default_availability_zone
        return {**resources, 'host': self.host, 'availability_zone': zone}

    def list_instance_ids(self, ctx: nl_context.RequestContext) -> list[str]:
        return self.driver.list_instance_ids()

    def get_power_state(self, ctx: nl_context.RequestContext, instance_id: str) -> int:
        return self.driver.get_power_state(virt_driver.check_instance_id(instance_id))

    def power_on(self, ctx: nl_context.RequestContext, instance_id: str) -> int:
        self.driver.power_on(virt_driver.check_instance_id(instance_id))
        return self.driver.get_power_state(instance_id)

    def power_off(self, ctx: nl_context.RequestContext, instance_id: str) -> int:
        self.driver.power_off(virt_driver.check_instance_id(instance_id))
        return self.driver.get_power_state(instance_id)

    def reboot(self, ctx: nl_context.RequestContext, instance_id: str) -> int:
        self.driver.reboot(virt_driver.check_instance_id(instance_id))
        return self.driver.get_power_state(instance_id)

    def pause(self, ctx: nl_context.RequestContext, instance_id: str) -> int:
        return self._power_change(instance_id, self.driver.pause)

    def unpause(self, ctx: nl_context.RequestContext, instance_id: str) -> int:
        return self._power_change(instance_id, self.driver.unpause)

    def suspend(self, ctx: nl_context.RequestContext, instance_id: str) -> int:
        return self._power_change(instance_id, self.driver.suspend)

    def resume(self, ctx: nl_context.RequestContext, instance_id: str) -> int:
        return self._power_change(instance_id, self.driver.resume)

    def _power_change(self, instance_id: str, change: Any) -> int:
        """Run one of the driver's power changes under the instance's lock; the new state."""
        virt_driver.check_instance_id(instance_id)
        with self._instance_lock(instance_id):
            change(instance_id)
            return self.driver.get_power_state(instance_id)

    def get_console_output(self, ctx: nl_context.RequestContext, instance_id: str) -> str:
        return self.driver.get_console_output(virt_driver.check_instance_id(instance_id))

    def snapshot_instance(self, ctx: nl_context.RequestContext, instance_id: str,
                          image_id: str, disk_format: str) -> dict[str, Any]:
        """Capture the instance's disk and upload it as the data of image ``image_id``.

        ``ctx`` carries the user's token: the upload is the user's. The disk is
        captured under the instance's lock into a file beside it, uploaded,
        and that file removed whatever happens. Returns {size} (bytes sent).
        """
        virt_driver.check_instance_id(instance_id)
        if self.images is None:
            raise exception.Conflict(reason=f'compute host {self.host} uploads no snapshots')
        capture = os.path.join(self.driver.instance_dir(instance_id),
                               f'snapshot-{virt_driver.check_instance_id(image_id, "image_id")}')
        try:
            with self._instance_lock(instance_id):
                self.driver.snapshot(instance_id, capture, disk_format)
            size = os.path.getsize(capture)
            with open(capture, 'rb') as data:
                self.images.upload_image(ctx, image_id, data)
        finally:
            try:
                os.unlink(capture)
            except FileNotFoundError:
                pass
        LOG.info('Uploaded a %d-byte snapshot of %s as image %s', size, instance_id, image_id)
        return {'size': size}

    def attach_volume(self, ctx: nl_context.RequestContext, instance_id: str,
                      block_device: dict[str, Any]) -> None:
        """Add an attached volume's disk ({volume_id, mountpoint, connection_info})."""
        virt_driver.check_instance_id(instance_id)
        with self._instance_lock(instance_id):
            self.driver.attach_volume(instance_id, block_device)

    def detach_volume(self, ctx: nl_context.RequestContext, instance_id: str,
                      volume_id: str) -> None:
        """Remove a volume's disk from the guest (no error when it is not there)."""
        virt_driver.check_instance_id(instance_id)
        with self._instance_lock(instance_id):
            self.driver.detach_volume(instance_id, volume_id)

    def attach_interface(self, ctx: nl_context.RequestContext, instance_id: str,
                         vif: dict[str, Any]) -> None:
        """Plug a bound port's NIC ({port_id, mac_address, ...}) into the guest."""
        virt_driver.check_instance_id(instance_id)
        with self._instance_lock(instance_id):
            self.driver.attach_interface(instance_id, vif)

    def detach_interface(self, ctx: nl_context.RequestContext, instance_id: str,
                         mac_address: str) -> None:
        """Unplug the NIC with this MAC from the guest (no error when it is not there)."""
        virt_driver.check_instance_id(instance_id)
        with self._instance_lock(instance_id):
            self.driver.detach_interface(instance_id, mac_address)
    # Resize (on this host) and rebuild (compute/resize_host.py).

    def resize_instance(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                        flavor: dict[str, Any], image: dict[str, Any],
                        network_info: list[dict[str, Any]],
                        block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        """Give the instance ``flavor``'s size, keeping its disk; the domain's info."""
        with self._instance_lock(virt_driver.check_instance_id(instance.get('id'))):
            return resize_host.resize(self.driver, instance, flavor, image, network_info,
                                      block_devices)

    def revert_resize(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                      flavor: dict[str, Any], image: dict[str, Any],
                      network_info: list[dict[str, Any]],
                      block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        """Put back the disk and the (old) ``flavor`` of before the resize."""
        with self._instance_lock(virt_driver.check_instance_id(instance.get('id'))):
            return resize_host.revert(self.driver, instance, flavor, image, network_info,
                                      block_devices)

    def confirm_resize(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        """Forget the disk of before the resize."""
        with self._instance_lock(virt_driver.check_instance_id(instance_id)):
            resize_host.confirm(self.driver, instance_id)

    def rebuild_instance(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                         flavor: dict[str, Any], image: dict[str, Any],
                         network_info: list[dict[str, Any]],
                         block_devices: list[dict[str, Any]]) -> dict[str, Any]:
        """Destroy the domain and its disk, then spawn it again from ``image``.

        ``ctx`` carries the user's token (the image is downloaded as the user).
        """
        self.destroy_instance(ctx, virt_driver.check_instance_id(instance.get('id')))
        return self.spawn_instance(ctx, instance, flavor, image, network_info, block_devices)
