"""Security groups, their rules, each project's default group, and the groups and
port security of ports (neutron's securitygroups, securitygrouprules,
default_security_group, securitygroupportbindings and portsecuritybindings).

A port's groups are rows of ``security_group_port_bindings``; the group side has
no cascade, so a group in use by a port cannot be deleted under it.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class SecurityGroup(TimestampMixin, Base):
    __tablename__ = 'security_groups'
    __table_args__ = (sa.Index('ix_security_groups_listing', 'created_at', 'id'),)
    id: orm.Mapped[str] = uuid_pk()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='', index=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    stateful: orm.Mapped[bool] = orm.mapped_column(default=True)
    revision_number: orm.Mapped[int] = orm.mapped_column(default=1)


class SecurityGroupRule(TimestampMixin, Base):
    __tablename__ = 'security_group_rules'
    __table_args__ = (sa.Index('ix_security_group_rules_listing', 'created_at', 'id'),)
    id: orm.Mapped[str] = uuid_pk()
    security_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('security_groups.id', ondelete='CASCADE'), index=True)
    # A rule naming a group as its remote goes with that group (as in neutron).
    remote_group_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.ForeignKey('security_groups.id', ondelete='CASCADE'), index=True)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    direction: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    ethertype: orm.Mapped[str] = orm.mapped_column(sa.String(16))
    protocol: orm.Mapped[str | None] = orm.mapped_column(sa.String(40))
    port_range_min: orm.Mapped[int | None] = orm.mapped_column()
    port_range_max: orm.Mapped[int | None] = orm.mapped_column()
    remote_ip_prefix: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
    revision_number: orm.Mapped[int] = orm.mapped_column(default=1)


class DefaultSecurityGroup(Base):
    """One row per project: its primary key makes a second default group impossible."""

    __tablename__ = 'default_security_groups'
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    security_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('security_groups.id', ondelete='CASCADE'), unique=True)


class SecurityGroupPortBinding(Base):
    __tablename__ = 'security_group_port_bindings'
    port_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('ports.id', ondelete='CASCADE'), primary_key=True)
    security_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('security_groups.id'), primary_key=True, index=True)


class PortSecurityBinding(Base):
    """A port's ``port_security_enabled``; a port without a row has it enabled."""

    __tablename__ = 'port_security_bindings'
    port_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('ports.id', ondelete='CASCADE'), primary_key=True)
    port_security_enabled: orm.Mapped[bool] = orm.mapped_column(default=True)
