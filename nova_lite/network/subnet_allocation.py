"""Subnet pool arithmetic and the allocation of a subnet's CIDR from a pool.

The allocation runs inside the subnet's inserting transaction with the pool's
row locked (``FOR UPDATE`` on PostgreSQL; SQLite serialises its writers), so
two concurrent creates never get the same CIDR.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db.models import network as models
from nova_lite.db.models import network_subnetpools as pool_models
from nova_lite.network import access, ipam
from nova_lite.network import subnetpool_errors as errors

BITS = {4: 32, 6: 128}
DEFAULT_MIN_PREFIXLEN = {4: 8, 6: 64}


@dataclasses.dataclass(frozen=True)
class PoolRequest:
    """A subnet create that takes its CIDR from a pool.

    ``subnetpool_id`` None means the default pool of ``ip_version``; ``cidr``
    is an explicit CIDR that must fit the pool; ``prefixlen`` None means the
    pool's default.
    """

    subnetpool_id: str | None
    ip_version: int | None
    prefixlen: int | None = None
    cidr: str | None = None


def parse_prefixes(field: str, value: Any) -> list[ipam.IPNetwork]:
    """A non-empty list of CIDRs of one IP version, merged and sorted."""
    if not isinstance(value, list | tuple) or not value:
        raise exception.InvalidInput(field=field, reason='must be a non-empty list of CIDRs')
    networks: list[ipam.IPNetwork] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or '/' not in item:
            raise exception.InvalidInput(field=f'{field}.{index}',
                                         reason=f'{item!r} is not a CIDR')
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=True))
        except ValueError:
            raise exception.InvalidInput(field=f'{field}.{index}',
                                         reason=f'{item!r} is not a valid CIDR') from None
    if len({network.version for network in networks}) > 1:
        raise exception.InvalidInput(field=field,
                                     reason='prefixes must all be of one IP version')
    return merge(networks)


def merge(networks: Iterable[ipam.IPNetwork]) -> list[ipam.IPNetwork]:
    """``networks`` with overlaps and neighbours merged, in address order."""
    listed = list(networks)
    if not listed:
        return []
    return list(ipaddress.collapse_addresses(listed))  # type: ignore[type-var]


def covers(outer: Sequence[ipam.IPNetwork], inner: Iterable[ipam.IPNetwork]) -> bool:
    """Every network of ``inner`` lies inside one of ``outer``."""
    return all(any(network.subnet_of(prefix) for prefix in outer  # type: ignore[arg-type]
                   if prefix.version == network.version) for network in inner)


def overlaps_any(network: ipam.IPNetwork, others: Iterable[ipam.IPNetwork]) -> bool:
    return any(network.overlaps(other) for other in others
               if other.version == network.version)


def check_bounds(ip_version: int, min_prefixlen: int, default_prefixlen: int,
                 max_prefixlen: int) -> None:
    """0 <= min <= default <= max <= the address width (400 naming the bad one)."""
    bits = BITS[ip_version]
    for field, value in (('min_prefixlen', min_prefixlen), ('max_prefixlen', max_prefixlen),
                         ('default_prefixlen', default_prefixlen)):
        if not 0 <= value <= bits:
            raise errors.IllegalSubnetPoolPrefixBounds(
                field=field, reason=f'{field}={value} is outside 0..{bits}')
    if min_prefixlen > max_prefixlen:
        raise errors.IllegalSubnetPoolPrefixBounds(
            field='min_prefixlen',
            reason=f'min_prefixlen={min_prefixlen}, max_prefixlen={max_prefixlen}')
    if not min_prefixlen <= default_prefixlen <= max_prefixlen:
        raise errors.IllegalSubnetPoolPrefixBounds(
            field='default_prefixlen',
            reason=f'default_prefixlen={default_prefixlen} is outside '
                   f'{min_prefixlen}..{max_prefixlen}')


def pool_prefixes(session: orm.Session, pool_id: str) -> list[ipam.IPNetwork]:
    return merge(ipaddress.ip_network(cidr) for cidr in session.scalars(
        sa.select(pool_models.SubnetPoolPrefix.cidr)
        .where(pool_models.SubnetPoolPrefix.subnetpool_id == pool_id)))


def allocated(session: orm.Session, pool_id: str) -> list[tuple[ipam.IPNetwork, str | None]]:
    """The CIDRs (with their projects) of the subnets allocated from a pool."""
    rows = session.execute(sa.select(models.Subnet.cidr, models.Subnet.project_id)
                           .where(models.Subnet.subnetpool_id == pool_id))
    return [(ipaddress.ip_network(cidr), project_id) for cidr, project_id in rows]


def visible_pools(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    if access.is_admin(ctx):
        return sa.true()
    return sa.or_(pool_models.SubnetPool.project_id == ctx.project_id,
                  pool_models.SubnetPool.shared.is_(True))


def get_pool(session: orm.Session, ctx: nl_context.RequestContext, pool_id: Any,
             *, lock: bool = False) -> pool_models.SubnetPool:
    """A pool the caller sees (its own, shared, or any for an admin); 404 otherwise."""
    if not isinstance(pool_id, str) or not pool_id:
        raise errors.SubnetPoolNotFound(id=pool_id)
    statement = sa.select(pool_models.SubnetPool).where(
        pool_models.SubnetPool.id == pool_id, visible_pools(ctx))
    if lock:
        statement = statement.with_for_update()
    row = session.scalars(statement).first()
    if row is None:
        raise errors.SubnetPoolNotFound(id=pool_id)
    return row


def default_pool(session: orm.Session, ctx: nl_context.RequestContext,
                 ip_version: int) -> pool_models.SubnetPool:
    """The default pool of ``ip_version`` (locked); 400 when there is none."""
    pool_id = session.scalar(sa.select(pool_models.SubnetPool.id).where(
        pool_models.SubnetPool.is_default.is_(True),
        pool_models.SubnetPool.ip_version == ip_version))
    if pool_id is None:
        raise exception.InvalidInput(
            field='use_default_subnetpool',
            reason=f'there is no default subnet pool for IPv{ip_version}')
    return get_pool(session, ctx, pool_id, lock=True)


def _prefix_units(network: ipam.IPNetwork) -> int:
    """What a subnet counts against a pool's quota: addresses (IPv4) or /64s (IPv6)."""
    if network.version == 4:
        return network.num_addresses
    return 2 ** max(0, 64 - network.prefixlen)


