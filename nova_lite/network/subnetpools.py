"""Subnet pools (neutron's subnet_allocation, default-subnetpools and
subnetpool-prefix-ops), mixed into NetworkManager.

Who may set ``shared`` and ``is_default`` is the API's policy; here are the
rules every caller meets: one default pool per IP version, prefixes that only
grow on update (prefix-ops remove unused ones), and no overlap of prefixes
between the pools of one address scope.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.api import paging, sql_paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import network as models
from nova_lite.db.models import network_subnetpools as pool_models
from nova_lite.network import (
    access,
    address_scopes,
    descriptions,
    ipam,
    listing,
    ports,
    tags,
    validators,
)
from nova_lite.network import quotas as quota_engine
from nova_lite.network import subnet_allocation as allocation
from nova_lite.network import subnetpool_errors as errors

_Pool = pool_models.SubnetPool
_UNSET: Any = object()

POOL_FILTERS: dict[str, listing.Condition] = {
    name: (lambda column: lambda values: column.in_(values))(getattr(_Pool, name))
    for name in ('id', 'name', 'project_id', 'ip_version', 'default_prefixlen',
                 'min_prefixlen', 'max_prefixlen', 'default_quota', 'shared', 'is_default',
                 'address_scope_id', 'description')}
POOL_FILTERS.update(tags.filter_conditions(_Pool.id))


def pool_dict(row: pool_models.SubnetPool, prefixes: list[ipam.IPNetwork]) -> dict[str, Any]:
    created = timeutils.isotime(row.created_at)
    return {'id': row.id, 'name': row.name, 'description': row.description,
            'project_id': row.project_id, 'tenant_id': row.project_id,
            'ip_version': row.ip_version, 'prefixes': [str(prefix) for prefix in prefixes],
            'default_prefixlen': row.default_prefixlen, 'min_prefixlen': row.min_prefixlen,
            'max_prefixlen': row.max_prefixlen, 'default_quota': row.default_quota,
            'shared': row.shared, 'is_default': row.is_default,
            'address_scope_id': row.address_scope_id, 'revision_number': 1, 'tags': [],
            'created_at': created,
            'updated_at': timeutils.isotime(row.updated_at) if row.updated_at else created}


def _prefixlen(field: str, value: Any) -> int:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return validators.integer(field, value, minimum=0, maximum=128)


def _quota(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    return validators.integer('default_quota', value, minimum=0, maximum=2 ** 62)


def _check_one_default(session: orm.Session, ip_version: int, pool_id: str | None) -> None:
    other = session.scalar(sa.select(_Pool.id).where(
        _Pool.is_default.is_(True), _Pool.ip_version == ip_version,
        _Pool.id != (pool_id or '')).with_for_update())
    if other is not None:
        # Neutron's words (an InvalidInput, 400).
        raise exception.InvalidInput(
            'Invalid input for operation: A default subnetpool for this IP family has '
            'already been set. Only one default may exist per IP family.',
            field='is_default', reason=f'subnet pool {other} is the IPv{ip_version} default')


def _check_scope(session: orm.Session, ctx: nl_context.RequestContext, scope_id: str,
                 pool_id: str | None, ip_version: int,
                 prefixes: list[ipam.IPNetwork]) -> None:
    """The pool may join the scope: same IP version, no overlap with its other pools."""
    scope = address_scopes.get_scope(session, ctx, scope_id, lock=True, field='address_scope_id')
    if not access.is_admin(ctx) and not scope.shared and scope.project_id != ctx.project_id:
        raise errors.IllegalSubnetPoolAssociationToAddressScope(
            field='address_scope_id',
            reason=f'subnetpool cannot be associated with address scope {scope_id}')
    if scope.ip_version != ip_version:
        raise errors.IllegalSubnetPoolAssociationToAddressScope(
            field='address_scope_id',
            reason=f'subnetpool of IPv{ip_version} cannot be associated with address '
                   f'scope {scope_id} of IPv{scope.ip_version}')
    others = session.scalars(sa.select(pool_models.SubnetPoolPrefix.cidr).join(
        _Pool, _Pool.id == pool_models.SubnetPoolPrefix.subnetpool_id).where(
        _Pool.address_scope_id == scope_id, _Pool.id != (pool_id or '')))
    taken = [ipam.parse_network(cidr) for cidr in others]
    if any(allocation.overlaps_any(prefix, taken) for prefix in prefixes):
        raise errors.AddressScopePrefixConflict()


def _store_prefixes(session: orm.Session, pool_id: str,
                    prefixes: list[ipam.IPNetwork]) -> None:
    session.execute(sa.delete(pool_models.SubnetPoolPrefix).where(
        pool_models.SubnetPoolPrefix.subnetpool_id == pool_id))
    session.add_all(pool_models.SubnetPoolPrefix(subnetpool_id=pool_id, cidr=str(prefix))
                    for prefix in prefixes)
    session.flush()


def _owned(ctx: nl_context.RequestContext, pool: pool_models.SubnetPool, action: str) -> None:
    if not access.is_admin(ctx) and pool.project_id != ctx.project_id:
        raise exception.Forbidden(f'Only the owner of subnet pool {pool.id} may {action}.')


class SubnetPoolMethods:
    """Create, read, update and delete subnet pools; add and remove their prefixes."""

    db: db_api.Database
    quotas: quota_engine.NetworkQuotas

    def create_subnetpool(self, ctx: nl_context.RequestContext, prefixes: list[str], *,
                          name: str = '', description: str = '',
                          project_id: str | None = None,
                          default_prefixlen: Any = None, min_prefixlen: Any = None,
                          max_prefixlen: Any = None, default_quota: Any = None,
                          shared: bool = False, is_default: bool = False,
                          address_scope_id: str | None = None) -> dict[str, Any]:
        validators.string('name', name)
        descriptions.check(description)
        validators.boolean('shared', shared)
        validators.boolean('is_default', is_default)
        networks = allocation.parse_prefixes('prefixes', prefixes)
        ip_version = networks[0].version
        low = (allocation.DEFAULT_MIN_PREFIXLEN[ip_version] if min_prefixlen is None
               else _prefixlen('min_prefixlen', min_prefixlen))
        high = (allocation.BITS[ip_version] if max_prefixlen is None
                else _prefixlen('max_prefixlen', max_prefixlen))
        default = low if default_prefixlen is None else _prefixlen('default_prefixlen',
                                                                   default_prefixlen)
        allocation.check_bounds(ip_version, low, default, high)
        quota = _quota(default_quota)
        owner = ports.owner_project(ctx, project_id)
        with self.db.session() as session:
            if is_default:
                _check_one_default(session, ip_version, None)
            if address_scope_id is not None:
                _check_scope(session, ctx, address_scope_id, None, ip_version, networks)
            row = _Pool(name=name, description=description, project_id=owner,
                        ip_version=ip_version, default_prefixlen=default, min_prefixlen=low,
                        max_prefixlen=high, default_quota=quota, shared=shared,
                        is_default=is_default, address_scope_id=address_scope_id)
            session.add(row)
            session.flush()
            _store_prefixes(session, row.id, networks)
            session.flush()
            self.quotas.check(session, owner, quota_engine.SUBNETPOOL)
            return tags.fill(session, [pool_dict(row, networks)])[0]

    def get_subnetpool(self, ctx: nl_context.RequestContext, pool_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            row = allocation.get_pool(session, ctx, pool_id)
            body = pool_dict(row, allocation.pool_prefixes(session, row.id))
            return tags.fill(session, [body])[0]

    def page_subnetpools(self, ctx: nl_context.RequestContext, filters: listing.Filters = (),
                         request: paging.PageRequest = paging.EVERYTHING,
                         ) -> paging.Page[dict[str, Any]]:
        """One page of the visible pools matching ``filters``, oldest first."""
        statement = listing.filtered(
            sa.select(_Pool).where(allocation.visible_pools(ctx)), POOL_FILTERS, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(session, statement, listing.order(_Pool, request.sort),
                                        request, _Pool.id)
            return paging.Page(tags.fill(session, [
                pool_dict(row, allocation.pool_prefixes(session, row.id))
                for row in page.items]), page.next_marker)

    def update_subnetpool(self, ctx: nl_context.RequestContext, pool_id: str, *,
                          name: str | None = None, description: str | None = None,
                          prefixes: list[str] | None = None, default_prefixlen: Any = None,
                          min_prefixlen: Any = None, max_prefixlen: Any = None,
                          default_quota: Any = _UNSET, is_default: bool | None = None,
                          address_scope_id: Any = _UNSET) -> dict[str, Any]:
        """Change the given attributes; new ``prefixes`` must contain the old ones."""
        if name is not None:
            validators.string('name', name)
        descriptions.check(description)
        if is_default is not None:
            validators.boolean('is_default', is_default)
        with self.db.session() as session:
            row = allocation.get_pool(session, ctx, pool_id, lock=True)
            _owned(ctx, row, 'change it')
            current = allocation.pool_prefixes(session, row.id)
            networks = current
            if prefixes is not None:
                networks = allocation.parse_prefixes('prefixes', prefixes)
                if networks[0].version != row.ip_version:
                    raise exception.InvalidInput(
                        field='prefixes', reason=f'the pool is IPv{row.ip_version}')
                if not allocation.covers(networks, current):
                    raise errors.IllegalSubnetPoolPrefixUpdate(
                        field='prefixes',
                        reason='existing prefixes must be a subset of the new prefixes')
            low = row.min_prefixlen if min_prefixlen is None else _prefixlen(
                'min_prefixlen', min_prefixlen)
            high = row.max_prefixlen if max_prefixlen is None else _prefixlen(
                'max_prefixlen', max_prefixlen)
            default = row.default_prefixlen if default_prefixlen is None else _prefixlen(
                'default_prefixlen', default_prefixlen)
            allocation.check_bounds(row.ip_version, low, default, high)
            scope_id = row.address_scope_id if address_scope_id is _UNSET else address_scope_id
            if scope_id is not None:
                _check_scope(session, ctx, scope_id, row.id, row.ip_version, networks)
            if is_default and not row.is_default:
                _check_one_default(session, row.ip_version, row.id)
            changes = {'name': name, 'description': description, 'is_default': is_default}
            for field, value in changes.items():
                if value is not None:
                    setattr(row, field, value)
            row.min_prefixlen, row.max_prefixlen, row.default_prefixlen = low, high, default
            row.address_scope_id = scope_id
            if default_quota is not _UNSET:
                row.default_quota = _quota(default_quota)
            row.updated_at = timeutils.utcnow()
            if networks != current:
                _store_prefixes(session, row.id, networks)
            session.flush()
            return tags.fill(session, [pool_dict(row, networks)])[0]

    def delete_subnetpool(self, ctx: nl_context.RequestContext, pool_id: str) -> None:
        """Delete a pool; 409 while a subnet was allocated from it."""
        with self.db.session() as session:
            row = allocation.get_pool(session, ctx, pool_id, lock=True)
            _owned(ctx, row, 'delete it')
            in_use = session.scalar(sa.select(sa.func.count()).where(
                models.Subnet.subnetpool_id == row.id))
            if in_use:
                raise errors.SubnetPoolInUse(
                    id=row.id, reason=f'{in_use} subnet(s) were allocated from it')
            session.execute(sa.delete(pool_models.SubnetPoolPrefix).where(
                pool_models.SubnetPoolPrefix.subnetpool_id == row.id))
            tags.forget(session, [row.id])
            session.delete(row)

    def add_subnetpool_prefixes(self, ctx: nl_context.RequestContext, pool_id: str,
                                prefixes: Any) -> list[str]:
        """Merge ``prefixes`` into the pool's; the pool's prefixes after."""
        added = allocation.parse_prefixes('prefixes', prefixes)
        with self.db.session() as session:
            row = allocation.get_pool(session, ctx, pool_id, lock=True)
            _owned(ctx, row, 'change it')
            if added[0].version != row.ip_version:
                raise exception.InvalidInput(field='prefixes',
                                             reason=f'the pool is IPv{row.ip_version}')
            networks = allocation.merge([*allocation.pool_prefixes(session, row.id), *added])
            if row.address_scope_id is not None:
                _check_scope(session, ctx, row.address_scope_id, row.id, row.ip_version,
                             networks)
            _store_prefixes(session, row.id, networks)
            row.updated_at = timeutils.utcnow()
            return [str(prefix) for prefix in networks]

    def remove_subnetpool_prefixes(self, ctx: nl_context.RequestContext, pool_id: str,
                                   prefixes: Any) -> list[str]:
        """Take ``prefixes`` out of the pool's; 400 if a subnet of the pool lies in them."""
        removed = allocation.parse_prefixes('prefixes', prefixes)
        with self.db.session() as session:
            row = allocation.get_pool(session, ctx, pool_id, lock=True)
            _owned(ctx, row, 'change it')
            in_use = [str(network) for network, _ in allocation.allocated(session, row.id)
                      if allocation.overlaps_any(network, removed)]
            if in_use:
                raise errors.IllegalSubnetPoolPrefixUpdate(
                    field='prefixes',
                    reason=f'prefixes in use by subnets {", ".join(sorted(in_use))} cannot '
                           'be removed')
            remaining: list[ipam.IPNetwork] = []
            for prefix in allocation.pool_prefixes(session, row.id):
                pieces = [prefix]
                for cut in removed:
                    pieces = [rest for piece in pieces for rest in _without(piece, cut)]
                remaining.extend(pieces)
            networks = allocation.merge(remaining)
            _store_prefixes(session, row.id, networks)
            row.updated_at = timeutils.utcnow()
            return [str(prefix) for prefix in networks]


def _without(prefix: ipam.IPNetwork, cut: ipam.IPNetwork) -> list[ipam.IPNetwork]:
    if prefix.version != cut.version or not prefix.overlaps(cut):
        return [prefix]
    if prefix.subnet_of(cut):  # type: ignore[arg-type]
        return []
    return list(prefix.address_exclude(cut))  # type: ignore[arg-type]
