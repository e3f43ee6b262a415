"""Which collections take tags, and how to find one of their resources.

A collection (its URL name, e.g. ``networks``, ``security-groups``) maps to a
:class:`Taggable`: the resource's name in errors and a look-up that answers
the owning project of a resource the caller can see (404 otherwise). The tag
API, its routes, its policy rules and its checks all follow this registry, so
a new resource is tagged by adding one entry (see :func:`register`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.network import (
    access,
    floating_ips,
    routers,
    security_groups,
    subnet_allocation,
)

OwnerLookup = Callable[[orm.Session, nl_context.RequestContext, str], str | None]
"""(session, caller, resource id) -> the resource's project; NotFound if the caller
cannot see it."""


@dataclasses.dataclass(frozen=True)
class Taggable:
    resource: str  # neutron's name in a 404, e.g. 'Network'
    owner: OwnerLookup


TAGGABLE: dict[str, Taggable] = {
    'networks': Taggable('Network', lambda session, ctx, resource_id: access.get_network(
        session, ctx, resource_id).project_id),
    'subnets': Taggable('Subnet', lambda session, ctx, resource_id: access.get_subnet(
        session, ctx, resource_id).project_id),
    'ports': Taggable('Port', lambda session, ctx, resource_id: access.get_port(
        session, ctx, resource_id).project_id),
    'routers': Taggable('Router', lambda session, ctx, resource_id: routers.get_router(
        session, ctx, resource_id).project_id),
    'floatingips': Taggable('FloatingIP', lambda session, ctx, resource_id: (
        floating_ips._get(session, ctx, resource_id).project_id)),  # noqa: SLF001
    'security-groups': Taggable('SecurityGroup', lambda session, ctx, resource_id: (
        security_groups.get_group(session, ctx, resource_id).project_id)),
    'subnetpools': Taggable('SubnetPool', lambda session, ctx, resource_id: (
        subnet_allocation.get_pool(session, ctx, resource_id).project_id)),
}


def register(collection: str, taggable: Taggable) -> None:
    """Let ``collection``'s resources take tags (before the API app is made)."""
    TAGGABLE[collection] = taggable


def lookup(collection: str) -> Taggable:
    if collection not in TAGGABLE:
        raise exception.NotFound(resource='Collection', id=collection)
    return TAGGABLE[collection]


def policy_name(action: str, collection: str) -> str:
    """neutron's rule name, e.g. ``update_security_groups_tags``."""
    return f"{action}_{collection.replace('-', '_')}_tags"
