"""The network service's logic: networks, subnets and ports, as neutron shapes them.

Every public method takes the caller's RequestContext first, checks all of its
input before writing anything (a bad value is a 4xx NovaLiteError naming the
field), runs in one transaction and returns plain dicts.
"""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.api import paging, sql_paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import NetworkStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import network as models
from nova_lite.network import (
    access,
    descriptions,
    external,
    floating_ips,
    ip_availability,
    listing,
    port_extras,
    ports,
    revisions,
    routers,
    security_groups,
    subnets,
    validators,
    views,
)

INSTANCE_OWNER_PREFIX = 'compute:'
MIN_MTU = 68
MAX_MTU = 65535

_SORT_KEYS = listing.described_sort_columns(models.Network)


class NetworkManager(subnets.SubnetMethods, ports.PortMethods,
                     security_groups.SecurityGroupMethods, routers.RouterMethods,
                     floating_ips.FloatingIPMethods, ip_availability.IPAvailabilityMethods):
    """Networks here; subnets in :class:`subnets.SubnetMethods`, ports and their
    addresses in :class:`ports.PortMethods`; security groups, routers and floating
    IPs in their own mixins."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database, *,
                 rng: random.Random | None = None) -> None:
        self.conf = conf
        self.db = db
        revisions.install()
        self.rng = rng or random.SystemRandom()

    # -- networks -----------------------------------------------------------------

    def create_network(self, ctx: nl_context.RequestContext, name: str = '',
                       admin_state_up: bool = True, shared: bool = False,
                       mtu: int = 1500, *, project_id: str | None = None,
                       router_external: bool = False, description: str = '',
                       ) -> dict[str, Any]:
        """A network of the caller's project (or, for an admin, of ``project_id``).

        Who may make it shared or external is the API's policy
        (``create_network:shared``, ``create_network:router:external``).
        """
        validators.string('name', name)
        validators.boolean('admin_state_up', admin_state_up)
        validators.boolean('shared', shared)
        validators.boolean('router:external', router_external)
        validators.integer('mtu', mtu, minimum=MIN_MTU, maximum=MAX_MTU)
        descriptions.check(description)
        owner = ports.owner_project(ctx, project_id)
        with self.db.session() as session:
            row = models.Network(name=name, project_id=owner,
                                 admin_state_up=admin_state_up, shared=shared, mtu=mtu,
                                 status=NetworkStatus.ACTIVE)
            session.add(row)
            session.flush()
            if router_external:
                external.set_external(session, row.id, True)
            descriptions.put(session, row.id, description)
            return descriptions.fill(session, [views.network_dict(row, [], router_external)])[0]

    def get_network(self, ctx: nl_context.RequestContext, network_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            row = access.get_network(session, ctx, network_id)
            return descriptions.fill(session, [views.network_dict(
                row, _subnet_ids(session, [row.id])[row.id],
                row.id in external.external_ids(session, [row.id]))])[0]

    def list_networks(self, ctx: nl_context.RequestContext, name: str | None = None,
                      ids: list[str] | None = None) -> list[dict[str, Any]]:
        validators.optional_string('name', name)
        ids = validators.string_list('ids', ids)
        filters: list[tuple[str, list[Any]]] = []
        if name is not None:
            filters.append(('name', [name]))
        if ids is not None:
            filters.append(('id', list(ids)))
        return self.page_networks(ctx, filters).items

    def page_networks(self, ctx: nl_context.RequestContext, filters: listing.Filters = (),
                      request: paging.PageRequest = paging.EVERYTHING,
                      ) -> paging.Page[dict[str, Any]]:
        """One page of the visible networks matching ``filters``, oldest first, read
        from the database alone."""
        statement = listing.filtered(
            sa.select(models.Network).where(access.visible_networks(ctx)),
            listing.NETWORK_FILTERS, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(
                session, statement, listing.order(models.Network, request.sort, _SORT_KEYS),
                request, models.Network.id)
            subnet_ids = _subnet_ids(session, [row.id for row in page.items])
            externals = external.external_ids(session, [row.id for row in page.items])
            return paging.Page(descriptions.fill(session, [
                views.network_dict(row, subnet_ids[row.id], row.id in externals)
                for row in page.items]), page.next_marker)

    def update_network(self, ctx: nl_context.RequestContext, network_id: str, *,
                       name: str | None = None, admin_state_up: bool | None = None,
                       mtu: int | None = None, shared: bool | None = None,
                       router_external: bool | None = None,
                       description: str | None = None) -> dict[str, Any]:
        """Change the given attributes (None leaves one as it is); for the owner.

        Who may change ``shared`` is the API's policy (``update_network:shared``);
        unsharing a network on which other projects have ports is a 409.
        """
        changes: dict[str, Any] = {}
        if name is not None:
            changes['name'] = validators.string('name', name)
        if admin_state_up is not None:
            changes['admin_state_up'] = validators.boolean('admin_state_up', admin_state_up)
        if mtu is not None:
            changes['mtu'] = validators.integer('mtu', mtu, minimum=MIN_MTU, maximum=MAX_MTU)
        if shared is not None:
            changes['shared'] = validators.boolean('shared', shared)
        descriptions.check(description)
        with self.db.session() as session:
            network = access.get_network(session, ctx, network_id, lock='update')
            access.require_network_owner(ctx, network, 'change it')
            revisions.check(network)
            if changes.get('shared') is False and network.shared:
                foreign = session.scalar(sa.select(sa.func.count()).where(
                    models.Port.network_id == network.id,
                    models.Port.project_id != network.project_id))
                if foreign:
                    raise exception.Conflict(
                        reason=f'network {network.id} has {foreign} port(s) of other '
                               'projects; it must stay shared')
            for field, value in changes.items():
                setattr(network, field, value)
            if router_external is not None:
                external.set_external(session, network.id,
                                      validators.boolean('router:external', router_external))
            if description is not None:
                descriptions.put(session, network.id, description)
                network.updated_at = timeutils.utcnow()
            session.flush()
            return descriptions.fill(session, [views.network_dict(
                network, _subnet_ids(session, [network.id])[network.id],
                network.id in external.external_ids(session, [network.id]))])[0]

    def delete_network(self, ctx: nl_context.RequestContext, network_id: str) -> None:
        """Delete a network with its subnets and every port not owned by an instance.

        A port whose device_owner starts with ``compute:`` makes this a 409.
        """
        with self.db.session() as session:
            network = access.get_network(session, ctx, network_id, lock='update')
            access.require_network_owner(ctx, network, 'delete it')
            in_use = session.scalars(sa.select(models.Port.id).where(
                models.Port.network_id == network.id,
                sa.or_(models.Port.device_owner.startswith(INSTANCE_OWNER_PREFIX,
                                                           autoescape=True),
                       models.Port.device_owner.in_(external.ROUTER_OWNERS)))).all()
            if in_use:
                raise exception.Conflict(
                    reason=f'network {network.id} has {len(in_use)} port(s) in use by '
                           f'instances ({", ".join(sorted(in_use))})')
            external.delete_floating_ips_of(session, network.id)
            descriptions.forget(session, sa.select(models.Port.id).where(
                models.Port.network_id == network.id))
            port_extras.forget(session, sa.select(models.Port.id).where(
                models.Port.network_id == network.id))
            descriptions.forget(session, sa.select(models.Subnet.id).where(
                models.Subnet.network_id == network.id))
            descriptions.forget(session, [network.id])
            session.execute(sa.delete(models.IPAllocation).where(
                models.IPAllocation.network_id == network.id))
            session.execute(sa.delete(models.Port).where(models.Port.network_id == network.id))
            subnet_ids = sa.select(models.Subnet.id).where(
                models.Subnet.network_id == network.id)
            session.execute(sa.delete(models.AllocationPool).where(
                models.AllocationPool.subnet_id.in_(subnet_ids)))
            session.execute(sa.delete(models.Subnet).where(
                models.Subnet.network_id == network.id))
            external.set_external(session, network.id, False)
            session.delete(network)


def _subnet_ids(session: orm.Session, network_ids: list[str]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = defaultdict(list)
    if network_ids:
        rows = session.execute(
            sa.select(models.Subnet.network_id, models.Subnet.id)
            .where(models.Subnet.network_id.in_(network_ids))
            .order_by(models.Subnet.created_at, models.Subnet.id))
        for network_id, subnet_id in rows:
            result[network_id].append(subnet_id)
    return result

