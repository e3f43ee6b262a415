"""Typed notifications the services publish as a boot goes, and who hears them.

A service publishes a notification where something worth telling happened
(the compute API accepted a request, the scheduler chose a host, a service
checked a token, the hypervisor started a domain, a boot flow task started or
finished); it says what happened, with the facts, and nothing about who
listens. Listeners (the demo's narrator, a test's recorder) subscribe to the
process's :data:`NOTIFIER`, as log handlers attach to a logger: publishing
with no listener costs a loop over an empty list.

A listener runs in the publisher's thread and must be quick; one that raises
is logged and never breaks the work that published.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Notification:
    """Something that happened; ``instance_id``: the instance it concerns, if one."""

    instance_id: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ServerCreateReceived(Notification):
    """The compute API received a server create request (``request``: how it reads)."""

    request: str
    over_http: bool


@dataclasses.dataclass(frozen=True, kw_only=True)
class TokenChecked(Notification):
    """A service API had identity validate the user's token."""

    service: str
    user_name: str | None
    project_name: str | None
    roles: tuple[str, ...] = ()
    over_http: bool = False


@dataclasses.dataclass(frozen=True, kw_only=True)
class ServerCreateValidated(Notification):
    """The compute API validated a create request against flavors, images and the rest."""

    flavor_name: str
    image_id: str
    networks: int
    volumes: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class InstanceRecorded(Notification):
    """The compute API recorded a new instance in these states."""

    vm_state: str
    task_state: str | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class BootCast(Notification):
    """The compute API is casting the instance's boot to a conductor."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class DestinationsRequested(Notification):
    """The scheduler received a select_destinations request."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class HostsConsidered(Notification):
    """The scheduler read the compute nodes it will filter (with these filters)."""

    hosts: int
    filters: tuple[str, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class HostChosen(Notification):
    """The scheduler chose a host and claimed these resources on it."""

    host: str
    resources: Mapping[str, int]


@dataclasses.dataclass(frozen=True, kw_only=True)
class SpawnReceived(Notification):
    """A compute host received the request to build an instance."""

    host: str
    instance_name: str | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class ImageCached(Notification):
    """A compute host has an image in its cache (``downloaded``: it fetched it now)."""

    image_id: str
    path: str
    downloaded: bool
    size: int | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class GuestDefinitionWritten(Notification):
    """A virt driver wrote a guest's domain XML."""

    path: str
    vcpus: int
    memory_kib: int
    disks: int
    nics: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainStarted(Notification):
    """A virt driver defined and started a domain (``hypervisor``: where, in words)."""

    domain_name: str
    hypervisor: str
    power_state: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class FlowTaskChanged(Notification):
    """A task of a conductor's flow changed state (a TaskFlow state name).

    ``arguments``: what the task runs with (on RUNNING and SUCCESS; no token or
    context);
    ``result``: what it returned (on SUCCESS).
    """

    flow: str
    task: str
    state: str
    arguments: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    result: Any = None
    instance_name: str | None = None


NotificationListener = Callable[[Notification], None]


class Notifier:
    """Delivers each published notification to every subscribed listener, in order."""

    def __init__(self) -> None:
        self._listeners: tuple[NotificationListener, ...] = ()
        self._guard = threading.Lock()

    def subscribe(self, listener: NotificationListener) -> None:
        """Add ``listener`` (subscribing it again changes nothing)."""
        with self._guard:
            if listener not in self._listeners:
                self._listeners = (*self._listeners, listener)

    def unsubscribe(self, listener: NotificationListener) -> None:
        with self._guard:
            self._listeners = tuple(li for li in self._listeners if li != listener)

    @property
    def has_listeners(self) -> bool:
        """Whether anyone listens (a publisher may skip building what nobody reads)."""
        return bool(self._listeners)

    def publish(self, notification: Notification) -> None:
        for listener in self._listeners:
            try:
                listener(notification)
            except Exception:
                LOG.exception('Listener %r failed on %r', listener, notification)


# The process's notifier, as a process has one logging tree.
NOTIFIER = Notifier()


def publish(notification: Notification) -> None:
    """Publish ``notification`` to the process's listeners."""
    NOTIFIER.publish(notification)
