"""Checks of a boot request made before anything is recorded (validation at the door).

:class:`~nova_lite.compute.api.ComputeAPI` already looks up the image, the
flavor, the networks, the ports, the volumes and the keypair a boot names (a
400 naming the field when one is missing or not the project's). These are the
remaining checks nova makes at ``POST /servers``, so that a boot that cannot
work is refused there rather than accepted and put in ERROR:

* the flavor must be one the project may use (a private flavor: admins only);
* every security group named must exist (nova_lite's network service has one
  group per project, ``default``; a group given by id, as the openstack CLI may
  send it, is let through: the compute API cannot look groups up);
* several instances (``max_count`` > 1) cannot share one requested port;
* ``min_count`` is at most ``max_count`` and at most :data:`MAX_SERVERS_PER_REQUEST`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import flavors as flavor_store

# The one security group each project has in nova_lite's network service.
DEFAULT_SECURITY_GROUP = 'default'
# The most servers one POST /servers boots (nova's instance quota bounds it there; a
# larger max_count boots this many, a larger min_count is refused with a 403).
MAX_SERVERS_PER_REQUEST = 100


def _count(server: Mapping[str, Any], field: str, default: int) -> int:
    value = int(server.get(field, default))  # the schema let digits or an integer through
    if value < 1:
        raise exception.InvalidInput(field=field, reason='must be 1 or more')
    return value


def instance_counts(server: Mapping[str, Any]) -> tuple[int, int]:
    """``(min_count, count)`` of a body the schema accepted (each 1 when absent): the
    servers to boot are ``max_count``, at most :data:`MAX_SERVERS_PER_REQUEST`.

    A 400 naming min_count when it is above max_count; nova's quota error (403)
    when ``min_count`` is above the ceiling.
    """
    min_count = _count(server, 'min_count', 1)
    max_count = _count(server, 'max_count', min_count)
    if min_count > max_count:
        raise exception.InvalidInput(field='min_count',
                                     reason='min_count must be <= max_count')
    if min_count > MAX_SERVERS_PER_REQUEST:
        raise exception.Forbidden(
            message=f'Quota exceeded for instances: Requested {min_count}, but at most '
                    f'{MAX_SERVERS_PER_REQUEST} servers boot in one request.')
    return min_count, min(max_count, MAX_SERVERS_PER_REQUEST)


def check_flavor_usable(ctx: nl_context.RequestContext, flavors: flavor_store.FlavorStore,
                        flavor_ref: Any) -> None:
    """A 400 naming flavorRef when the flavor is missing, disabled or private to admins."""
    try:
        flavor = flavors.get(str(flavor_ref))
    except exception.NotFound:
        raise exception.InvalidInput(field='flavorRef',
                                     reason=f'Flavor {flavor_ref} could not be found.',
                                     ) from None
    if not flavor['is_public'] and not ctx.is_admin:
        raise exception.InvalidInput(field='flavorRef',
                                     reason=f'Flavor {flavor_ref} could not be found.')


def _is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return isinstance(value, str)


def check_security_groups(server: Mapping[str, Any]) -> None:
    """A 400 naming a security group entry without a name (which groups exist is the
    compute API's look-up in the network service)."""
    for index, group in enumerate(server.get('security_groups') or []):
        name = group.get('name') if isinstance(group, Mapping) else None
        if not isinstance(name, str) or not name.strip():
            raise exception.InvalidInput(field=f'security_groups.{index}.name',
                                         reason='must name a security group')


def check_ports_for_count(server: Mapping[str, Any], max_count: int) -> None:
    """A 400 naming networks when several instances would share one port."""
    networks = server.get('networks')
    if max_count > 1 and isinstance(networks, list) and any(n.get('port') for n in networks):
        raise exception.InvalidInput(
            field='networks', reason='Unable to launch multiple instances with a single '
                                     'configured port ID. Please launch your instance one '
                                     'by one with different ports.')
    if isinstance(networks, list):
        ports = [n['port'] for n in networks if n.get('port')]
        if len(ports) != len(set(ports)):
            raise exception.InvalidInput(field='networks',
                                         reason='a port is requested more than once')


def check_boot_request(ctx: nl_context.RequestContext, server: Mapping[str, Any], *,
                       flavors: flavor_store.FlavorStore) -> None:
    """Every check of this module on a body the request schema accepted."""
    _min_count, max_count = instance_counts(server)
    check_flavor_usable(ctx, flavors, server['flavorRef'])
    check_security_groups(server)
    check_ports_for_count(server, max_count)
