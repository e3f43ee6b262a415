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
    address_scopes,
    descriptions,
    external,
    floating_ips,
    ip_availability,
    listing,
    port_extras,
    ports,
    quotas,
    rbac,
    rbac_policies,
    revisions,
    routers,
    security_groups,
    segments,
    standard_attrs,
    subnetpools,
    subnets,
    tag_methods,
    validators,
    views,
)

INSTANCE_OWNER_PREFIX = 'compute:'
# Ports deleted with their network (neutron's auto-delete owners, and floating
# IP ports, whose floating IPs go with an external network).
AUTO_DELETE_PORT_OWNERS = ('network:dhcp', external.FLOATING_IP)
MIN_MTU = 68
MAX_MTU = 65535

_SORT_KEYS = listing.described_sort_columns(models.Network)


class NetworkManager(subnets.SubnetMethods, ports.PortMethods,
                     security_groups.SecurityGroupMethods, routers.RouterMethods,
                     floating_ips.FloatingIPMethods, ip_availability.IPAvailabilityMethods,
                     tag_methods.TagMethods,
                     subnetpools.SubnetPoolMethods, address_scopes.AddressScopeMethods,
                     rbac_policies.RBACPolicyMethods):
    """Networks here; subnets in :class:`subnets.SubnetMethods`, ports and their
    addresses in :class:`ports.PortMethods`; security groups, routers and floating
    IPs in their own mixins."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database, *,
                 rng: random.Random | None = None) -> None:
        self.conf = conf
        self.db = db
        revisions.install()
        self.rng = rng or random.SystemRandom()
        self.quotas = quotas.NetworkQuotas(db, conf)

    # -- networks -----------------------------------------------------------------

    def create_network(self, ctx: nl_context.RequestContext, name: str = '',
                       admin_state_up: bool = True, shared: bool = False,
                       mtu: int = 1500, *, project_id: str | None = None,
                       router_external: bool = False, description: str = '',
                       provider_segments: list[segments.Segment] | None = None,
                       ) -> dict[str, Any]:
        """A network of the caller's project (or, for an admin, of ``project_id``).

        Who may make it shared or external, or give its provider segments, is the
        API's policy (``create_network:shared``, ``create_network:router:external``,
        ``create_network:provider:*``); without segments it gets the tenant type's.
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
                                 admin_state_up=admin_state_up, shared=False, mtu=mtu,
                                 status=NetworkStatus.ACTIVE)
            session.add(row)
            session.flush()
            if provider_segments:
                segments.record(session, row.id, provider_segments)
            else:
                segments.record_tenant(session, self.conf, row.id)
            if shared:
                rbac.add(session, row, rbac.SHARED, rbac.WILDCARD)
            if router_external:
                external.set_external(session, row, True)
            descriptions.put(session, row.id, description)
            session.flush()
            self.quotas.check(session, owner, quotas.NETWORK)
            return _network_dicts(session, ctx, [row])[0]

    def get_network(self, ctx: nl_context.RequestContext, network_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            row = access.get_network(session, ctx, network_id)
            return _network_dicts(session, ctx, [row])[0]

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
            {**listing.NETWORK_FILTERS, 'shared': rbac.shared_condition(ctx)}, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(
                session, statement, listing.order(models.Network, request.sort, _SORT_KEYS),
                request, models.Network.id)
            return paging.Page(_network_dicts(session, ctx, list(page.items)),
                               page.next_marker)

    def update_network(self, ctx: nl_context.RequestContext, network_id: str, *,
                       name: str | None = None, admin_state_up: bool | None = None,
                       mtu: int | None = None, shared: bool | None = None,
                       router_external: bool | None = None,
                       description: str | None = None) -> dict[str, Any]:
        """Change the given attributes (None leaves one as it is); for the owner.

        Who may change ``shared`` is the API's policy (``update_network:shared``);
        it adds or removes the wildcard access_as_shared policy, and unsharing a
        network on which other projects (not shared with otherwise) have ports is
        a 409.
        """
        changes: dict[str, Any] = {}
        if name is not None:
            changes['name'] = validators.string('name', name)
        if admin_state_up is not None:
            changes['admin_state_up'] = validators.boolean('admin_state_up', admin_state_up)
        if mtu is not None:
            changes['mtu'] = validators.integer('mtu', mtu, minimum=MIN_MTU, maximum=MAX_MTU)
        if shared is not None:
            shared = validators.boolean('shared', shared)
        descriptions.check(description)
        with self.db.session() as session:
            network = access.get_network(session, ctx, network_id, lock='update')
            access.require_network_owner(ctx, network, 'change it')
            revisions.check(network)
            wildcard = rbac.find(session, network.id, rbac.SHARED, rbac.WILDCARD)
            if shared is True and wildcard is None:
                rbac.add(session, network, rbac.SHARED, rbac.WILDCARD)
            elif shared is False and wildcard is not None:
                rbac.remove(session, network, wildcard)
            for field, value in changes.items():
                setattr(network, field, value)
            if router_external is not None:
                external.set_external(session, network,
                                      validators.boolean('router:external', router_external))
            if description is not None:
                descriptions.put(session, network.id, description)
                network.updated_at = timeutils.utcnow()
            session.flush()
            return _network_dicts(session, ctx, [network])[0]

    def delete_network(self, ctx: nl_context.RequestContext, network_id: str) -> None:
        """Delete a network with its subnets and the ports neutron deletes with it.

        As in neutron, any other port (an instance's, a router's, or one a user
        made) makes this a 409: only DHCP and floating IP ports go with the network.
        """
        with self.db.session() as session:
            network = access.get_network(session, ctx, network_id, lock='update')
            access.require_network_owner(ctx, network, 'delete it')
            in_use = session.scalars(sa.select(models.Port.id).where(
                models.Port.network_id == network.id,
                models.Port.device_owner.not_in(AUTO_DELETE_PORT_OWNERS))).all()
            if in_use:
                raise exception.Conflict(
                    f'Unable to complete operation on network {network.id}. There are one '
                    'or more ports still in use on the network, id for these ports is: '
                    f'{", ".join(sorted(in_use))}.')
            external.delete_floating_ips_of(session, network.id)
            standard_attrs.forget(session, sa.select(models.Port.id).where(
                models.Port.network_id == network.id))
            port_extras.forget(session, sa.select(models.Port.id).where(
                models.Port.network_id == network.id))
            standard_attrs.forget(session, sa.select(models.Subnet.id).where(
                models.Subnet.network_id == network.id))
            standard_attrs.forget(session, [network.id])
            session.execute(sa.delete(models.IPAllocation).where(
                models.IPAllocation.network_id == network.id))
            session.execute(sa.delete(models.Port).where(models.Port.network_id == network.id))
            subnet_ids = sa.select(models.Subnet.id).where(
                models.Subnet.network_id == network.id)
            session.execute(sa.delete(models.AllocationPool).where(
                models.AllocationPool.subnet_id.in_(subnet_ids)))
            session.execute(sa.delete(models.Subnet).where(
                models.Subnet.network_id == network.id))
            external.set_external(session, network, False)
            rbac.forget(session, network.id)
            segments.forget(session, network.id)
            session.delete(network)


def _network_dicts(session: orm.Session, ctx: nl_context.RequestContext,
                   rows: list[models.Network]) -> list[dict[str, Any]]:
    """The networks as the caller sees them: ``shared`` is true when a policy shares
    it with every project or with the caller's; provider attributes included (the API
    shows them to admins only)."""
    ids = [row.id for row in rows]
    subnet_ids = _subnet_ids(session, ids)
    externals = external.external_ids(session, ids)
    shared = rbac.shared_with(session, ctx, ids)
    provider = segments.attributes(session, ids)
    return standard_attrs.fill(session, [
        {**views.network_dict(row, subnet_ids[row.id], row.id in externals),
         'shared': row.shared or row.id in shared, **provider[row.id]}
        for row in rows])


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