def allocate(session: orm.Session, ctx: nl_context.RequestContext, request: PoolRequest,
             project_id: str | None) -> tuple[ipam.IPNetwork, pool_models.SubnetPool]:
    """The CIDR for a new subnet of ``project_id`` and the (locked) pool it comes from."""
    if request.subnetpool_id is not None:
        pool = get_pool(session, ctx, request.subnetpool_id, lock=True)
    else:
        pool = default_pool(session, ctx, request.ip_version or 4)
    if request.ip_version is not None and request.ip_version != pool.ip_version:
        raise exception.InvalidInput(
            field='ip_version', reason=f'subnet pool {pool.id} is IPv{pool.ip_version}')
    prefixes = pool_prefixes(session, pool.id)
    taken = allocated(session, pool.id)
    if request.cidr is not None:
        cidr = ipam.parse_cidr(request.cidr, pool.ip_version)
        prefixlen = cidr.prefixlen
    else:
        prefixlen = pool.default_prefixlen if request.prefixlen is None else request.prefixlen
    if not pool.min_prefixlen <= prefixlen <= pool.max_prefixlen:
        raise exception.InvalidInput(
            field='prefixlen', reason=f'{prefixlen} is outside the pool\'s '
                                      f'{pool.min_prefixlen}..{pool.max_prefixlen}')
    if request.cidr is None:
        cidr = _first_free(prefixes, [network for network, _ in taken], prefixlen)
    elif not covers(prefixes, [cidr]) or overlaps_any(cidr, [net for net, _ in taken]):
        raise errors.SubnetAllocationError(
            reason=f'cannot allocate the requested subnet {cidr} from the available set '
                   f'of prefixes of subnet pool {pool.id}')
    if pool.default_quota is not None:
        used = sum(_prefix_units(network) for network, owner in taken if owner == project_id)
        if used + _prefix_units(cidr) > pool.default_quota:
            raise errors.SubnetPoolQuotaExceeded()
    return cidr, pool


def _first_free(prefixes: Sequence[ipam.IPNetwork], taken: Sequence[ipam.IPNetwork],
                prefixlen: int) -> ipam.IPNetwork:
    """The lowest CIDR of ``prefixlen`` inside ``prefixes`` that misses ``taken``."""
    for prefix in prefixes:
        if prefixlen < prefix.prefixlen:
            continue
        factory = type(prefix)
        size = 2 ** (prefix.max_prefixlen - prefixlen)
        last = int(prefix.broadcast_address)
        value = int(prefix.network_address)
        while value + size - 1 <= last:
            network = factory((value, prefixlen))
            blocking = [other for other in taken if other.overlaps(network)]
            if not blocking:
                return network
            # Skip past the highest blocking subnet, aligned to the wanted size.
            end = max(int(other.broadcast_address) for other in blocking) + 1
            value = -(-end // size) * size
    raise errors.SubnetAllocationError(
        reason=f'insufficient prefix space to allocate subnet size /{prefixlen}')
