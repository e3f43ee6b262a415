"""Identity API extensions: policies, endpoint groups, OAuth1 consumers,
inherited role grants and domain configuration options."""

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base, TimestampMixin


class PolicyBlob(TimestampMixin, Base):
    """A stored policy document (``/v3/policies``): keystone keeps it, never enforces it."""

    __tablename__ = 'identity_policies'
    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    type: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    blob: orm.Mapped[str] = orm.mapped_column(sa.Text)


class EndpointGroup(TimestampMixin, Base):
    """``OS-EP-FILTER``: endpoints chosen by ``filters`` (service_id, interface, region_id)."""

    __tablename__ = 'endpoint_groups'
    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    filters: orm.Mapped[dict] = orm.mapped_column(sa.JSON)


class OAuthConsumer(TimestampMixin, Base):
    """``OS-OAUTH1`` consumer; its secret is kept as a SHA-256 digest only."""

    __tablename__ = 'oauth_consumers'
    id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    secret_hash: orm.Mapped[str] = orm.mapped_column(sa.String(64))


class InheritedRoleGrant(Base):
    """``OS-INHERIT``: a role a user or group holds on every project under a target.

    ``actor_type`` is 'user' or 'group', ``target_type`` 'domain' or 'project'.
    ``user_id``/``domain_id``/``project_id`` repeat the actor or target when it
    is of that kind, so the grant goes when its user, domain or project does
    (groups have no foreign key here).
    """

    __tablename__ = 'inherited_role_grants'
    actor_type: orm.Mapped[str] = orm.mapped_column(sa.String(8), primary_key=True)
    actor_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True, index=True)
    target_type: orm.Mapped[str] = orm.mapped_column(sa.String(8), primary_key=True)
    target_id: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    role_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('roles.id', ondelete='CASCADE'), primary_key=True)
    user_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.ForeignKey('users.id', ondelete='CASCADE'))
    domain_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.ForeignKey('domains.id', ondelete='CASCADE'))
    project_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.ForeignKey('projects.id', ondelete='CASCADE'))


class DomainConfigOption(Base):
    """One option of a domain's configuration (``/v3/domains/{id}/config``)."""

    __tablename__ = 'domain_config_options'
    domain_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey('domains.id', ondelete='CASCADE'), primary_key=True)
    group_name: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)
    option_name: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)
    value: orm.Mapped[Any] = orm.mapped_column(sa.JSON)
    sensitive: orm.Mapped[bool] = orm.mapped_column(default=False)
