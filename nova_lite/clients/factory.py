"""Which image, network and block storage clients a process's boot code uses.

``local``: the service managers in this process (the functional tests, the
demo). ``http``: the REST APIs over HTTP with the user's token, as the real
daemons talk (nova-lite-all does the same over loopback). The conductor has
the database and validates tokens itself to read their catalog; a compute
host has no database and asks the identity API.
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from oslo_config import cfg

from nova_lite.api import endpoints
from nova_lite.clients import http, http_auth, protocols
from nova_lite.clients import local as local_clients
from nova_lite.identity import manager as identity_manager
from nova_lite.image import manager as image_manager
from nova_lite.network import manager as network_manager
from nova_lite.volume import manager as volume_manager

ClientKind = Literal['local', 'http']
KINDS: tuple[str, ...] = ('local', 'http')


@dataclasses.dataclass
class FlowClients:
    """What the boot flow talks to; ``identity`` validates in-process either way
    (the conductor has the database)."""

    images: protocols.ImageClient
    networks: protocols.NetworkClient
    volumes: protocols.VolumeClient
    identity: protocols.IdentityClient


def check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f'service_clients must be one of {", ".join(KINDS)}, not {kind!r}')


def flow_clients(kind: str, identity: identity_manager.IdentityManager,
                 images: image_manager.ImageManager, networks: network_manager.NetworkManager,
                 volumes: volume_manager.VolumeManager) -> FlowClients:
    """The boot flow's clients (the conductor's side; it can validate tokens itself)."""
    check_kind(kind)
    if kind == 'local':
        return FlowClients(local_clients.ImageClient(identity, images),
                           local_clients.NetworkClient(identity, networks),
                           local_clients.VolumeClient(identity, volumes),
                           local_clients.IdentityClient(identity))
    session = http.new_session()
    cache = http_auth.AccessCache(identity.validate_token)
    return FlowClients(
        http.ImageClient(identity.validate_token, session=session, access_cache=cache),
        http.NetworkClient(identity.validate_token, session=session, access_cache=cache),
        http.VolumeClient(identity.validate_token, session=session, access_cache=cache),
        local_clients.IdentityClient(identity))


def compute_image_client(conf: cfg.ConfigOpts) -> http.ImageClient:
    """A compute host's image client: no database, tokens checked by the identity API."""
    session = http.new_session()
    validator = http_auth.HTTPTokenValidator(endpoints.identity_url(conf), session)
    return http.ImageClient(validator, session=session)
