"""Identity groups, their members, group and domain role grants, project tags."""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin


class Group(TimestampMixin, Base):
    __tablename__ = 'identity_groups'
    __table_args__ = (sa.UniqueConstraint('domain_id', 'name'),)
    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    domain_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('domains.id', ondelete='CASCADE'), index=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default='')


class GroupMembership(Base):
    __tablename__ = 'identity_group_members'
    group_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('identity_groups.id', ondelete='CASCADE'), primary_key=True)
    user_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('users.id', ondelete='CASCADE'), primary_key=True, index=True)


class GroupProjectGrant(Base):
    """A group's role on a project: every member holds the role there."""

    __tablename__ = 'group_project_grants'
    group_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('identity_groups.id', ondelete='CASCADE'), primary_key=True)
    project_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('projects.id', ondelete='CASCADE'), primary_key=True, index=True)
    role_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('roles.id', ondelete='CASCADE'), primary_key=True)


class DomainGrant(Base):
    """A user's or a group's role on a domain (``actor_type`` 'user' or 'group')."""

    __tablename__ = 'domain_grants'
    actor_type: orm.Mapped[str] = orm.mapped_column(sa.String(8), primary_key=True)
    actor_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    domain_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('domains.id', ondelete='CASCADE'), primary_key=True, index=True)
    role_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('roles.id', ondelete='CASCADE'), primary_key=True)


class ProjectTag(Base):
    __tablename__ = 'project_tags'
    project_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('projects.id', ondelete='CASCADE'), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True, index=True)


class UserAttributes(Base):
    """A user's email, description and the extra attributes keystone keeps."""

    __tablename__ = 'user_attributes'
    user_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('users.id', ondelete='CASCADE'), primary_key=True)
    email: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    extra: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)


class ProjectParent(Base):
    """A project's parent project (a top-level project has no row: its parent is its
    domain). A parent with children cannot be deleted (no cascade on ``parent_id``)."""

    __tablename__ = 'project_parents'
    project_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('projects.id', ondelete='CASCADE'), primary_key=True)
    parent_id: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey('projects.id'), index=True)


class DomainRole(Base):
    """A domain-specific role: the domain it belongs to. Such a role is granted like
    any other but never appears in tokens or effective assignments itself."""

    __tablename__ = 'domain_roles'
    role_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('roles.id', ondelete='CASCADE'), primary_key=True)
    domain_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('domains.id', ondelete='CASCADE'), index=True)
