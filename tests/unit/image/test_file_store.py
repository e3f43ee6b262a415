"""The file image store: atomic writes, hashes, size cap, confinement to its dir."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.image.backends import base as store_base
from nova_lite.image.backends import impl_file
from tests.unit.image.conftest import store_files

DATA = os.urandom(200 * 1024 + 7)  # spans several read chunks


def _chunks(data: bytes, size: int = 10000) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def test_load_store_returns_file_store(store: store_base.ImageStore) -> None:
    assert isinstance(store, impl_file.FileStore)


def test_load_store_unknown_name(conf: cfg.ConfigOpts,
                                 image_override: Callable[[str, Any], None]) -> None:
    image_override('store', 'nonesuch')
    with pytest.raises(exception.NovaLiteError, match='nonesuch'):
        store_base.load_store(conf)


def test_add_get_delete_round_trip(conf: cfg.ConfigOpts,
                                   store: store_base.ImageStore) -> None:
    datadir = conf.image.filesystem_store_datadir
    assert not os.path.exists(datadir)  # created lazily
    stored = store.add('img-1', _chunks(DATA), size_cap=len(DATA))
    path = os.path.join(os.path.realpath(datadir), 'img-1')
    assert stored.location == 'file://' + path
    assert stored.size == len(DATA)
    assert stored.checksum == hashlib.md5(DATA).hexdigest()
    assert stored.os_hash_value == hashlib.sha512(DATA).hexdigest()
    assert store_files(conf) == ['img-1']
    assert store.exists(stored.location)
    chunks = list(store.get(stored.location))
    assert len(chunks) > 1
    assert b''.join(chunks) == DATA
    store.delete(stored.location)
    assert not store.exists(stored.location)
    assert store_files(conf) == []
    store.delete(stored.location)  # idempotent
    with pytest.raises(exception.NotFound):
        store.get(stored.location)


def test_empty_image(store: store_base.ImageStore) -> None:
    stored = store.add('empty', iter(()), size_cap=1)
    assert stored.size == 0
    assert stored.os_hash_value == hashlib.sha512(b'').hexdigest()
    assert b''.join(store.get(stored.location)) == b''


def test_size_cap_leaves_nothing(conf: cfg.ConfigOpts, store: store_base.ImageStore) -> None:
    with pytest.raises(exception.OverLimit) as raised:
        store.add('big', _chunks(DATA), size_cap=len(DATA) - 1)
    assert raised.value.code == 413
    assert store_files(conf) == []


def test_failing_iterator_leaves_nothing(conf: cfg.ConfigOpts,
                                         store: store_base.ImageStore) -> None:
    def broken() -> Iterator[bytes]:
        yield b'x' * 1000
        raise ConnectionResetError('client went away')

    with pytest.raises(ConnectionResetError):
        store.add('broken', broken(), size_cap=10 ** 6)
    assert store_files(conf) == []


def test_non_bytes_chunk_rejected(conf: cfg.ConfigOpts, store: store_base.ImageStore) -> None:
    with pytest.raises(exception.InvalidInput, match='data'):
        store.add('text', iter(['not bytes']), size_cap=100)  # type: ignore[list-item]
    assert store_files(conf) == []


def test_existing_image_not_overwritten(store: store_base.ImageStore) -> None:
    stored = store.add('once', iter([b'first']), size_cap=100)
    with pytest.raises(exception.Conflict):
        store.add('once', iter([b'second']), size_cap=100)
    assert b''.join(store.get(stored.location)) == b'first'


@pytest.mark.parametrize('image_id', ['../escape', '.hidden', 'a/b', ''])
def test_unsafe_image_id_rejected(conf: cfg.ConfigOpts, store: store_base.ImageStore,
                                  image_id: str) -> None:
    with pytest.raises(exception.InvalidInput):
        store.add(image_id, iter([b'x']), size_cap=100)
    assert not os.path.exists(os.path.join(conf.state_path, 'escape'))


def test_locations_outside_datadir_rejected(conf: cfg.ConfigOpts, tmp_path: os.PathLike[str],
                                            store: store_base.ImageStore) -> None:
    outside = os.path.join(str(tmp_path), 'victim')
    with open(outside, 'wb') as victim:
        victim.write(b'keep me')
    stored = store.add('inside', iter([b'x']), size_cap=100)
    sneaky = stored.location.rsplit('/', 1)[0] + '/../../victim'
    for location in ('file://' + outside, sneaky, outside, 'http://example.com/x'):
        for operation in (store.get, store.delete, store.exists):
            with pytest.raises(exception.InvalidInput):
                operation(location)
    with open(outside, 'rb') as victim:
        assert victim.read() == b'keep me'
