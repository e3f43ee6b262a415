"""Which agent hosts which network (DHCP) and router (L3), as neutron's schedulers.

A network with a DHCP-enabled subnet is hosted by one live, admin-up DHCP
agent (the one hosting fewest networks) from the moment it needs one: a
subnet with DHCP is created or enabled, a port is created, or an agent
starts and finds it unhosted. A router is hosted by one L3 agent likewise
(when it is created, or when an agent starts). Admins add and remove
bindings by hand through the API; nothing re-adds a removed binding until
the network gets a new port or subnet, or the agent restarts.
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models import network as net_models
from nova_lite.db.models import network_agents as models
from nova_lite.db.models import network_l3 as l3_models

DHCP_AGENT = 'DHCP agent'
L3_AGENT = 'L3 agent'


def alive_since(down_time: int, now: datetime.datetime | None = None) -> datetime.datetime:
    """The oldest heartbeat of an agent still alive."""
    return (now or timeutils.utcnow()) - datetime.timedelta(seconds=down_time)


def _eligible(session: orm.Session, agent_type: str, down_time: int,
              binding_agent: sa.orm.InstrumentedAttribute[str]) -> models.Agent | None:
    """The live, admin-up agent of ``agent_type`` hosting fewest things, oldest first."""
    load = (sa.select(sa.func.count()).where(binding_agent == models.Agent.id)
            .correlate(models.Agent).scalar_subquery())
    return session.scalars(
        sa.select(models.Agent)
        .where(models.Agent.agent_type == agent_type, models.Agent.admin_state_up.is_(True),
               models.Agent.heartbeat_timestamp >= alive_since(down_time))
        .order_by(load, models.Agent.created_at, models.Agent.id).limit(1)).first()


def _bind(session: orm.Session, binding: models.Base) -> None:
    """Add ``binding`` unless a concurrent transaction just did."""
    try:
        with session.begin_nested():
            session.add(binding)
    except sa_exc.IntegrityError:
        pass


def _needs_dhcp(session: orm.Session, network_ids: sa.Select[tuple[str]] | list[str],
                ) -> list[str]:
    """Of ``network_ids``, those with a DHCP-enabled subnet and no DHCP agent."""
    hosted = sa.select(models.NetworkDhcpAgentBinding.network_id)
    return list(session.scalars(
        sa.select(net_models.Subnet.network_id).distinct()
        .where(net_models.Subnet.network_id.in_(network_ids),
               net_models.Subnet.enable_dhcp.is_(True),
               net_models.Subnet.network_id.not_in(hosted))
        .order_by(net_models.Subnet.network_id)))


def schedule_network(session: orm.Session, network_id: str, down_time: int) -> None:
    """Host ``network_id`` on a DHCP agent if it needs DHCP and has no agent."""
    if not _needs_dhcp(session, [network_id]):
        return
    agent = _eligible(session, DHCP_AGENT, down_time,
                      models.NetworkDhcpAgentBinding.dhcp_agent_id)
    if agent is not None:
        _bind(session, models.NetworkDhcpAgentBinding(network_id=network_id,
                                                      dhcp_agent_id=agent.id))


def schedule_router(session: orm.Session, router_id: str, down_time: int) -> None:
    """Host ``router_id`` on an L3 agent if it has none."""
    if session.scalar(sa.select(models.RouterL3AgentBinding.router_id)
                      .where(models.RouterL3AgentBinding.router_id == router_id).limit(1)):
        return
    agent = _eligible(session, L3_AGENT, down_time, models.RouterL3AgentBinding.l3_agent_id)
    if agent is not None:
        _bind(session, models.RouterL3AgentBinding(router_id=router_id, l3_agent_id=agent.id))


def schedule_unhosted(session: orm.Session, down_time: int) -> None:
    """Host every network needing DHCP and every router that has no agent (an agent
    starting syncs so in neutron)."""
    for network_id in _needs_dhcp(session, sa.select(net_models.Network.id)):
        schedule_network(session, network_id, down_time)
    hosted = sa.select(models.RouterL3AgentBinding.router_id)
    for router_id in session.scalars(sa.select(l3_models.Router.id)
                                     .where(l3_models.Router.id.not_in(hosted))
                                     .order_by(l3_models.Router.created_at)):
        schedule_router(session, router_id, down_time)
