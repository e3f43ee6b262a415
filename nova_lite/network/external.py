"""External networks (``router:external``) and the device owners of layer 3 ports."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db.models import network as models
from nova_lite.db.models import network_l3 as l3_models
from nova_lite.network import l3_errors, rbac, tags

ROUTER_INTERFACE = 'network:router_interface'
ROUTER_GATEWAY = 'network:router_gateway'
FLOATING_IP = 'network:floatingip'
L3_OWNERS = (ROUTER_INTERFACE, ROUTER_GATEWAY, FLOATING_IP)
ROUTER_OWNERS = (ROUTER_INTERFACE, ROUTER_GATEWAY)


def external_ids(session: orm.Session, network_ids: Iterable[str]) -> set[str]:
    """Which of ``network_ids`` are external."""
    ids = list(network_ids)
    if not ids:
        return set()
    return set(session.scalars(sa.select(l3_models.ExternalNetwork.network_id)
                               .where(l3_models.ExternalNetwork.network_id.in_(ids))))


def is_external_column() -> sa.ColumnElement[bool]:
    """A condition on ``networks``: the network is external."""
    return models.Network.id.in_(sa.select(l3_models.ExternalNetwork.network_id))


def set_external(session: orm.Session, network: models.Network, external: bool) -> None:
    """Make a network external (for every project: the wildcard access_as_external
    policy) or not (every access_as_external policy goes); un-making one still used
    by routers or floating IPs is a 409, as in neutron."""
    network_id = network.id
    row = session.get(l3_models.ExternalNetwork, network_id)
    if external and row is None:
        rbac.add(session, network, rbac.EXTERNAL, rbac.WILDCARD)
    elif not external and row is not None:
        used = session.scalar(sa.select(sa.func.count()).where(
            models.Port.network_id == network_id,
            models.Port.device_owner.in_((ROUTER_GATEWAY, FLOATING_IP))))
        if used:
            raise exception.Conflict(
                reason=f'external network {network_id} has {used} router gateway or '
                       'floating IP port(s); router:external must stay true')
        rbac.remove_all(session, network, rbac.EXTERNAL)
        session.delete(row)
    session.flush()


def before_port_delete(session: orm.Session, port: models.Port, *,
                       service: bool = False) -> None:
    """What deleting ``port`` does to layer 3: a router or floating IP port may not be
    deleted through the port API (409, unless ``service``), and floating IPs
    associated with the port are disassociated (neutron does the same)."""
    if not service and port.device_owner in L3_OWNERS:
        raise l3_errors.ServicePortInUse(port_id=port.id, device_owner=port.device_owner)
    session.execute(sa.update(l3_models.FloatingIP)
                    .where(l3_models.FloatingIP.fixed_port_id == port.id)
                    .values(fixed_port_id=None, fixed_ip_address=None, router_id=None,
                            status='DOWN',
                            revision_number=l3_models.FloatingIP.revision_number + 1))


def disassociate_addresses(session: orm.Session, port_id: str, addresses: list[str]) -> None:
    """Floating IPs on fixed IPs that a port gives up are disassociated."""
    if addresses:
        session.execute(sa.update(l3_models.FloatingIP)
                        .where(l3_models.FloatingIP.fixed_port_id == port_id,
                               l3_models.FloatingIP.fixed_ip_address.in_(addresses))
                        .values(fixed_port_id=None, fixed_ip_address=None, router_id=None,
                                status='DOWN',
                                revision_number=l3_models.FloatingIP.revision_number + 1))


def delete_floating_ips_of(session: orm.Session, network_id: str) -> None:
    """Deleting an external network releases its floating IPs (neutron does the same);
    their ports go with the network's other ports."""
    tags.forget(session, sa.select(l3_models.FloatingIP.id)
                .where(l3_models.FloatingIP.floating_network_id == network_id))
    session.execute(sa.delete(l3_models.FloatingIP)
                    .where(l3_models.FloatingIP.floating_network_id == network_id))
