"""Neutron's agents: the network service's own worker, reporting as a DHCP agent
and an L3 agent on its host, and which networks and routers each agent hosts.

``agents`` has one row per (agent_type, host); ``heartbeat_timestamp`` is the
worker's last report. A binding row says that an agent hosts a network (DHCP)
or a router (L3); it goes with its network, router or agent.
"""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models.base import Base, uuid_pk


class Agent(Base):
    __tablename__ = 'agents'
    __table_args__ = (sa.UniqueConstraint('agent_type', 'host'),)
    id: orm.Mapped[str] = uuid_pk()
    agent_type: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    binary: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    topic: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    availability_zone: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    admin_state_up: orm.Mapped[bool] = orm.mapped_column(default=True)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    configurations: orm.Mapped[dict] = orm.mapped_column(default=dict)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
    started_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)
    heartbeat_timestamp: orm.Mapped[datetime.datetime] = orm.mapped_column(
        default=timeutils.utcnow)


class NetworkDhcpAgentBinding(Base):
    __tablename__ = 'network_dhcp_agent_bindings'
    network_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('networks.id', ondelete='CASCADE'), primary_key=True)
    dhcp_agent_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('agents.id', ondelete='CASCADE'), primary_key=True, index=True)


class RouterL3AgentBinding(Base):
    __tablename__ = 'router_l3_agent_bindings'
    router_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('routers.id', ondelete='CASCADE'), primary_key=True)
    l3_agent_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('agents.id', ondelete='CASCADE'), primary_key=True, index=True)
