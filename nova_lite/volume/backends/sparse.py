"""Copying sparse files without filling their holes (the file backend's copies)."""

from __future__ import annotations

import os

CHUNK = 1024 * 1024
_ZERO = bytes(CHUNK)


def _data_segments(fd: int, size: int) -> list[tuple[int, int]]:
    """(start, end) of each run of data in the file; the whole file when the
    filesystem cannot say where its holes are."""
    if not hasattr(os, 'SEEK_DATA'):
        return [(0, size)]
    segments = []
    offset = 0
    try:
        while offset < size:
            try:
                start = os.lseek(fd, offset, os.SEEK_DATA)
            except OSError:  # ENXIO: no data after offset
                break
            end = os.lseek(fd, start, os.SEEK_HOLE)
            segments.append((start, end))
            offset = end
    except OSError:
        return [(0, size)]
    return segments


def copy(source: str, target_fd: int, size: int) -> None:
    """Copy ``source`` into the open, empty ``target_fd``, then set its length to
    ``size`` (at least the source's). Zero blocks are skipped, so holes stay holes."""
    with open(source, 'rb') as src:
        source_size = os.fstat(src.fileno()).st_size
        for start, end in _data_segments(src.fileno(), source_size):
            src.seek(start)
            offset = start
            while offset < end:
                chunk = src.read(min(CHUNK, end - offset))
                if not chunk:
                    break
                if chunk != _ZERO[:len(chunk)]:
                    os.pwrite(target_fd, chunk, offset)
                offset += len(chunk)
    os.ftruncate(target_fd, max(size, source_size))
