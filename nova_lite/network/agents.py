"""The network service's agents: its worker reports as a DHCP and an L3 agent.

nova_lite has no separate DHCP or L3 agent daemons: the network service
process (``nova-lite-api``, or ``nova-lite-all`` with everything in one
process) allocates every address itself and keeps routers and floating IPs
itself. Each such process reports (:meth:`AgentStore.report`) as one
``DHCP agent`` and one ``L3 agent`` on its host when it starts and then every
``[network] agent_report_interval`` seconds; an agent is ``alive`` while its
last heartbeat is younger than ``[network] agent_down_time`` (neutron's rule).
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import network as net_models
from nova_lite.db.models import network_agents as models
from nova_lite.db.models import network_l3 as l3_models
from nova_lite.network import agent_errors, agent_scheduling, external

_TIME_FORMAT = '%Y-%m-%d %H:%M:%S'  # neutron's agents show times so, without a zone


@dataclasses.dataclass(frozen=True)
class AgentKind:
    agent_type: str
    binary: str
    topic: str


DHCP = AgentKind(agent_scheduling.DHCP_AGENT, 'neutron-dhcp-agent', 'dhcp_agent')
L3 = AgentKind(agent_scheduling.L3_AGENT, 'neutron-l3-agent', 'l3_agent')
KINDS = (DHCP, L3)


def _time(value: datetime.datetime) -> str:
    return value.strftime(_TIME_FORMAT)


def agent_dict(row: models.Agent, down_time: int,
               now: datetime.datetime | None = None) -> dict[str, Any]:
    """An agent as neutron shows it."""
    return {'id': row.id, 'agent_type': row.agent_type, 'binary': row.binary,
            'topic': row.topic, 'host': row.host, 'admin_state_up': row.admin_state_up,
            'availability_zone': row.availability_zone, 'description': row.description,
            'configurations': dict(row.configurations),
            'alive': row.heartbeat_timestamp >= agent_scheduling.alive_since(down_time, now),
            'created_at': _time(row.created_at), 'started_at': _time(row.started_at),
            'heartbeat_timestamp': _time(row.heartbeat_timestamp)}


def _count(session: orm.Session, statement: sa.Select[Any]) -> int:
    return int(session.scalar(sa.select(sa.func.count()).select_from(statement.subquery()))
               or 0)


def _dhcp_state(session: orm.Session, agent_id: str) -> dict[str, Any]:
    networks = sa.select(models.NetworkDhcpAgentBinding.network_id).where(
        models.NetworkDhcpAgentBinding.dhcp_agent_id == agent_id)
    return {
        'networks': _count(session, networks),
        'subnets': _count(session, sa.select(net_models.Subnet.id).where(
            net_models.Subnet.network_id.in_(networks), net_models.Subnet.enable_dhcp)),
        'ports': _count(session, sa.select(net_models.Port.id).where(
            net_models.Port.network_id.in_(networks))),
        'dhcp_driver': 'nova_lite.network.ipam',
    }


def _l3_state(session: orm.Session, agent_id: str) -> dict[str, Any]:
    routers = sa.select(models.RouterL3AgentBinding.router_id).where(
        models.RouterL3AgentBinding.l3_agent_id == agent_id)

    def router_ports(owner: str) -> int:
        return _count(session, sa.select(net_models.Port.id).where(
            net_models.Port.device_id.in_(routers), net_models.Port.device_owner == owner))

    return {
        'routers': _count(session, routers),
        'interfaces': router_ports(external.ROUTER_INTERFACE),
        'gateways': router_ports(external.ROUTER_GATEWAY),
        'floating_ips': _count(session, sa.select(l3_models.FloatingIP.id).where(
            l3_models.FloatingIP.router_id.in_(routers))),
        'agent_mode': 'legacy',
    }


class AgentStore:
    """Reports, lists, changes and deletes the agents; ``down_time`` in seconds."""

    def __init__(self, db: db_api.Database, down_time: int) -> None:
        self._db = db
        self.down_time = down_time

    # The worker's heartbeat -------------------------------------------------------

    def report(self, host: str, availability_zone: str, *,
               starting: bool = False) -> list[dict[str, Any]]:
        """The heartbeat of ``host``'s DHCP and L3 agent (registered when missing,
        also after an admin deleted them); ``starting`` marks a process start, when
        the agents also take the networks and routers that no agent hosts."""
        for _attempt in range(2):
            try:
                return self._report(host, availability_zone, starting)
            except sa_exc.IntegrityError:
                continue  # another process registered the same host's agents just now
        raise exception.Conflict(reason=f'the agents of {host} changed concurrently')

    def _report(self, host: str, availability_zone: str,
                starting: bool) -> list[dict[str, Any]]:
        now = timeutils.utcnow()
        with self._db.session() as session:
            rows = []
            for kind in KINDS:
                row = session.scalars(sa.select(models.Agent).where(
                    models.Agent.agent_type == kind.agent_type,
                    models.Agent.host == host)).first()
                if row is None:
                    row = models.Agent(agent_type=kind.agent_type, binary=kind.binary,
                                       topic=kind.topic, host=host, admin_state_up=True,
                                       configurations={}, created_at=now, started_at=now)
                    session.add(row)
                elif starting:
                    row.started_at = now
                row.availability_zone = availability_zone
                row.heartbeat_timestamp = now
                rows.append(row)
            session.flush()
            if starting:
                agent_scheduling.schedule_unhosted(session, self.down_time)
            for row in rows:
                row.configurations = (_dhcp_state(session, row.id)
                                      if row.agent_type == DHCP.agent_type
                                      else _l3_state(session, row.id))
            session.flush()
            return [agent_dict(row, self.down_time, now) for row in rows]

    # The API --------------------------------------------------------------------

    def list(self) -> list[dict[str, Any]]:
        """Every agent, oldest first."""
        with self._db.reader() as session:
            now = timeutils.utcnow()
            return [agent_dict(row, self.down_time, now) for row in session.scalars(
                sa.select(models.Agent).order_by(models.Agent.created_at, models.Agent.host,
                                                models.Agent.agent_type, models.Agent.id))]

    def get(self, agent_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return agent_dict(_get(session, agent_id), self.down_time)

    def update(self, agent_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Set the ``admin_state_up`` and ``description`` given in ``changes``."""
        unknown = sorted(set(changes) - {'admin_state_up', 'description'})
        if unknown:
            raise exception.InvalidInput(field=unknown[0], reason='is read-only')
        with self._db.session() as session:
            row = _get(session, agent_id)
            if 'admin_state_up' in changes:
                row.admin_state_up = bool(changes['admin_state_up'])
            if 'description' in changes:
                row.description = changes['description']
            session.flush()
            return agent_dict(row, self.down_time)

    def delete(self, agent_id: str) -> None:
        """Delete an agent and its bindings (a live worker registers anew at its
        next heartbeat, with a new id, as a neutron agent does)."""
        with self._db.session() as session:
            row = _get(session, agent_id)
            session.execute(sa.delete(models.NetworkDhcpAgentBinding).where(
                models.NetworkDhcpAgentBinding.dhcp_agent_id == row.id))
            session.execute(sa.delete(models.RouterL3AgentBinding).where(
                models.RouterL3AgentBinding.l3_agent_id == row.id))
            session.delete(row)


def _get(session: orm.Session, agent_id: str) -> models.Agent:
    row = session.get(models.Agent, agent_id)
    if row is None:
        raise agent_errors.AgentNotFound(resource='Agent', id=agent_id)
    return row
