"""What each agent hosts: neutron's dhcp_agent_scheduler and l3_agent_scheduler.

Bindings are made by :mod:`agent_scheduling` as resources need an agent, and
by admins here; a binding goes with its network, router or agent.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import network as net_models
from nova_lite.db.models import network_agents as models
from nova_lite.db.models import network_l3 as l3_models
from nova_lite.network import agent_errors, agents


def _agent(session: orm.Session, agent_id: str) -> models.Agent:
    row = session.get(models.Agent, agent_id)
    if row is None:
        raise agent_errors.AgentNotFound(resource='Agent', id=agent_id)
    return row


class AgentHosting:
    """Lists, adds and removes the networks of DHCP agents and routers of L3 agents."""

    def __init__(self, db: db_api.Database, down_time: int) -> None:
        self._db = db
        self._down_time = down_time

    def _agents_where(self, condition: sa.ColumnElement[bool]) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            now = timeutils.utcnow()
            return [agents.agent_dict(row, self._down_time, now) for row in session.scalars(
                sa.select(models.Agent).where(condition)
                .order_by(models.Agent.created_at, models.Agent.host, models.Agent.agent_type,
                          models.Agent.id))]

    # DHCP -------------------------------------------------------------------------

    def network_ids_of(self, agent_id: str) -> list[str]:
        """The networks a DHCP agent hosts (none for an unknown agent, as neutron)."""
        with self._db.reader() as session:
            return list(session.scalars(
                sa.select(models.NetworkDhcpAgentBinding.network_id)
                .where(models.NetworkDhcpAgentBinding.dhcp_agent_id == agent_id)
                .order_by(models.NetworkDhcpAgentBinding.network_id)))

    def dhcp_agents_of(self, network_id: str) -> list[dict[str, Any]]:
        return self._agents_where(models.Agent.id.in_(
            sa.select(models.NetworkDhcpAgentBinding.dhcp_agent_id)
            .where(models.NetworkDhcpAgentBinding.network_id == network_id)))

    def add_network(self, agent_id: str, network_id: str) -> None:
        """Host ``network_id`` on the DHCP agent ``agent_id`` (admin-up, of that type)."""
        with self._db.session() as session:
            agent = session.get(models.Agent, agent_id)
            if (agent is None or agent.agent_type != agents.DHCP.agent_type
                    or not agent.admin_state_up):
                raise agent_errors.InvalidDHCPAgent(id=agent_id)
            if session.get(net_models.Network, network_id) is None:
                raise exception.NotFound(resource='Network', id=network_id)
            key = {'network_id': network_id, 'dhcp_agent_id': agent_id}
            if session.get(models.NetworkDhcpAgentBinding, key) is not None:
                raise agent_errors.NetworkHostedByDHCPAgent(network_id=network_id,
                                                            agent_id=agent_id)
            session.add(models.NetworkDhcpAgentBinding(**key))

    def remove_network(self, agent_id: str, network_id: str) -> None:
        with self._db.session() as session:
            _agent(session, agent_id)
            binding = session.get(models.NetworkDhcpAgentBinding,
                                  {'network_id': network_id, 'dhcp_agent_id': agent_id})
            if binding is None:
                raise agent_errors.NetworkNotHostedByDhcpAgent(network_id=network_id,
                                                               agent_id=agent_id)
            session.delete(binding)

    # L3 ---------------------------------------------------------------------------

    def router_ids_of(self, agent_id: str) -> list[str]:
        """The routers an L3 agent hosts (none for an unknown agent, as neutron)."""
        with self._db.reader() as session:
            return list(session.scalars(
                sa.select(models.RouterL3AgentBinding.router_id)
                .where(models.RouterL3AgentBinding.l3_agent_id == agent_id)
                .order_by(models.RouterL3AgentBinding.router_id)))

    def l3_agents_of(self, router_id: str) -> list[dict[str, Any]]:
        return self._agents_where(models.Agent.id.in_(
            sa.select(models.RouterL3AgentBinding.l3_agent_id)
            .where(models.RouterL3AgentBinding.router_id == router_id)))

    def add_router(self, agent_id: str, router_id: str) -> None:
        """Host ``router_id`` on the L3 agent ``agent_id`` (admin-up, of that type)."""
        with self._db.session() as session:
            agent = session.get(models.Agent, agent_id)
            if (agent is None or agent.agent_type != agents.L3.agent_type
                    or not agent.admin_state_up):
                raise agent_errors.InvalidL3Agent(id=agent_id)
            if session.get(l3_models.Router, router_id) is None:
                raise exception.NotFound(resource='Router', id=router_id)
            key = {'router_id': router_id, 'l3_agent_id': agent_id}
            if session.get(models.RouterL3AgentBinding, key) is not None:
                raise agent_errors.RouterHostedByL3Agent(router_id=router_id,
                                                         agent_id=agent_id)
            session.add(models.RouterL3AgentBinding(**key))

    def remove_router(self, agent_id: str, router_id: str) -> None:
        with self._db.session() as session:
            _agent(session, agent_id)
            binding = session.get(models.RouterL3AgentBinding,
                                  {'router_id': router_id, 'l3_agent_id': agent_id})
            if binding is None:
                raise agent_errors.RouterNotHostedByL3Agent(router_id=router_id,
                                                            agent_id=agent_id)
            session.delete(binding)

