"""Subnets: their CIDRs, gateways, allocation pools, DNS servers and host routes.

The subnet half of the network manager (mixed into NetworkManager): every
method checks all of its input before writing (a bad value is a 4xx naming the
field) and runs in one transaction.
"""

from __future__ import annotations

import ipaddress
import random
from collections import defaultdict
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.api import paging, sql_paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import network as models
from nova_lite.network import (
    access,
    agent_scheduling,
    descriptions,
    ipam,
    ipv6_addresses,
    ipv6_modes,
    listing,
    revisions,
    standard_attrs,
    subnet_allocation,
    subnetpool_errors,
    validators,
    views,
)
from nova_lite.network import host_routes as host_routes_module
from nova_lite.network import quotas as quota_engine

MAX_DNS_NAMESERVERS = 5

_SORT_KEYS = listing.described_sort_columns(models.Subnet)


class SubnetMethods:
    """Create, read, update and delete subnets (mixed into NetworkManager)."""

    conf: cfg.ConfigOpts
    db: db_api.Database
    quotas: quota_engine.NetworkQuotas
    rng: random.Random

    def create_subnet(self, ctx: nl_context.RequestContext, network_id: str,
                      cidr: str | None, ip_version: int = 4, name: str = '',
                      gateway_ip: str | None = None,
                      allocation_pools: list[dict[str, str]] | None = None,
                      enable_dhcp: bool = True, dns_nameservers: list[str] | None = None,
                      *, no_gateway: bool = False,
                      host_routes: list[dict[str, str]] | None = None,
                      description: str = '',
                      subnetpool: subnet_allocation.PoolRequest | None = None,
                      ipv6_ra_mode: str | None = None,
                      ipv6_address_mode: str | None = None) -> dict[str, Any]:
        """A subnet of ``network_id``.

        ``gateway_ip`` None means the first host of ``cidr``; ``no_gateway=True``
        makes a subnet without a gateway (neutron's explicit ``gateway_ip: null``).
        ``allocation_pools`` None means every host but the gateway. With
        ``subnetpool`` the CIDR comes from (or must fit) a subnet pool, allocated
        in this transaction with the pool locked.
        An auto-address IPv6 subnet (see :mod:`ipv6_modes`) gives every port of the
        network but router interfaces its EUI-64 address at once.
        """
        validators.string('name', name)
        validators.boolean('enable_dhcp', enable_dhcp)
        validators.boolean('no_gateway', no_gateway)
        descriptions.check(description)
        if no_gateway and gateway_ip is not None:
            raise exception.InvalidInput(field='gateway_ip',
                                         reason='cannot be given with no_gateway')
        nameservers = _nameservers(dns_nameservers)
        if subnetpool is None:
            if cidr is None:
                raise exception.InvalidInput(
                    field='cidr', reason='a cidr must be given when no subnet pool is')
            network_cidr = ipam.parse_cidr(cidr, ip_version)
            ra_mode, address_mode = ipv6_modes.check(
                network_cidr.version, ipv6_ra_mode, ipv6_address_mode, enable_dhcp,
                network_cidr)
            gateway, pools = _layout(network_cidr, gateway_ip, no_gateway, allocation_pools)
            routes = host_routes_module.validate(host_routes, network_cidr.version)
        with self.db.session() as session:
            # The row lock serialises subnet creation per network (on PostgreSQL),
            # so that the overlap check below cannot race.
            network = access.get_network(session, ctx, network_id, lock='update')
            access.require_network_owner(ctx, network, 'add subnets to it')
            pool_id: str | None = None
            if subnetpool is not None:
                network_cidr, pool = subnet_allocation.allocate(
                    session, ctx, subnetpool, network.project_id)
                pool_id = pool.id
                ra_mode, address_mode = ipv6_modes.check(
                    network_cidr.version, ipv6_ra_mode, ipv6_address_mode, enable_dhcp,
                    network_cidr)
                gateway, pools = _layout(network_cidr, gateway_ip, no_gateway,
                                         allocation_pools)
                routes = host_routes_module.validate(host_routes, network_cidr.version)
            _check_pool_affinity(session, network.id, network_cidr.version, pool_id)
            _check_no_overlap(session, network.id, network_cidr)
            row = models.Subnet(name=name, network_id=network.id,
                                project_id=network.project_id,
                                ip_version=network_cidr.version, cidr=str(network_cidr),
                                gateway_ip=str(gateway) if gateway is not None else None,
                                enable_dhcp=enable_dhcp, dns_nameservers=nameservers,
                                host_routes=routes, subnetpool_id=pool_id,
                                ipv6_ra_mode=ra_mode, ipv6_address_mode=address_mode)
            session.add(row)
            session.flush()
            session.add_all(models.AllocationPool(subnet_id=row.id, first_ip=str(first),
                                                  last_ip=str(last)) for first, last in pools)
            session.flush()
            if ipv6_modes.is_auto_address_subnet(row):
                ipv6_addresses.add_to_network_ports(session, row)
            descriptions.put(session, row.id, description)
            agent_scheduling.schedule_network(session, network.id,
                                              self.conf.network.agent_down_time)
            session.flush()
            self.quotas.check(session, network.project_id, quota_engine.SUBNET)
            return standard_attrs.fill(session, [views.subnet_dict(
                row, [(str(first), str(last)) for first, last in pools])])[0]

    def get_subnet(self, ctx: nl_context.RequestContext, subnet_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            row = access.get_subnet(session, ctx, subnet_id)
            return standard_attrs.fill(session, [views.subnet_dict(
                row, _pools(session, [row.id])[row.id])])[0]

    def list_subnets(self, ctx: nl_context.RequestContext, network_id: str | None = None,
                     name: str | None = None) -> list[dict[str, Any]]:
        validators.optional_string('network_id', network_id)
        validators.optional_string('name', name)
        filters = [(key, [value]) for key, value in (('network_id', network_id),
                                                     ('name', name)) if value is not None]
        return self.page_subnets(ctx, filters).items

    def page_subnets(self, ctx: nl_context.RequestContext, filters: listing.Filters = (),
                     request: paging.PageRequest = paging.EVERYTHING,
                     ) -> paging.Page[dict[str, Any]]:
        """One page of the subnets of visible networks matching ``filters``, oldest first."""
        statement = listing.filtered(
            sa.select(models.Subnet)
            .join(models.Network, models.Network.id == models.Subnet.network_id)
            .where(access.visible_networks(ctx)), listing.SUBNET_FILTERS, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(
                session, statement, listing.order(models.Subnet, request.sort, _SORT_KEYS),
                request, models.Subnet.id)
            pools = _pools(session, [row.id for row in page.items])
            return paging.Page(standard_attrs.fill(session, [
                views.subnet_dict(row, pools[row.id]) for row in page.items]),
                page.next_marker)

    def update_subnet(self, ctx: nl_context.RequestContext, subnet_id: str, *,
                      name: str | None = None, enable_dhcp: bool | None = None,
                      dns_nameservers: list[str] | None = None,
                      allocation_pools: list[dict[str, str]] | None = None,
                      host_routes: list[dict[str, str]] | None = None,
                      gateway_ip: str | None = None, no_gateway: bool = False,
                      description: str | None = None) -> dict[str, Any]:
        """Change the given attributes (None leaves one as it is); for the network's owner.

        New ``allocation_pools`` must fit the subnet and miss its gateway; addresses
        already allocated outside them stay allocated (as in neutron). A new
        ``gateway_ip`` (or ``no_gateway=True``) must be a host of the subnet outside
        its pools (409 otherwise), and the old gateway must not be a port's address.
        """
        if no_gateway and gateway_ip is not None:
            raise exception.InvalidInput(field='gateway_ip',
                                         reason='cannot be given with no_gateway')
        changes: dict[str, Any] = {}
        if name is not None:
            changes['name'] = validators.string('name', name)
        if enable_dhcp is not None:
            changes['enable_dhcp'] = validators.boolean('enable_dhcp', enable_dhcp)
        if dns_nameservers is not None:
            changes['dns_nameservers'] = _nameservers(dns_nameservers)
        descriptions.check(description)
        with self.db.session() as session:
            subnet = access.get_subnet(session, ctx, subnet_id, lock='update')
            network = session.get_one(models.Network, subnet.network_id)
            access.require_network_owner(ctx, network, 'change its subnets')
            ipv6_modes.check_dhcp_change(enable_dhcp, subnet.ipv6_ra_mode,
                                         subnet.ipv6_address_mode)
            revisions.check(subnet)
            cidr = ipam.parse_network(subnet.cidr)
            if host_routes is not None:
                changes['host_routes'] = host_routes_module.validate(host_routes, cidr.version)
            gateway = (ipaddress.ip_address(subnet.gateway_ip) if subnet.gateway_ip
                       else None)
            if gateway_ip is not None or no_gateway:
                gateway = _new_gateway(session, subnet, cidr, gateway_ip)
                changes['gateway_ip'] = str(gateway) if gateway is not None else None
            pools = None
            if allocation_pools is not None:
                pools = ipam.validate_pools(allocation_pools, cidr, gateway)
            elif gateway is not None and 'gateway_ip' in changes:
                _check_gateway_outside_pools(session, subnet.id, gateway)
            for field, value in changes.items():
                setattr(subnet, field, value)
            if pools is not None:
                subnet.updated_at = timeutils.utcnow()
                session.execute(sa.delete(models.AllocationPool).where(
                    models.AllocationPool.subnet_id == subnet.id))
                session.add_all(models.AllocationPool(subnet_id=subnet.id, first_ip=str(first),
                                                      last_ip=str(last))
                                for first, last in pools)
            if description is not None:
                descriptions.put(session, subnet.id, description)
                subnet.updated_at = timeutils.utcnow()
            session.flush()
            agent_scheduling.schedule_network(session, subnet.network_id,
                                              self.conf.network.agent_down_time)
            return standard_attrs.fill(session, [views.subnet_dict(
                subnet, _pools(session, [subnet.id])[subnet.id])])[0]

    def delete_subnet(self, ctx: nl_context.RequestContext, subnet_id: str) -> None:
        """Delete a subnet; a 409 while any of its addresses is allocated to a port.

        The EUI-64 addresses of an auto-address subnet go with it (as in neutron),
        except a router interface's, which must be removed first."""
        with self.db.session() as session:
            subnet = access.get_subnet(session, ctx, subnet_id, lock='update')
            network = session.get_one(models.Network, subnet.network_id)
            access.require_network_owner(ctx, network, 'delete its subnets')
            if ipv6_modes.is_auto_address_subnet(subnet):
                ipv6_addresses.remove_from_ports(session, subnet)
            allocated = session.scalar(sa.select(sa.func.count()).where(
                models.IPAllocation.subnet_id == subnet.id))
            if allocated:
                raise exception.Conflict(
                    reason=f'subnet {subnet.id} still has {allocated} IP address(es) '
                           'allocated to ports')
            session.execute(sa.delete(models.AllocationPool).where(
                models.AllocationPool.subnet_id == subnet.id))
            standard_attrs.forget(session, [subnet.id])
            session.delete(subnet)


def _layout(network_cidr: ipam.IPNetwork, gateway_ip: str | None, no_gateway: bool,
            allocation_pools: list[dict[str, str]] | None,
            ) -> tuple[ipam.IPAddress | None, list[ipam.Pool]]:
    """The validated gateway and allocation pools of a new subnet of ``network_cidr``."""
    gateway: ipam.IPAddress | None = None
    if gateway_ip is not None:
        gateway = ipam.validate_gateway(gateway_ip, network_cidr)
    elif not no_gateway:
        gateway = ipam.default_gateway(network_cidr)
    if allocation_pools is None:
        return gateway, ipam.default_pools(network_cidr, gateway)
    return gateway, ipam.validate_pools(allocation_pools, network_cidr, gateway)


def _check_pool_affinity(session: orm.Session, network_id: str, ip_version: int,
                         pool_id: str | None) -> None:
    """The subnets of one IP version on a network all come from one pool (or none)."""
    others = set(session.scalars(sa.select(models.Subnet.subnetpool_id).where(
        models.Subnet.network_id == network_id, models.Subnet.ip_version == ip_version)))
    if others and others != {pool_id}:
        raise subnetpool_errors.NetworkSubnetPoolAffinityError(field='subnetpool_id')


def _new_gateway(session: orm.Session, subnet: models.Subnet, cidr: ipam.IPNetwork,
                 gateway_ip: str | None) -> ipam.IPAddress | None:
    """The validated new gateway (None: no gateway); 409 while the old one is a port's."""
    gateway = ipam.validate_gateway(gateway_ip, cidr) if gateway_ip is not None else None
    if subnet.gateway_ip and (gateway is None or str(gateway) != subnet.gateway_ip):
        owner = session.scalar(sa.select(models.IPAllocation.port_id).where(
            models.IPAllocation.subnet_id == subnet.id,
            models.IPAllocation.ip_address == subnet.gateway_ip))
        if owner is not None:
            raise exception.Conflict(
                reason=f'gateway {subnet.gateway_ip} of subnet {subnet.id} is in use by '
                       f'port {owner}')
    return gateway


def _check_gateway_outside_pools(session: orm.Session, subnet_id: str,
                                 gateway: ipam.IPAddress) -> None:
    for first, last in _pools(session, [subnet_id])[subnet_id]:
        if (int(ipaddress.ip_address(first)) <= int(gateway)
                <= int(ipaddress.ip_address(last))):
            raise exception.Conflict(
                reason=f'gateway {gateway} is inside the allocation pool {first}-{last}')


def _nameservers(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise exception.InvalidInput(field='dns_nameservers', reason='must be a list')
    if len(value) > MAX_DNS_NAMESERVERS:
        raise exception.InvalidInput(field='dns_nameservers',
                                     reason=f'at most {MAX_DNS_NAMESERVERS} are allowed')
    result: list[str] = []
    for index, item in enumerate(value):
        try:
            address = str(ipaddress.ip_address(item.strip() if isinstance(item, str) else ''))
        except ValueError:
            raise exception.InvalidInput(field=f'dns_nameservers.{index}',
                                         reason=f'{item!r} is not an IP address') from None
        if address in result:
            raise exception.InvalidInput(field=f'dns_nameservers.{index}',
                                         reason=f'{address} is given twice')
        result.append(address)
    return result


def _check_no_overlap(session: orm.Session, network_id: str, cidr: ipam.IPNetwork) -> None:
    existing = session.scalars(sa.select(models.Subnet.cidr).where(
        models.Subnet.network_id == network_id, models.Subnet.ip_version == cidr.version))
    for other in existing:
        if ipaddress.ip_network(other).overlaps(cidr):
            # Neutron's words: Tempest's subnet helpers look for "overlaps with
            # another subnet" to try their next CIDR.
            raise exception.InvalidInput(
                'Invalid input for operation: Requested subnet with cidr: '
                f'{cidr} for network: {network_id} overlaps with another subnet.',
                field='cidr', reason=f'overlaps subnet {other}')


def _pools(session: orm.Session, subnet_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    result: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if subnet_ids:
        rows = session.execute(
            sa.select(models.AllocationPool.subnet_id, models.AllocationPool.first_ip,
                      models.AllocationPool.last_ip)
            .where(models.AllocationPool.subnet_id.in_(subnet_ids)))
        for subnet_id, first, last in rows:
            result[subnet_id].append((first, last))
    return result
