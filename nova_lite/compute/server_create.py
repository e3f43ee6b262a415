"""One ``POST /servers``: its instances (``max_count`` of them), one reservation id.

What a boot request sets per instance beyond the 2.1 basics is kept in the
instance's build request, under :data:`ACCESS_IP_V4`, :data:`ACCESS_IP_V6`,
:data:`DISK_CONFIG`, :data:`RESERVATION_ID` and :data:`LAUNCH_INDEX`, and the
server views print it from there.

With ``max_count`` > 1 the instances are named ``<name>-<n>`` (n from 1, nova's
default ``multi_instance_display_name_template``). The request boots all of
them or none: each is validated as it is recorded, and if one is refused the
ones already recorded are deleted again before the error is raised. nova_lite
has no per-project instance quota here, so ``max_count`` instances are booted
(``min_count`` only has to be at most ``max_count``).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import secrets
import string
from collections.abc import Mapping
from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import api as compute_api
from nova_lite.compute import boot_checks, schemas

LOG = logging.getLogger(__name__)

ACCESS_IP_V4 = 'access_ip_v4'
ACCESS_IP_V6 = 'access_ip_v6'
DISK_CONFIG = 'disk_config'
RESERVATION_ID = 'reservation_id'
LAUNCH_INDEX = 'launch_index'
HOSTNAME = 'hostname'
DEFAULT_DISK_CONFIG = 'MANUAL'
_RESERVATION_ALPHABET = string.ascii_lowercase + string.digits


@dataclasses.dataclass(frozen=True)
class CreatedServers:
    """The instances one request booted, and the reservation id they share."""

    reservation_id: str
    instances: list[dict[str, Any]]


def new_reservation_id() -> str:
    """``r-`` and eight random lower-case letters and digits, as nova's."""
    return 'r-' + ''.join(secrets.choice(_RESERVATION_ALPHABET) for _ in range(8))


def instance_name(name: str, index: int, count: int) -> str:
    """The name of the ``index``-th (from 0) of ``count`` instances of one request."""
    return name if count == 1 else f'{name}-{index + 1}'


def returns_reservation_id(server: Mapping[str, Any]) -> bool:
    """True when the body asks for ``{"reservation_id": ...}`` as the answer."""
    return server.get('return_reservation_id', False) in (True, *schemas.TRUE_STRINGS)


def user_fields(server: Mapping[str, Any]) -> dict[str, Any]:
    """The access IPs and disk config of a body, as build request fields."""
    fields = {ACCESS_IP_V4: server.get('accessIPv4') or '',
              ACCESS_IP_V6: server.get('accessIPv6') or '',
              DISK_CONFIG: server.get('OS-DCF:diskConfig') or DEFAULT_DISK_CONFIG}
    if server.get('hostname'):
        fields[HOSTNAME] = server['hostname']
    return normalized(fields)


def normalized(fields: dict[str, Any]) -> dict[str, Any]:
    """Build request fields with the IPv6 access address in its short form, as nova
    keeps it (``0000::babe:220.12.22.2`` is ``::babe:dc0c:1602``)."""
    if fields.get(ACCESS_IP_V6):
        fields[ACCESS_IP_V6] = str(ipaddress.IPv6Address(fields[ACCESS_IP_V6]))
    return fields


def boot_servers(api: compute_api.ComputeAPI, ctx: nl_context.RequestContext,
                 server: dict[str, Any], *,
                 scheduler_hints: Mapping[str, Any] | None = None) -> CreatedServers:
    """Boot every instance ``server`` (a body the schema accepted) asks for, or none."""
    _min_count, count = boot_checks.instance_counts(server)
    if count > 1 and server.get('hostname'):
        raise exception.InvalidInput(field='hostname',
                                     reason='a hostname cannot be given to several servers')
    reservation_id = new_reservation_id()
    created: list[dict[str, Any]] = []
    try:
        for index in range(count):
            body = dict(server, name=instance_name(server['name'], index, count))
            created.append(api.boot_server(ctx, body, scheduler_hints=scheduler_hints,
                                           extra_build_request={
                                               **user_fields(server),
                                               RESERVATION_ID: reservation_id,
                                               LAUNCH_INDEX: index}))
    except exception.NovaLiteError:
        for instance in created:
            try:
                api.delete_server(ctx, instance['id'])
            except exception.NovaLiteError:  # already going; the conductor's sweep
                LOG.warning('could not delete %s of a refused multi-create',
                            instance['id'], exc_info=True)
        raise
    return CreatedServers(reservation_id, created)
