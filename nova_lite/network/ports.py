"""Ports: a MAC and fixed IPs on a network, optionally bound to an instance and host."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.api import paging, sql_paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import PortStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import base as models_base
from nova_lite.db.models import network as models
from nova_lite.network import (
    access,
    agent_scheduling,
    compute_notifier,
    descriptions,
    external,
    ipam,
    ipv6_addresses,
    ipv6_modes,
    listing,
    macs,
    port_extras,
    port_security,
    revisions,
    standard_attrs,
    validators,
    views,
)
from nova_lite.network import fixed_ip_requests as fixed_ips_of
from nova_lite.network import quotas as quota_engine

PORT_STATUSES = PortStatus.ALL
_SORT_KEYS = listing.described_sort_columns(models.Port,
                                            {'binding:host_id': 'binding_host_id'})


class PortMethods:
    """The port half of the network manager (mixed into NetworkManager)."""

    conf: cfg.ConfigOpts
    db: db_api.Database
    quotas: quota_engine.NetworkQuotas
    rng: random.Random
    # Where the changes of servers' ports are told to compute (None: nowhere).
    compute_events: compute_notifier.EventSink | None = None

    def create_port(self, ctx: nl_context.RequestContext, network_id: str, name: str = '',
                    fixed_ips: list[dict[str, str]] | None = None,
                    mac_address: str | None = None, device_id: str = '',
                    device_owner: str = '', binding_host_id: str = '',
                    admin_state_up: bool = True, *,
                    project_id: str | None = None, security_groups: list[str] | None = None,
                    port_security_enabled: bool | None = None,
                    description: str = '',
                    allowed_address_pairs: list[dict[str, Any]] | None = None,
                    extra_dhcp_opts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """A port of the caller's project (or, for an admin, of ``project_id``) on a
        network it can see.

        ``fixed_ips`` None gives the port one free address of the network's first
        IPv4 subnet that has one (IPv6 subnets only if there is no IPv4 subnet);
        ``[]`` gives none. Each entry ``{subnet_id?, ip_address?}`` asks for any
        address of a subnet or for exactly one address. On a network without
        subnets the port simply has no addresses, as neutron allows.
        Whatever ``fixed_ips`` asks, a port that is not a router interface also
        gets its EUI-64 address on each auto-address IPv6 subnet (slaac,
        dhcpv6-stateless), which takes no address of its own there.
        Raises IpAddressExhausted (409) when no address is free, Conflict (409)
        when a requested IP or MAC is taken; nothing is written then.
        ``security_groups`` None gives the port its project's default group (see
        :mod:`port_security`).
        """
        for field, value in (('name', name), ('device_id', device_id),
                             ('device_owner', device_owner),
                             ('binding_host_id', binding_host_id)):
            validators.string(field, value)
        validators.boolean('admin_state_up', admin_state_up)
        descriptions.check(description)
        pairs = port_extras.check_pairs(allowed_address_pairs)
        opts = port_extras.check_opts(extra_dhcp_opts)
        mac = macs.normalize_mac('mac_address', mac_address) if mac_address is not None \
            else None
        entries = (None if fixed_ips is None else
                   validators.list_of_dicts('fixed_ips', fixed_ips, fixed_ips_of.FIXED_IP_KEYS))
        owner = owner_project(ctx, project_id)
        with self.db.session() as session:
            # Shared row locks (PostgreSQL): a concurrent delete of the network or
            # of a subnet waits for this port, while other ports go ahead in parallel.
            network = access.get_network(session, ctx, network_id, lock='share')
            subnets = session.scalars(
                sa.select(models.Subnet).where(models.Subnet.network_id == network.id)
                .order_by(models.Subnet.created_at, models.Subnet.id)
                .with_for_update(read=True)).all()
            requests = (None if entries is None
                        else fixed_ips_of.resolve(entries, subnets, device_owner))
            port_id = self._insert_port(session, owner, network.id, mac,
                                        name=name, device_id=device_id,
                                        device_owner=device_owner,
                                        binding_host_id=binding_host_id,
                                        admin_state_up=admin_state_up)
            row = session.get_one(models.Port, port_id)
            eui64_mac = auto_address_mac(row)
            if requests is None:
                allocated = self._allocate_default(session, network.id, subnets, port_id)
            else:
                allocated = [self._allocate(session, request, port_id, eui64_mac)
                             for request in requests]
            allocated += ipv6_addresses.allocate_missing(
                session, subnets, port_id, row.mac_address, device_owner, allocated)
            port_security.bind_new_port(session, ctx, port_id, owner, device_owner,
                                        security_groups, port_security_enabled)
            descriptions.put(session, port_id, description)
            _put_extras(session, row, pairs, opts)
            agent_scheduling.schedule_network(session, network.id,
                                              self.conf.network.agent_down_time)
            session.flush()
            self.quotas.check(session, owner, quota_engine.PORT)
            return _secured(session, views.port_dict(row, allocated))

    def get_port(self, ctx: nl_context.RequestContext, port_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            row = access.get_port(session, ctx, port_id)
            return _secured(session, views.port_dict(row, _fixed_ips(session, [row.id])[row.id]))

    def list_ports(self, ctx: nl_context.RequestContext, network_id: str | None = None,
                   device_id: str | None = None, device_owner: str | None = None,
                   name: str | None = None,
                   security_groups: str | None = None) -> list[dict[str, Any]]:
        filters: list[tuple[str, list[Any]]] = []
        for field, value in (('network_id', network_id), ('device_id', device_id),
                             ('device_owner', device_owner), ('name', name),
                             ('security_groups', security_groups)):
            if validators.optional_string(field, value) is not None:
                filters.append((field, [value]))
        return self.page_ports(ctx, filters).items

    def page_ports(self, ctx: nl_context.RequestContext, filters: listing.Filters = (),
                   request: paging.PageRequest = paging.EVERYTHING,
                   ) -> paging.Page[dict[str, Any]]:
        """One page of the visible ports matching ``filters``, oldest first, read from
        the database alone (an index per filter column, then creation time)."""
        statement = listing.filtered(sa.select(models.Port).where(access.visible_ports(ctx)),
                                     listing.PORT_FILTERS, filters)
        with self.db.reader() as session:
            page = sql_paging.page_rows(
                session, statement, listing.order(models.Port, request.sort, _SORT_KEYS),
                request, models.Port.id)
            fixed_ips = _fixed_ips(session, [row.id for row in page.items])
            return paging.Page(_with_extensions(
                session, [views.port_dict(row, fixed_ips[row.id]) for row in page.items]),
                page.next_marker)

    def update_port(self, ctx: nl_context.RequestContext, port_id: str, *,
                    name: str | None = None, device_id: str | None = None,
                    device_owner: str | None = None, binding_host_id: str | None = None,
                    status: str | None = None,
                    admin_state_up: bool | None = None,
                    security_groups: list[str] | None = None,
                    port_security_enabled: bool | None = None,
                    fixed_ips: list[dict[str, str]] | None = None,
                    description: str | None = None,
                    allowed_address_pairs: list[dict[str, Any]] | None = None,
                    extra_dhcp_opts: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """Change the given attributes (None leaves one as it is).

        New ``fixed_ips`` replace the port's addresses: an entry naming an address
        the port holds (or only the subnet of one) keeps it, the others are
        allocated, and addresses no entry names are freed (as neutron does), but
        for the EUI-64 addresses of auto-address subnets, which a port keeps.
        """
        entries = (None if fixed_ips is None else
                   validators.list_of_dicts('fixed_ips', fixed_ips, fixed_ips_of.FIXED_IP_KEYS))
        changes: dict[str, Any] = {}
        for field, value in (('name', name), ('device_id', device_id),
                             ('device_owner', device_owner),
                             ('binding_host_id', binding_host_id)):
            if validators.optional_string(field, value) is not None:
                changes[field] = value
        if status is not None:
            if status not in PORT_STATUSES:
                raise exception.InvalidInput(
                    field='status', reason=f'must be one of {", ".join(PORT_STATUSES)}')
            changes['status'] = status
        if admin_state_up is not None:
            changes['admin_state_up'] = validators.boolean('admin_state_up', admin_state_up)
        descriptions.check(description)
        pairs = port_extras.check_pairs(allowed_address_pairs)
        opts = port_extras.check_opts(extra_dhcp_opts)
        with self.db.session() as session:
            row = access.get_port(session, ctx, port_id, lock='update')
            revisions.check(row)
            before = views.port_dict(row, _fixed_ips(session, [row.id])[row.id])
            for field, value in changes.items():
                setattr(row, field, value)
            if port_security.update_port(session, ctx, row.id, row.project_id,
                                         security_groups, port_security_enabled):
                row.updated_at = timeutils.utcnow()
            if entries is not None:
                self._replace_fixed_ips(session, row, entries)
            if description is not None:
                descriptions.put(session, row.id, description)
                row.updated_at = timeutils.utcnow()
            if _put_extras(session, row, pairs, opts,
                           security_off=port_security_enabled is False):
                row.updated_at = timeutils.utcnow()
            session.flush()
            after = _secured(session, views.port_dict(row, _fixed_ips(session, [row.id])[row.id]))
        compute_notifier.tell_compute(self.compute_events, before, after)
        return after

    def delete_port(self, ctx: nl_context.RequestContext, port_id: str, *,
                    ignore_missing: bool = False) -> None:
        """Delete a port and free its addresses; with ``ignore_missing`` a missing
        port is not an error (for idempotent cleanups)."""
        with self.db.session() as session:
            try:
                row = access.get_port(session, ctx, port_id, lock='update')
            except exception.NotFound:
                if ignore_missing:
                    return
                raise
            before = views.port_dict(row, [])
            external.before_port_delete(session, row)
            session.execute(sa.delete(models.IPAllocation).where(
                models.IPAllocation.port_id == row.id))
            standard_attrs.forget(session, [row.id])
            port_extras.forget(session, [row.id])
            session.delete(row)
        compute_notifier.tell_compute(self.compute_events, before, None)

    # -- helpers ------------------------------------------------------------------

    def _replace_fixed_ips(self, session: orm.Session, row: models.Port,
                           entries: list[dict[str, Any]]) -> None:
        remaining = list(_fixed_ips(session, [row.id])[row.id])
        wanted: list[dict[str, Any]] = []
        for entry in entries:
            held = next((current for current in remaining
                         if fixed_ips_of.names_held(entry, current)), None)
            if held is None:
                wanted.append(entry)
            else:
                remaining.remove(held)
        subnets = session.scalars(
            sa.select(models.Subnet).where(models.Subnet.network_id == row.network_id)
            .order_by(models.Subnet.created_at, models.Subnet.id)
            .with_for_update(read=True)).all()
        requests = fixed_ips_of.resolve(wanted, subnets, row.device_owner)
        eui64_mac = auto_address_mac(row)
        if eui64_mac is not None:
            automatic = {subnet.id for subnet in subnets
                         if ipv6_modes.is_auto_address_subnet(subnet)}
            remaining = [held for held in remaining if held[0] not in automatic]
        external.disassociate_addresses(session, row.id, [address for _, address in remaining])
        for subnet_id, address in remaining:
            session.execute(sa.delete(models.IPAllocation).where(
                models.IPAllocation.port_id == row.id,
                models.IPAllocation.subnet_id == subnet_id,
                models.IPAllocation.ip_address == address))
        session.flush()
        for request in requests:
            self._allocate(session, request, row.id, eui64_mac)
        row.updated_at = timeutils.utcnow()

    def _insert_port(self, session: orm.Session, project_id: str | None,
                     network_id: str, mac: str | None, **fields: Any) -> str:
        """Insert the port row under a MAC unique on the network; returns its id."""
        port_id = models_base.new_uuid()
        tries = 1 if mac is not None else self.conf.network.mac_generation_retries
        for _attempt in range(tries):
            candidate = mac or macs.generate_mac(self.conf.network.base_mac, self.rng)
            try:
                with session.begin_nested():
                    session.execute(sa.insert(models.Port).values(
                        id=port_id, network_id=network_id, project_id=project_id,
                        mac_address=candidate, status=PortStatus.DOWN, **fields))
                revisions.created(session, models.Port, port_id)
                return port_id
            except sa_exc.IntegrityError:
                if mac is not None:
                    raise exception.Conflict(
                        reason=f'mac_address {mac} is already in use on network '
                               f'{network_id}') from None
        raise exception.Conflict(
            reason=f'no unused MAC found on network {network_id} in {tries} tries')

    def _allocate(self, session: orm.Session, request: fixed_ips_of.AddressRequest,
                  port_id: str, eui64_mac: str | None = None) -> tuple[str, str]:
        """The requested address; with ``eui64_mac``, any address of an auto-address
        subnet is the EUI-64 one of that MAC."""
        if (request.address is None and eui64_mac is not None
                and ipv6_modes.is_auto_address_subnet(request.subnet)):
            return ipv6_addresses.allocate(session, request.subnet, port_id, eui64_mac,
                                           field=request.field)
        if request.address is not None:
            address = ipam.allocate_specific_ip(session, request.subnet, request.address,
                                                port_id, field=request.field)
        else:
            address = ipam.allocate_ip(session, request.subnet, port_id,
                                       retries=self.conf.network.ip_allocation_retries,
                                       rng=self.rng)
        return request.subnet.id, address

    def _allocate_default(self, session: orm.Session, network_id: str,
                          subnets: Sequence[models.Subnet],
                          port_id: str) -> list[tuple[str, str]]:
        """One address from the pools of the first IPv4 subnet that has one free (else
        of the first such IPv6 subnet that is not auto-address)."""
        candidates = ([s for s in subnets if s.ip_version == 4]
                      or [s for s in subnets if s.ip_version == 6
                          and not ipv6_modes.is_auto_address_subnet(s)])
        for subnet in candidates:
            try:
                any_address = fixed_ips_of.AddressRequest('fixed_ips', subnet, None)
                return [self._allocate(session, any_address, port_id)]
            except exception.IpAddressExhausted:
                continue
        if candidates:
            raise exception.IpAddressExhausted(network_id=network_id)
        return []


def owner_project(ctx: nl_context.RequestContext, project_id: Any) -> str | None:
    """The project a new resource belongs to: the caller's, or another one that an
    admin names."""
    if project_id is None or project_id == ctx.project_id:
        return ctx.project_id
    validators.string('project_id', project_id, max_length=64)
    if not project_id:
        raise exception.InvalidInput(field='project_id', reason='must not be empty')
    if not access.is_admin(ctx):
        raise exception.Forbidden('Only an admin may create resources for another project.')
    return project_id


def auto_address_mac(row: models.Port) -> str | None:
    """The MAC a port's EUI-64 addresses come from (None: a router interface, which
    takes pool addresses)."""
    return row.mac_address if ipv6_modes.gets_auto_addresses(row.device_owner) else None


def _fixed_ips(session: orm.Session, port_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    result: dict[str, list[tuple[str, str]]] = defaultdict(list)
    if port_ids:
        rows = session.execute(
            sa.select(models.IPAllocation.port_id, models.IPAllocation.subnet_id,
                      models.IPAllocation.ip_address)
            .where(models.IPAllocation.port_id.in_(port_ids)))
        for port_id, subnet_id, address in rows:
            result[port_id].append((subnet_id, address))
    return result


def _with_extensions(session: orm.Session,
                     ports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``ports`` with their security groups, port security, description, address
    pairs and DHCP options."""
    return port_extras.fill(session, standard_attrs.fill(
        session, port_security.with_port_security(session, ports)))


def _secured(session: orm.Session, port: dict[str, Any]) -> dict[str, Any]:
    return _with_extensions(session, [port])[0]


def _put_extras(session: orm.Session, row: models.Port, pairs: list[dict[str, Any]] | None,
                opts: list[dict[str, Any]] | None, *, security_off: bool = False) -> bool:
    """Store checked address pairs and DHCP options (None: keep); whether they changed.

    ``security_off``: port security has just been turned off, which kept address
    pairs refuse."""
    if pairs is None and opts is None and not security_off:
        return False
    session.flush()
    port = port_security.with_port_security(session, [views.port_dict(row, [])])[0]
    return port_extras.put(session, port, pairs, opts)
