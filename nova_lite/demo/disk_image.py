"""Makes the small disk image the demo uploads."""

from __future__ import annotations

import os
import shutil
import subprocess


def make_disk_image(directory: str, *, virtual_size_mb: int = 64) -> tuple[str, str]:
    """Write a small bootable-shaped disk image; returns (path, disk_format).

    A qcow2 image made with qemu-img where it is installed (a few hundred KiB on
    disk), else a raw image whose first sector carries an MBR signature.
    """
    os.makedirs(directory, exist_ok=True)
    if shutil.which('qemu-img'):
        path = os.path.join(directory, 'demo-disk.qcow2')
        subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', path,
                        f'{virtual_size_mb}M'], check=True, capture_output=True)
        return path, 'qcow2'
    path = os.path.join(directory, 'demo-disk.raw')
    with open(path, 'wb') as image:
        sector = bytearray(512)
        sector[510:512] = b'\x55\xaa'
        image.write(sector)
        image.truncate(1024 * 1024)
    return path, 'raw'
