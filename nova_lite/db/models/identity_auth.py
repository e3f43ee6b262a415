"""Identity authorisation records: system role grants, role implications,
application credentials and stored credentials (EC2, TOTP, certificates)."""

import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import timeutils
from nova_lite.db.models.base import Base


class SystemRoleAssignment(Base):
    """A role a user holds on the whole deployment (keystone's ``system: all``)."""

    __tablename__ = 'system_role_assignments'
    user_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('users.id', ondelete='CASCADE'), primary_key=True)
    role_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('roles.id', ondelete='CASCADE'), primary_key=True)


class ImpliedRole(Base):
    """Holding ``prior_role_id`` grants ``implied_role_id`` as well."""

    __tablename__ = 'implied_roles'
    prior_role_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('roles.id', ondelete='CASCADE'), primary_key=True)
    implied_role_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('roles.id', ondelete='CASCADE'), primary_key=True)


class ApplicationCredential(Base):
    """A user's delegated secret for one project and a subset of its roles."""

    __tablename__ = 'application_credentials'
    __table_args__ = (sa.UniqueConstraint('user_id', 'name'),)
    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    user_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('users.id', ondelete='CASCADE'))
    project_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('projects.id', ondelete='CASCADE'))
    secret_hash: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default='')
    expires_at: orm.Mapped[datetime.datetime | None]
    unrestricted: orm.Mapped[bool] = orm.mapped_column(default=False)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)


class ApplicationCredentialRole(Base):
    __tablename__ = 'application_credential_roles'
    application_credential_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('application_credentials.id', ondelete='CASCADE'), primary_key=True)
    role_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('roles.id', ondelete='CASCADE'), primary_key=True)


class Credential(Base):
    """A stored credential; its blob is Fernet-encrypted."""

    __tablename__ = 'credentials'
    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    user_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('users.id', ondelete='CASCADE'), index=True)
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    type: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    encrypted_blob: orm.Mapped[str] = orm.mapped_column(sa.Text)
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(default=timeutils.utcnow)


class SystemGroupRoleAssignment(Base):
    """A role a group's members hold on the whole deployment."""

    __tablename__ = 'system_group_role_assignments'
    group_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('identity_groups.id', ondelete='CASCADE'), primary_key=True)
    role_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('roles.id', ondelete='CASCADE'), primary_key=True)
