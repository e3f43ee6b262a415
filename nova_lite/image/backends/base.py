"""The image store plugin interface and its loader.

A store keeps image bytes and nothing else: the registry (``manager.py``) keeps
metadata and the opaque ``location`` string the store handed back. A store
computes the size and both digests while it writes, so the bytes are read once.
"""

from __future__ import annotations

import abc
import dataclasses
import hashlib
from collections.abc import Iterable, Iterator
from typing import Any

from oslo_config import cfg
from stevedore import driver as stevedore_driver
from stevedore import exception as stevedore_exc

from nova_lite.common import exception

STORE_NAMESPACE = 'nova_lite.image.stores'
HASH_ALGO = 'sha512'


@dataclasses.dataclass(frozen=True)
class StoredImage:
    """What a store reports after it kept an image's bytes."""

    location: str
    size: int
    checksum: str
    os_hash_value: str
    os_hash_algo: str = HASH_ALGO


class ChunkDigest:
    """Running size, md5 and secure hash (sha512 unless told) of chunks, with a size cap."""

    def __init__(self, size_cap: int, hash_algo: str = HASH_ALGO) -> None:
        self.size_cap = size_cap
        self.size = 0
        self.hash_algo = hash_algo
        self._md5 = hashlib.md5(usedforsecurity=False)
        self._secure = hashlib.new(hash_algo)

    def update(self, chunk: bytes) -> None:
        """Account for one chunk; raises OverLimit once the total passes the cap."""
        if not isinstance(chunk, bytes | bytearray):
            raise exception.InvalidInput(field='data',
                                         reason=f'chunks must be bytes, not '
                                                f'{type(chunk).__name__}')
        self.size += len(chunk)
        if self.size > self.size_cap:
            raise exception.OverLimit(
                reason=f'image data exceeds the size cap of {self.size_cap} bytes')
        self._md5.update(chunk)
        self._secure.update(chunk)

    def stored(self, location: str) -> StoredImage:
        return StoredImage(location=location, size=self.size,
                           checksum=self._md5.hexdigest(),
                           os_hash_value=self._secure.hexdigest(),
                           os_hash_algo=self.hash_algo)


class ImageStore(abc.ABC):
    """Keeps image bytes under opaque location strings."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf

    @abc.abstractmethod
    def add(self, image_id: str, chunks: Iterable[bytes], size_cap: int) -> StoredImage:
        """Store the chunks as ``image_id``'s bytes.

        Raises OverLimit past ``size_cap`` bytes. Whatever the failure (including
        one raised by the chunks iterator), nothing is left in the store.
        """

    @abc.abstractmethod
    def get(self, location: str) -> Iterator[bytes]:
        """Stream the bytes at ``location``; NotFound if there are none."""

    @abc.abstractmethod
    def delete(self, location: str) -> None:
        """Remove the bytes at ``location``; a missing location is not an error."""

    @abc.abstractmethod
    def exists(self, location: str) -> bool:
        """Whether bytes are kept at ``location``."""

    def owns(self, location: str) -> bool:
        """Whether ``location`` is one of this store's (so :meth:`get` may read it)."""
        return False


def load_store(conf: cfg.ConfigOpts, name: str | None = None,
               **kwargs: Any) -> ImageStore:
    """The store plugin ``name`` (default ``[image] store``), built with ``conf``, ``kwargs``."""
    name = name or conf.image.store
    try:
        manager: stevedore_driver.DriverManager[ImageStore] = stevedore_driver.DriverManager(
            namespace=STORE_NAMESPACE, name=name, invoke_on_load=True,
            invoke_args=(conf,), invoke_kwds=kwargs)
    except stevedore_exc.NoMatches:
        raise exception.NovaLiteError(
            f'No image store named {name!r} in entry point namespace '
            f'{STORE_NAMESPACE}') from None
    store = manager.driver
    if not isinstance(store, ImageStore):
        raise exception.NovaLiteError(
            f'Image store {name!r} is a {type(store).__name__}, not an ImageStore')
    return store


def verified_chunks(image_id: str, chunks: Iterable[bytes], expected_size: int | None,
                    expected_hash: str | None, hash_algo: str | None = None
                    ) -> Iterator[bytes]:
    """Pass ``chunks`` through; after the last one, raise ImageCorrupt on a mismatch.

    A consumer that writes to a temporary file and renames it only once the
    iteration ends cleanly never keeps corrupt bytes.
    """
    hash_algo = hash_algo or HASH_ALGO
    digest = hashlib.new(hash_algo)
    size = 0
    try:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            yield chunk
    except exception.NotFound:
        raise exception.ImageCorrupt(image_id=image_id,
                                     reason='its data vanished from the store') from None
    if expected_size is not None and size != expected_size:
        raise exception.ImageCorrupt(image_id=image_id,
                                     reason=f'read {size} bytes, expected {expected_size}')
    if digest.hexdigest() != expected_hash:
        raise exception.ImageCorrupt(image_id=image_id, reason=f'{hash_algo} mismatch')
