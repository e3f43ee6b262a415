"""Instance root disks: qcow2 overlays on the cached image, or copies."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess

import pytest

from nova_lite.common import exception
from nova_lite.virt import disk

needs_qemu_img = pytest.mark.skipif(shutil.which('qemu-img') is None,
                                    reason='qemu-img is not installed')


@pytest.fixture
def base_image(tmp_path: pathlib.Path) -> str:
    path = tmp_path / '_base' / 'image'
    path.parent.mkdir()
    path.write_bytes(b'\x00' * 4096 + b'nova_lite' * 100)
    return str(path)


def _info(path: str) -> dict:
    return json.loads(subprocess.run(['qemu-img', 'info', '--output=json', path],
                                     check=True, capture_output=True, text=True).stdout)


@needs_qemu_img
def test_overlay_is_backed_by_the_image(base_image, tmp_path):
    path, fmt = disk.create_instance_disk(base_image, str(tmp_path / 'inst'), 1, True,
                                          base_format='raw')
    assert (path, fmt) == (str(tmp_path / 'inst' / 'disk'), 'qcow2')
    info = _info(path)
    assert info['format'] == 'qcow2'
    assert info['backing-filename'] == base_image
    assert info['backing-filename-format'] == 'raw'
    assert info['virtual-size'] == 1024 ** 3
    assert os.path.getsize(path) < 1024 * 1024  # an overlay, not a copy


@needs_qemu_img
def test_overlay_detects_the_base_format_and_keeps_a_larger_image_size(base_image, tmp_path):
    qcow2_base = str(tmp_path / 'base.qcow2')
    subprocess.run(['qemu-img', 'create', '-f', 'qcow2', qcow2_base, '2G'], check=True,
                   capture_output=True)
    assert disk.detect_format(qcow2_base) == 'qcow2'
    path, fmt = disk.create_instance_disk(qcow2_base, str(tmp_path / 'inst'), 1, True)
    info = _info(path)
    assert (fmt, info['backing-filename-format']) == ('qcow2', 'qcow2')
    assert info['virtual-size'] == 2 * 1024 ** 3  # never smaller than the image


@needs_qemu_img
def test_image_with_a_backing_file_is_refused(base_image, tmp_path):
    sneaky = str(tmp_path / 'sneaky.qcow2')
    subprocess.run(['qemu-img', 'create', '-f', 'qcow2', '-F', 'raw', '-b', base_image,
                    sneaky], check=True, capture_output=True)
    with pytest.raises(exception.VirtDriverError):
        disk.create_instance_disk(sneaky, str(tmp_path / 'inst'), 1, True)


def test_copy_when_cow_is_off(base_image, tmp_path):
    path, fmt = disk.create_instance_disk(base_image, str(tmp_path / 'inst'), 1, False,
                                          base_format='raw')
    assert fmt == 'raw'
    assert os.path.getsize(path) == 1024 ** 3  # grown (sparsely) to the flavor's size
    with open(path, 'rb') as f:
        assert f.read(4096 + 900) == open(base_image, 'rb').read()


def test_copy_when_qemu_img_is_missing(base_image, tmp_path, monkeypatch):
    monkeypatch.setattr(disk.shutil, 'which', lambda name: None)
    path, fmt = disk.create_instance_disk(base_image, str(tmp_path / 'inst'), 0, True)
    assert fmt == 'raw'
    assert open(path, 'rb').read() == open(base_image, 'rb').read()


def test_failures_are_virt_driver_errors(tmp_path, base_image):
    with pytest.raises(exception.VirtDriverError):
        disk.create_instance_disk(str(tmp_path / 'missing'), str(tmp_path / 'inst'), 1, True)
    with pytest.raises(exception.VirtDriverError):
        disk.create_instance_disk(base_image, str(tmp_path / 'inst'), 1, True,
                                  base_format='ovf')
    with pytest.raises(exception.InvalidInput):
        disk.create_instance_disk(base_image, str(tmp_path / 'inst'), -1, True)


@needs_qemu_img
def test_qemu_img_failure_is_a_virt_driver_error(base_image, tmp_path):
    with pytest.raises(exception.VirtDriverError) as raised:
        disk.create_instance_disk(base_image, str(tmp_path / 'inst'), 1, True,
                                  base_format='qcow2')  # the file is raw: qemu-img refuses
    assert 'qemu-img create' in raised.value.message
