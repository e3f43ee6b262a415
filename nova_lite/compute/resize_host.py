"""What a compute host does for a resize (on itself) and a rebuild.

A resize keeps the guest's disk: a copy of it is kept beside it
(``disk.pre-resize``), the disk is grown to the new flavor's root size, and
the domain is undefined and defined again with the new flavor's vCPUs and
RAM (then started, or left off when it was off). Confirming removes the
copy; reverting puts the copy back and defines the domain with the old
flavor. A server that boots from a volume has no local disk: its resize only
defines the domain again with the new flavor (the root volume is not grown,
as in Nova). A rebuild destroys the domain and its disk and spawns it again from
the new image, as a boot does. Each step is idempotent, so a resumed flow
may ask again.
"""

from __future__ import annotations

import logging
import os
import shutil
from typing import Any

from nova_lite.common import exception
from nova_lite.virt import disk, power_state
from nova_lite.virt import driver as virt_driver
from nova_lite.virt.libvirt import config as guest_config

LOG = logging.getLogger(__name__)

BACKUP_NAME = 'disk.pre-resize'


def _disk_paths(driver: virt_driver.ComputeDriver, instance_id: str) -> tuple[str, str]:
    instance_dir = driver.instance_dir(instance_id)
    return os.path.join(instance_dir, disk.DISK_NAME), os.path.join(instance_dir, BACKUP_NAME)


def _redefine(driver: virt_driver.ComputeDriver, instance: dict[str, Any], disk_path: str,
              flavor: dict[str, Any], image: dict[str, Any],
              network_info: list[dict[str, Any]], block_devices: list[dict[str, Any]],
              running: bool) -> dict[str, Any]:
    """Undefine the domain and define (and start) it again on the same disk."""
    instance_id = instance['id']
    driver.destroy(instance_id)
    if guest_config.has_root_volume(block_devices):
        info = driver.spawn(instance, '', network_info, block_devices, flavor, image,
                            disk_format='raw')
    else:
        info = driver.spawn(instance, disk_path, network_info, block_devices, flavor, image,
                            disk_format=_format_of(disk_path))
    if not running:
        driver.power_off(instance_id)
    return {**info, 'power_state': driver.get_power_state(instance_id)}


def _format_of(disk_path: str) -> str:
    """The instance disk's format (a qcow2 overlay names its cached image as backing
    file, which is the point of it; 'raw' without qemu-img)."""
    return str(disk.image_info(disk_path).get('format') or 'raw')


def resize(driver: virt_driver.ComputeDriver, instance: dict[str, Any],
           flavor: dict[str, Any], image: dict[str, Any], network_info: list[dict[str, Any]],
           block_devices: list[dict[str, Any]]) -> dict[str, Any]:
    """Grow the disk to ``flavor`` (keeping a copy) and define the domain with it."""
    instance_id = virt_driver.check_instance_id(instance.get('id'), 'instance.id')
    disk_path, backup = _disk_paths(driver, instance_id)
    running = (not driver.instance_exists(instance_id)
               or driver.get_power_state(instance_id) == power_state.RUNNING)
    if guest_config.has_root_volume(block_devices):
        LOG.info('Resizing volume-backed %s to flavor %s', instance_id, flavor.get('id'))
        return _redefine(driver, instance, disk_path, flavor, image, network_info,
                         block_devices, running)
    if not os.path.isfile(disk_path):
        raise exception.NotFound(resource='Disk of instance', id=instance_id)
    if not os.path.exists(backup):
        shutil.copy2(disk_path, backup)
    root_gb = int(flavor.get('root_gb') or 0)
    if root_gb > 0:
        disk.grow(disk_path, _format_of(disk_path), root_gb * disk.GIB)
    LOG.info('Resizing %s to flavor %s (%d GiB root)', instance_id, flavor.get('id'), root_gb)
    return _redefine(driver, instance, disk_path, flavor, image, network_info, block_devices,
                     running)


def revert(driver: virt_driver.ComputeDriver, instance: dict[str, Any],
           flavor: dict[str, Any], image: dict[str, Any], network_info: list[dict[str, Any]],
           block_devices: list[dict[str, Any]]) -> dict[str, Any]:
    """Put the pre-resize disk back and define the domain with the old ``flavor``."""
    instance_id = virt_driver.check_instance_id(instance.get('id'), 'instance.id')
    disk_path, backup = _disk_paths(driver, instance_id)
    running = (not driver.instance_exists(instance_id)
               or driver.get_power_state(instance_id) == power_state.RUNNING)
    if os.path.exists(backup):
        os.replace(backup, disk_path)
    LOG.info('Reverting the resize of %s to flavor %s', instance_id, flavor.get('id'))
    return _redefine(driver, instance, disk_path, flavor, image, network_info, block_devices,
                     running)


def confirm(driver: virt_driver.ComputeDriver, instance_id: str) -> None:
    """Drop the pre-resize copy of the disk (nothing when it is gone)."""
    _, backup = _disk_paths(driver, virt_driver.check_instance_id(instance_id))
    try:
        os.unlink(backup)
    except FileNotFoundError:
        return
