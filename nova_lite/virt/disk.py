"""Instance root disks made from a cached image: a qcow2 overlay, or a copy.

The image's declared disk format is used when the caller knows it (format
probing of user-supplied images is unsafe); ``qemu-img info`` is only a
fallback, and an image that itself names a backing file is refused.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess

from nova_lite.common import exception

LOG = logging.getLogger(__name__)

GIB = 1024 ** 3
DISK_NAME = 'disk'

# Image API disk formats -> qemu-img format names (None: not usable as a disk).
_QEMU_FORMATS: dict[str, str] = {
    'raw': 'raw', 'qcow2': 'qcow2', 'vmdk': 'vmdk', 'vdi': 'vdi', 'vhd': 'vpc',
    'vpc': 'vpc', 'iso': 'raw', 'ami': 'raw', 'aki': 'raw', 'ari': 'raw',
}


def _error(reason: str) -> exception.VirtDriverError:
    return exception.VirtDriverError(host=socket.gethostname(), reason=reason)


def qemu_img() -> str | None:
    """The qemu-img binary, or None where it is not installed."""
    return shutil.which('qemu-img')


def _run(argv: list[str], what: str) -> str:
    try:
        result = subprocess.run(argv, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as exc:
        raise _error(f'{what} failed: {(exc.stderr or exc.stdout).strip()}') from exc
    except OSError as exc:
        raise _error(f'{what} failed: {exc}') from exc
    return result.stdout


def qemu_format(disk_format: str | None) -> str | None:
    """The qemu-img name of an image API disk format (None if unknown)."""
    return _QEMU_FORMATS.get(disk_format or '')


def image_info(path: str) -> dict[str, object]:
    """``qemu-img info`` of ``path`` as a dict ({} where qemu-img is absent)."""
    binary = qemu_img()
    if binary is None:
        return {}
    output = _run([binary, 'info', '--output=json', path], f'qemu-img info {path}')
    try:
        info = json.loads(output)
    except ValueError as exc:
        raise _error(f'qemu-img info {path} printed no JSON') from exc
    return info if isinstance(info, dict) else {}


def detect_format(path: str) -> str:
    """The format qemu-img sees in ``path``; 'raw' when qemu-img is absent."""
    info = image_info(path)
    if info.get('backing-filename'):
        raise _error(f'{path} names a backing file; refusing to use it')
    return str(info.get('format') or 'raw')


def _virtual_size(path: str) -> int:
    size = image_info(path).get('virtual-size')
    return size if isinstance(size, int) else os.path.getsize(path)


def create_instance_disk(base_path: str, instance_dir: str, size_gb: int, use_cow: bool,
                         base_format: str | None = None) -> tuple[str, str]:
    """Make ``<instance_dir>/disk`` from the cached image at ``base_path``.

    A qcow2 overlay backed by the image when ``use_cow`` and qemu-img is
    installed, a copy of the image otherwise. ``size_gb`` is the disk's size
    (0: the image's own); a disk is never made smaller than its image.
    ``base_format`` is the image's declared disk format (detected when None).
    Returns ``(path, format)``; raises VirtDriverError on failure.
    """
    if isinstance(size_gb, bool) or not isinstance(size_gb, int) or size_gb < 0:
        raise exception.InvalidInput(field='size_gb', reason='must be a non-negative integer')
    if not os.path.isfile(base_path):
        raise _error(f'cached image {base_path} is missing')
    fmt = qemu_format(base_format) if base_format else detect_format(base_path)
    if fmt is None:
        raise _error(f'disk format {base_format!r} cannot back an instance disk')
    os.makedirs(instance_dir, exist_ok=True)
    path = os.path.join(instance_dir, DISK_NAME)
    binary = qemu_img()
    wanted = size_gb * GIB
    if use_cow and binary is not None:
        argv = [binary, 'create', '-f', 'qcow2', '-F', fmt, '-b', os.path.abspath(base_path),
                path]
        if wanted > _virtual_size(base_path):
            argv.append(f'{size_gb}G')
        _run(argv, f'qemu-img create {path}')
        LOG.debug('Created qcow2 overlay %s on %s (%s)', path, base_path, fmt)
        return path, 'qcow2'
    try:
        shutil.copyfile(base_path, path)
    except OSError as exc:
        raise _error(f'copying {base_path} failed: {exc}') from exc
    if wanted > 0:
        _grow(path, fmt, wanted, binary)
    LOG.debug('Copied %s to %s (%s)', base_path, path, fmt)
    return path, fmt


def _grow(path: str, fmt: str, wanted: int, binary: str | None) -> None:
    """Grow a copied disk to ``wanted`` bytes (never shrink it)."""
    if fmt == 'raw':
        if os.path.getsize(path) < wanted:
            os.truncate(path, wanted)  # sparse: no blocks are written
    elif binary is not None and wanted > _virtual_size(path):
        _run([binary, 'resize', '-f', fmt, path, str(wanted)], f'qemu-img resize {path}')


def grow(path: str, fmt: str, wanted: int) -> None:
    """Grow an instance disk to ``wanted`` bytes (a resize; never shrinks it)."""
    _grow(path, fmt, wanted, qemu_img())


def export_disk(disk_path: str, dest_path: str, disk_format: str) -> None:
    """Write the instance disk at ``disk_path`` to ``dest_path`` as one standalone
    image in ``disk_format`` (an image API format): what a snapshot uploads.

    With qemu-img the disk is converted (an overlay is flattened onto its
    backing image); without it the disk is a plain copy of its image (no
    overlays are made without qemu-img), which is already in that format.
    """
    fmt = qemu_format(disk_format)
    if fmt is None:
        raise _error(f'disk format {disk_format!r} cannot hold a snapshot')
    if not os.path.isfile(disk_path):
        raise _error(f'instance disk {disk_path} is missing')
    binary = qemu_img()
    if binary is None:
        try:
            shutil.copyfile(disk_path, dest_path)
        except OSError as exc:
            raise _error(f'copying {disk_path} failed: {exc}') from exc
        return
    _run([binary, 'convert', '-O', fmt, disk_path, dest_path], f'qemu-img convert {disk_path}')
