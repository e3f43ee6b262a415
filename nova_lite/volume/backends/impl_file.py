"""A volume backend that keeps each volume as a sparse raw file."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import uuid
from typing import Any

from oslo_config import cfg

from nova_lite.volume.backends import base, sparse

GIB = 1024 ** 3
_PREFIX = 'volume-'
_SNAPSHOT_PREFIX = 'snapshot-'
_COPY_CHUNK = 1024 * 1024
# Image API disk formats -> qemu-img's names (only these can be written into a volume).
_QEMU_FORMATS = {'raw': 'raw', 'qcow2': 'qcow2', 'vmdk': 'vmdk', 'vdi': 'vdi',
                 'vhd': 'vpc', 'vhdx': 'vhdx', 'iso': 'raw', 'ami': 'raw'}


class FileVolumeBackend(base.VolumeBackend):
    """Volumes are sparse files ``<[volume] volumes_dir>/volume-<id>``.

    Creating a volume only sets the file's length (no blocks are written), so a
    1 TiB volume costs nothing until the guest writes to it. The connection info
    names the file; the compute host maps it to a libvirt ``<disk type='file'>``.
    """

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        super().__init__(conf)
        self.volumes_dir = os.path.abspath(conf.volume.volumes_dir)

    def _path_for(self, volume_id: str, prefix: str = _PREFIX) -> str:
        try:
            canonical = str(uuid.UUID(volume_id))
        except (TypeError, ValueError, AttributeError) as exc:
            raise base.VolumeBackendError(reason=f'bad volume id {volume_id!r}') from exc
        return os.path.join(self.volumes_dir, prefix + canonical)

    def _checked_location(self, provider_location: str,
                          prefixes: tuple[str, ...] = (_PREFIX,)) -> str:
        """The location, refused unless it is a volume (or ``prefixes``) file in
        volumes_dir."""
        if not isinstance(provider_location, str):
            raise base.VolumeBackendError(reason='provider location must be a string')
        path = os.path.abspath(provider_location)
        if (os.path.dirname(path) != self.volumes_dir
                or not os.path.basename(path).startswith(prefixes)):
            raise base.VolumeBackendError(
                reason=f'{provider_location!r} is not a volume file of {self.volumes_dir}')
        return path

    @staticmethod
    def _checked_size(size_gb: int) -> int:
        if isinstance(size_gb, bool) or not isinstance(size_gb, int) or size_gb < 1:
            raise base.VolumeBackendError(reason=f'bad volume size {size_gb!r}')
        return size_gb

    def _new_file(self, path: str, size_gb: int, source: str | None = None) -> str:
        """Create ``path`` (never over an existing file) of ``size_gb`` GiB, holding
        ``source``'s bytes when given; on any failure nothing is left behind."""
        try:
            os.makedirs(self.volumes_dir, mode=0o750, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        except OSError as exc:
            raise base.VolumeBackendError(reason=f'cannot create {path}: {exc}') from exc
        try:
            if source is None:
                os.ftruncate(fd, size_gb * GIB)
            else:
                sparse.copy(source, fd, size_gb * GIB)
        except OSError as exc:
            os.close(fd)
            os.unlink(path)
            raise base.VolumeBackendError(reason=f'cannot fill {path}: {exc}') from exc
        os.close(fd)
        return path

    @staticmethod
    def _unlink(path: str) -> None:
        try:
            os.unlink(path)
        except OSError as exc:
            if exc.errno != errno.ENOENT:
                raise base.VolumeBackendError(reason=f'cannot delete {path}: {exc}') from exc

    def discard_leftovers(self, volume_id: str, *, snapshot: bool = False) -> None:
        """Remove the file a create of ``volume_id`` interrupted by a crash left
        (ids are new for each create, so such a file is that create's own)."""
        self._unlink(self._path_for(volume_id, _SNAPSHOT_PREFIX if snapshot else _PREFIX))

    def create_volume(self, volume_id: str, size_gb: int) -> str:
        return self._new_file(self._path_for(volume_id), self._checked_size(size_gb))

    def delete_volume(self, provider_location: str) -> None:
        self._unlink(self._checked_location(provider_location))

    def create_snapshot(self, snapshot_id: str, volume_location: str) -> str:
        source = self._checked_location(volume_location)
        if not os.path.isfile(source):
            raise base.VolumeBackendError(reason=f'volume file {source} is missing')
        size_gb = -(-os.path.getsize(source) // GIB)
        return self._new_file(self._path_for(snapshot_id, _SNAPSHOT_PREFIX), size_gb,
                              source=source)

    def delete_snapshot(self, provider_location: str) -> None:
        self._unlink(self._checked_location(provider_location, (_SNAPSHOT_PREFIX,)))

    def create_volume_from_source(self, volume_id: str, size_gb: int,
                                  source_location: str) -> str:
        source = self._checked_location(source_location, (_PREFIX, _SNAPSHOT_PREFIX))
        if not os.path.isfile(source):
            raise base.VolumeBackendError(reason=f'source file {source} is missing')
        if self._checked_size(size_gb) * GIB < os.path.getsize(source):
            raise base.VolumeBackendError(
                reason=f'{size_gb} GiB is smaller than the source {source}')
        return self._new_file(self._path_for(volume_id), size_gb, source=source)

    def revert_to_snapshot(self, provider_location: str, snapshot_location: str) -> None:
        path = self._checked_location(provider_location)
        source = self._checked_location(snapshot_location, (_SNAPSHOT_PREFIX,))
        try:
            size = os.path.getsize(path)
            fd = os.open(path, os.O_WRONLY | os.O_TRUNC)
        except OSError as exc:
            raise base.VolumeBackendError(reason=f'cannot open {path}: {exc}') from exc
        try:
            sparse.copy(source, fd, size)
        except OSError as exc:
            raise base.VolumeBackendError(reason=f'cannot revert {path}: {exc}') from exc
        finally:
            os.close(fd)

    def extend_volume(self, provider_location: str, new_size_gb: int) -> None:
        path = self._checked_location(provider_location)
        new_size = self._checked_size(new_size_gb) * GIB
        try:
            if os.path.getsize(path) > new_size:
                raise base.VolumeBackendError(reason=f'{path} is larger than {new_size_gb} GiB')
            os.truncate(path, new_size)
        except OSError as exc:
            raise base.VolumeBackendError(reason=f'cannot extend {path}: {exc}') from exc

    def initialize_connection(self, provider_location: str, host: str) -> dict[str, Any]:
        path = self._checked_location(provider_location)
        if not os.path.isfile(path):
            raise base.VolumeBackendError(reason=f'volume file {path} is missing')
        volume_id = os.path.basename(path)[len(_PREFIX):]
        return {'driver_volume_type': 'file',
                'data': {'device_path': path, 'format': 'raw', 'volume_id': volume_id}}

    def terminate_connection(self, provider_location: str, host: str) -> None:
        # A file needs no export, so there is nothing to withdraw.
        self._checked_location(provider_location)

    def exists(self, provider_location: str) -> bool:
        return os.path.isfile(self._checked_location(provider_location))

    def copy_image_to_volume(self, provider_location: str, image_path: str,
                             disk_format: str | None) -> None:
        """``qemu-img convert -n`` the image into the volume file (its size kept); a
        raw image is copied byte for byte where qemu-img is not installed."""
        path = self._checked_location(provider_location)
        fmt = _QEMU_FORMATS.get(disk_format or 'raw')
        if fmt is None:
            raise base.VolumeBackendError(
                reason=f'disk format {disk_format!r} cannot be written into a volume')
        binary = shutil.which('qemu-img')
        if binary is None:
            if fmt != 'raw':
                raise base.VolumeBackendError(
                    reason=f'qemu-img is needed to write a {fmt} image into a volume')
            _copy_raw(image_path, path)
            return
        argv = [binary, 'convert', '-n', '-f', fmt, '-O', 'raw', image_path, path]
        try:
            subprocess.run(argv, check=True, capture_output=True, text=True)
        except subprocess.CalledProcessError as exc:
            raise base.VolumeBackendError(
                reason=f'qemu-img convert failed: {(exc.stderr or exc.stdout).strip()}',
            ) from exc
        except OSError as exc:
            raise base.VolumeBackendError(reason=f'qemu-img convert failed: {exc}') from exc

    def copy_volume_to_image(self, provider_location: str, image_path: str,
                             disk_format: str) -> None:
        """``qemu-img convert`` the volume file to ``image_path`` in ``disk_format``;
        a raw image is a plain copy where qemu-img is not installed."""
        path = self._checked_location(provider_location)
        fmt = _QEMU_FORMATS.get(disk_format)
        if fmt is None:
            raise base.VolumeBackendError(
                reason=f'a volume cannot be written as a {disk_format!r} image')
        binary = shutil.which('qemu-img')
        if binary is None:
            if fmt != 'raw':
                raise base.VolumeBackendError(
                    reason=f'qemu-img is needed to write a {fmt} image of a volume')
            shutil.copyfile(path, image_path)
            return
        argv = [binary, 'convert', '-f', 'raw', '-O', fmt, path, image_path]
        try:
            subprocess.run(argv, check=True, capture_output=True, text=True)
        except subprocess.CalledProcessError as exc:
            raise base.VolumeBackendError(
                reason=f'qemu-img convert failed: {(exc.stderr or exc.stdout).strip()}',
            ) from exc
        except OSError as exc:
            raise base.VolumeBackendError(reason=f'qemu-img convert failed: {exc}') from exc


def _copy_raw(source: str, dest: str) -> None:
    """Copy ``source`` over the start of ``dest`` without truncating it."""
    try:
        with open(source, 'rb') as src, open(dest, 'r+b') as out:
            while chunk := src.read(_COPY_CHUNK):
                out.write(chunk)
    except OSError as exc:
        raise base.VolumeBackendError(reason=f'copying {source} failed: {exc}') from exc
