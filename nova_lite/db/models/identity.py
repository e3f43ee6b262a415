"""Identity: domains, projects, users, roles, assignments, catalog, revocations."""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin, uuid_pk


class Domain(TimestampMixin, Base):
    __tablename__ = 'domains'
    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    enabled: orm.Mapped[bool] = orm.mapped_column(default=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default='')


class Project(TimestampMixin, Base):
    __tablename__ = 'projects'
    __table_args__ = (sa.UniqueConstraint('domain_id', 'name'),)
    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    domain_id: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey('domains.id'))
    enabled: orm.Mapped[bool] = orm.mapped_column(default=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default='')


class User(TimestampMixin, Base):
    __tablename__ = 'users'
    __table_args__ = (sa.UniqueConstraint('domain_id', 'name'),)
    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    domain_id: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey('domains.id'))
    password_hash: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    enabled: orm.Mapped[bool] = orm.mapped_column(default=True)
    default_project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))


class Role(TimestampMixin, Base):
    __tablename__ = 'roles'
    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)


class RoleAssignment(Base):
    __tablename__ = 'role_assignments'
    user_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('users.id', ondelete='CASCADE'), primary_key=True)
    project_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('projects.id', ondelete='CASCADE'), primary_key=True)
    role_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('roles.id', ondelete='CASCADE'), primary_key=True)


class Region(Base):
    __tablename__ = 'regions'
    id: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default='')
    parent_region_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))


class CatalogService(Base):
    __tablename__ = 'catalog_services'
    id: orm.Mapped[str] = uuid_pk()
    type: orm.Mapped[str] = orm.mapped_column(sa.String(255), unique=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default='', server_default='')
    enabled: orm.Mapped[bool] = orm.mapped_column(default=True, server_default=sa.true())


class Endpoint(Base):
    __tablename__ = 'endpoints'
    __table_args__ = (sa.UniqueConstraint('service_id', 'interface', 'region_id'),)
    id: orm.Mapped[str] = uuid_pk()
    service_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('catalog_services.id', ondelete='CASCADE'))
    interface: orm.Mapped[str] = orm.mapped_column(sa.String(8))
    region_id: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey('regions.id'))
    url: orm.Mapped[str] = orm.mapped_column(sa.Text)
    enabled: orm.Mapped[bool] = orm.mapped_column(default=True, server_default=sa.true())


class RevocationEvent(Base):
    """A revoked token (by audit id) or every token of a user issued before a time."""

    __tablename__ = 'revocation_events'
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    audit_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64), index=True)
    issued_before: orm.Mapped[datetime.datetime]
    revoked_at: orm.Mapped[datetime.datetime]
