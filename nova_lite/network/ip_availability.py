"""How many addresses each network's subnets have and how many are in use
(neutron's network-ip-availability), read from the IPAM tables.

``total_ips`` of a subnet is the size of its allocation pools; ``used_ips`` the
addresses of the subnet allocated to ports (inside the pools or not). A
network's counts are the sums over its subnets. Who may read them (admins, by
default) is the API's policy; the manager reads every network.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import network as models


def _pool_size(first: str, last: str) -> int:
    return int(ipaddress.ip_address(last)) - int(ipaddress.ip_address(first)) + 1


def _subnets(session: orm.Session, network_ids: list[str],
             ip_versions: list[int] | None) -> dict[str, list[dict[str, Any]]]:
    statement = sa.select(models.Subnet).where(models.Subnet.network_id.in_(network_ids))
    if ip_versions is not None:
        statement = statement.where(models.Subnet.ip_version.in_(ip_versions))
    subnets = session.scalars(statement.order_by(models.Subnet.created_at,
                                                 models.Subnet.id)).all()
    ids = [subnet.id for subnet in subnets]
    totals: dict[str, int] = defaultdict(int)
    for subnet_id, first, last in session.execute(
            sa.select(models.AllocationPool.subnet_id, models.AllocationPool.first_ip,
                      models.AllocationPool.last_ip)
            .where(models.AllocationPool.subnet_id.in_(ids))):
        totals[subnet_id] += _pool_size(first, last)
    used: dict[str, int] = {subnet_id: count for subnet_id, count in session.execute(
        sa.select(models.IPAllocation.subnet_id, sa.func.count())
        .where(models.IPAllocation.subnet_id.in_(ids))
        .group_by(models.IPAllocation.subnet_id))}
    result: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for subnet in subnets:
        result[subnet.network_id].append({
            'subnet_id': subnet.id, 'subnet_name': subnet.name, 'cidr': subnet.cidr,
            'ip_version': subnet.ip_version, 'total_ips': totals[subnet.id],
            'used_ips': used.get(subnet.id, 0)})
    return result


def _availability(network: models.Network,
                  subnets: list[dict[str, Any]]) -> dict[str, Any]:
    return {'network_id': network.id, 'network_name': network.name,
            'project_id': network.project_id, 'tenant_id': network.project_id,
            'total_ips': sum(subnet['total_ips'] for subnet in subnets),
            'used_ips': sum(subnet['used_ips'] for subnet in subnets),
            'subnet_ip_availability': subnets}


class IPAvailabilityMethods:
    db: db_api.Database

    def network_ip_availabilities(self, ctx: nl_context.RequestContext, *,
                                  network_ids: list[str] | None = None,
                                  network_names: list[str] | None = None,
                                  project_ids: list[str] | None = None,
                                  ip_versions: list[int] | None = None,
                                  ) -> list[dict[str, Any]]:
        """The counts of every network matching the filters (any of each list);
        with ``ip_versions`` only networks that have subnets of those versions, counted
        over them."""
        statement = sa.select(models.Network)
        for column, values in ((models.Network.id, network_ids),
                               (models.Network.name, network_names),
                               (models.Network.project_id, project_ids)):
            if values is not None:
                statement = statement.where(column.in_(values))
        with self.db.reader() as session:
            networks = session.scalars(statement.order_by(models.Network.created_at,
                                                          models.Network.id)).all()
            subnets = _subnets(session, [network.id for network in networks], ip_versions)
            return [_availability(network, subnets[network.id]) for network in networks
                    if ip_versions is None or subnets[network.id]]

    def network_ip_availability(self, ctx: nl_context.RequestContext,
                                network_id: str) -> dict[str, Any]:
        """The counts of one network; 404 when there is no such network."""
        found = self.network_ip_availabilities(ctx, network_ids=[network_id])
        if not found:
            raise exception.NotFound(resource='Network', id=network_id)
        return found[0]
