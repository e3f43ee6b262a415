"""The volume backend interface and its stevedore loader."""

from __future__ import annotations

import abc
from typing import Any

from oslo_config import cfg
from stevedore import driver

from nova_lite.common import exception

NAMESPACE = 'nova_lite.volume.backends'


class VolumeBackendError(exception.NovaLiteError):
    """The storage backend failed to carry out an operation."""

    msg_fmt = 'Volume backend error: %(reason)s'
    code = 500


class VolumeBackend(abc.ABC):
    """Where volume bytes live. The manager keeps all state; a backend only stores.

    ``provider_location`` is the backend's own opaque handle for a volume: the
    manager records what ``create_volume`` returned and hands it back later.
    """

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.conf = conf

    @abc.abstractmethod
    def create_volume(self, volume_id: str, size_gb: int) -> str:
        """Allocate a volume of ``size_gb`` GiB; return its provider location."""

    @abc.abstractmethod
    def delete_volume(self, provider_location: str) -> None:
        """Free the volume; succeed quietly when it is already gone."""

    @abc.abstractmethod
    def initialize_connection(self, provider_location: str, host: str) -> dict[str, Any]:
        """Export the volume to ``host``; return the connection info it needs."""

    @abc.abstractmethod
    def terminate_connection(self, provider_location: str, host: str) -> None:
        """Withdraw the export made for ``host`` (idempotent)."""

    @abc.abstractmethod
    def exists(self, provider_location: str) -> bool:
        """Whether the backend still holds the volume."""

    def discard_leftovers(self, volume_id: str, *, snapshot: bool = False) -> None:
        """Free whatever an interrupted create of ``volume_id`` (a snapshot's id
        with ``snapshot``) may have left, so that the create can run again.

        A resumed flow re-runs the storage task a crash interrupted; this makes
        that re-run start clean. A backend whose creates leave nothing when
        interrupted need not override it.
        """
        return None

    # -- snapshots, clones and extend (optional: a backend without them refuses) --

    def create_snapshot(self, snapshot_id: str, volume_location: str) -> str:
        """Copy the volume's current bytes; return the snapshot's provider location."""
        raise VolumeBackendError(reason=f'{type(self).__name__} cannot take snapshots')

    def delete_snapshot(self, provider_location: str) -> None:
        """Free the snapshot; succeed quietly when it is already gone."""
        raise VolumeBackendError(reason=f'{type(self).__name__} cannot delete snapshots')

    def create_volume_from_source(self, volume_id: str, size_gb: int,
                                  source_location: str) -> str:
        """A new volume of ``size_gb`` GiB holding the bytes at ``source_location``
        (a snapshot's or another volume's location); return its provider location."""
        raise VolumeBackendError(reason=f'{type(self).__name__} cannot copy volumes')

    def revert_to_snapshot(self, provider_location: str, snapshot_location: str) -> None:
        """Put the snapshot's bytes back into the volume (same size)."""
        raise VolumeBackendError(reason=f'{type(self).__name__} cannot revert volumes')

    def extend_volume(self, provider_location: str, new_size_gb: int) -> None:
        """Grow the volume to ``new_size_gb`` GiB (its bytes kept)."""
        raise VolumeBackendError(reason=f'{type(self).__name__} cannot extend volumes')
    def copy_image_to_volume(self, provider_location: str, image_path: str,
                             disk_format: str | None) -> None:
        """Write the image file at ``image_path`` (in ``disk_format``, an image API
        format) into the volume as the guest sees it (raw bytes from offset 0).

        A backend that cannot raises VolumeBackendError (the volume goes to error).
        """
        raise VolumeBackendError(reason=f'{type(self).__name__} cannot copy images')

    def copy_volume_to_image(self, provider_location: str, image_path: str,
                             disk_format: str) -> None:
        """Write the volume's bytes to a new file at ``image_path`` in ``disk_format``
        (an image API format), for an upload to the image service."""
        raise VolumeBackendError(reason=f'{type(self).__name__} cannot make images')


def load_backend(conf: cfg.ConfigOpts) -> VolumeBackend:
    """The backend named by ``[volume] backend``, constructed with ``conf``."""
    name = conf.volume.backend
    try:
        manager: driver.DriverManager[VolumeBackend] = driver.DriverManager(
            NAMESPACE, name, invoke_on_load=True, invoke_args=(conf,))
    except Exception as exc:  # stevedore raises NoMatches or the plugin's import error
        raise VolumeBackendError(reason=f'cannot load volume backend {name!r}: {exc}') from exc
    backend = manager.driver
    if not isinstance(backend, VolumeBackend):
        raise VolumeBackendError(reason=f'{name!r} is not a VolumeBackend')
    return backend
