"""Address scopes (neutron's address-scope), mixed into NetworkManager.

A scope groups subnet pools of one IP version whose prefixes must not
overlap; who may share one is the API's policy.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.api import paging, sql_paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import network_subnetpools as pool_models
from nova_lite.network import access, listing, ports, validators
from nova_lite.network import subnetpool_errors as errors

_Scope = pool_models.AddressScope

SCOPE_FILTERS: dict[str, listing.Condition] = {
    name: (lambda column: lambda values: column.in_(values))(getattr(_Scope, name))
    for name in ('id', 'name', 'project_id', 'ip_version', 'shared')}


def scope_dict(row: pool_models.AddressScope) -> dict[str, Any]:
    created = timeutils.isotime(row.created_at)
    return {'id': row.id, 'name': row.name, 'project_id': row.project_id,
            'tenant_id': row.project_id, 'ip_version': row.ip_version, 'shared': row.shared,
            'created_at': created,
            'updated_at': timeutils.isotime(row.updated_at) if row.updated_at else created}


def visible_scopes(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    if access.is_admin(ctx):
        return sa.true()
    return sa.or_(_Scope.project_id == ctx.project_id, _Scope.shared.is_(True))


def get_scope(session: orm.Session, ctx: nl_context.RequestContext, scope_id: Any, *,
              lock: bool = False, field: str | None = None) -> pool_models.AddressScope:
    """A scope the caller sees; 404 otherwise (400 naming ``field`` when given, for a
    scope referred to from another resource's body)."""
    row = None
    if isinstance(scope_id, str) and scope_id:
        statement = sa.select(_Scope).where(_Scope.id == scope_id, visible_scopes(ctx))
        row = session.scalars(statement.with_for_update() if lock else statement).first()
    if row is None:
        if field is not None:
            raise exception.InvalidInput(field=field,
                                         reason=f'address scope {scope_id} not found')
        raise errors.AddressScopeNotFound(id=scope_id)
    return row


class AddressScopeMethods:
    """Create, read, update and delete address scopes."""

    db: db_api.Database

    def create_address_scope(self, ctx: nl_context.RequestContext, ip_version: Any, *,
                             name: str = '', shared: bool = False,
                             project_id: str | None = None) -> dict[str, Any]:
        validators.string('name', name)
        validators.boolean('shared', shared)
        if isinstance(ip_version, str) and ip_version in ('4', '6'):
            ip_version = int(ip_version)
        if isinstance(ip_version, bool) or ip_version not in (4, 6):
            raise exception.InvalidInput(field='ip_version', reason='must be 4 or 6')
        owner = ports.owner_project(ctx, project_id)
        with self.db.session() as session:
            row = _Scope(name=name, project_id=owner, ip_version=ip_version, shared=shared)
            session.add(row)
            session.flush()
            return scope_dict(row)

    def get_address_scope(self, ctx: nl_context.RequestContext,
                          scope_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            return scope_dict(get_scope(session, ctx, scope_id))

    def page_address_scopes(self, ctx: nl_context.RequestContext,
                            filters: listing.Filters = (),
                            request: paging.PageRequest = paging.EVERYTHING,
                            ) -> paging.Page[dict[str, Any]]:
        statement = listing.filtered(sa.select(_Scope).where(visible_scopes(ctx)),
                                     SCOPE_FILTERS, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(session, statement, listing.order(_Scope, request.sort),
                                        request, _Scope.id)
            return paging.Page([scope_dict(row) for row in page.items], page.next_marker)

    def update_address_scope(self, ctx: nl_context.RequestContext, scope_id: str, *,
                             name: str | None = None,
                             shared: bool | None = None) -> dict[str, Any]:
        """Rename or share a scope; unsharing one that other projects' pools use is 409."""
        if name is not None:
            validators.string('name', name)
        if shared is not None:
            validators.boolean('shared', shared)
        with self.db.session() as session:
            row = get_scope(session, ctx, scope_id, lock=True)
            _owned(ctx, row, 'change it')
            if shared is False and row.shared:
                foreign = session.scalar(sa.select(sa.func.count()).where(
                    pool_models.SubnetPool.address_scope_id == row.id,
                    pool_models.SubnetPool.project_id != row.project_id))
                if foreign:
                    raise errors.AddressScopeInUse(
                        id=row.id, reason='subnet pools of other projects use it')
            if name is not None:
                row.name = name
            if shared is not None:
                row.shared = shared
            row.updated_at = timeutils.utcnow()
            session.flush()
            return scope_dict(row)

    def delete_address_scope(self, ctx: nl_context.RequestContext, scope_id: str) -> None:
        """Delete a scope; 409 while a subnet pool belongs to it."""
        with self.db.session() as session:
            row = get_scope(session, ctx, scope_id, lock=True)
            _owned(ctx, row, 'delete it')
            in_use = session.scalar(sa.select(sa.func.count()).where(
                pool_models.SubnetPool.address_scope_id == row.id))
            if in_use:
                raise errors.AddressScopeInUse(
                    id=row.id, reason=f'{in_use} subnet pool(s) are associated with it')
            session.delete(row)


def _owned(ctx: nl_context.RequestContext, row: pool_models.AddressScope,
           action: str) -> None:
    if not access.is_admin(ctx) and row.project_id != ctx.project_id:
        raise exception.Forbidden(f'Only the owner of address scope {row.id} may {action}.')
