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

    def copy_image_to_volume(self, provider_location: str, image_path: str,
                             disk_format: str | None) -> None:
        """Write the image file at ``image_path`` (in ``disk_format``, an image API
        format) into the volume as the guest sees it (raw bytes from offset 0).

        A backend that cannot raises VolumeBackendError (the volume goes to error).
        """
        raise VolumeBackendError(reason=f'{type(self).__name__} cannot copy images')


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
