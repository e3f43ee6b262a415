"""Identity groups and their members (keystone's ``/v3/groups``).

A group belongs to a domain and holds users of any domain; a role granted to
the group (grants.py) is held by each member (effective_roles.py).
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import inherited_grants, resources, system_group_grants


def group_dict(row: group_models.Group) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'domain_id': row.domain_id,
            'description': row.description}


def _name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise exception.InvalidInput(field='name', reason='must be a string of 1-255 characters')
    return value


def load_group(session: orm.Session, group_id: Any) -> group_models.Group:
    return resources.load_row(session, group_models.Group, 'Group', 'group_id', group_id)


class GroupStore:
    """Groups and memberships over the shared database."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create_group(self, name: str, domain_id: str,
                     description: str | None = None) -> dict[str, Any]:
        name = _name(name)
        try:
            with self._db.session() as session:
                resources.load_row(session, models.Domain, 'Domain', 'domain_id', domain_id)
                self._no_clash(session, name, domain_id)
                row = group_models.Group(id=uuid.uuid4().hex, name=name, domain_id=domain_id,
                                         description=description or '')
                session.add(row)
                session.flush()
                return group_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Group', name=name) from None

    def get_group(self, group_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return group_dict(load_group(session, group_id))

    def list_groups(self, domain_id: str | None = None,
                    user_id: str | None = None) -> list[dict[str, Any]]:
        """Groups, optionally of one domain and/or those ``user_id`` is a member of."""
        group = group_models.Group
        stmt = sa.select(group).order_by(group.name, group.id)
        if domain_id is not None:
            stmt = stmt.where(group.domain_id == resources.check_id('domain_id', domain_id))
        if user_id is not None:
            stmt = stmt.where(group.id.in_(
                sa.select(group_models.GroupMembership.group_id).where(
                    group_models.GroupMembership.user_id == user_id)))
        with self._db.reader() as session:
            return [group_dict(row) for row in session.scalars(stmt)]

    def update_group(self, group_id: str, *, name: str | None = None,
                     description: str | None = None) -> dict[str, Any]:
        try:
            with self._db.session() as session:
                row = load_group(session, group_id)
                if name is not None and name != row.name:
                    self._no_clash(session, _name(name), row.domain_id)
                    row.name = name
                if description is not None:
                    row.description = description
                session.flush()
                return group_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Group', name=name) from None

    def delete_group(self, group_id: str) -> None:
        """Deletes the group with its memberships and grants (one transaction)."""
        with self._db.session() as session:
            row = load_group(session, group_id)
            delete_group_rows(session, [row.id])

    # Members -------------------------------------------------------------------------

    def add_member(self, group_id: str, user_id: str) -> None:
        """Adds the user to the group (idempotent)."""
        key = {'group_id': group_id, 'user_id': user_id}
        try:
            with self._db.session() as session:
                load_group(session, group_id)
                resources.load_row(session, models.User, 'User', 'user_id', user_id)
                if session.get(group_models.GroupMembership, key) is None:
                    session.add(group_models.GroupMembership(**key))
        except sa_exc.IntegrityError:  # added concurrently: done
            pass

    def is_member(self, group_id: str, user_id: str) -> bool:
        with self._db.reader() as session:
            load_group(session, group_id)
            resources.load_row(session, models.User, 'User', 'user_id', user_id)
            return session.get(group_models.GroupMembership,
                               {'group_id': group_id, 'user_id': user_id}) is not None

    def remove_member(self, group_id: str, user_id: str) -> None:
        with self._db.session() as session:
            load_group(session, group_id)
            resources.load_row(session, models.User, 'User', 'user_id', user_id)
            row = session.get(group_models.GroupMembership,
                              {'group_id': group_id, 'user_id': user_id})
            if row is None:
                raise exception.NotFound(f'User {user_id} is not a member of group '
                                         f'{group_id}.', resource='GroupMembership',
                                         id=user_id)
            session.delete(row)

    def member_ids(self, group_id: str) -> list[str]:
        with self._db.reader() as session:
            load_group(session, group_id)
            return list(session.scalars(
                sa.select(group_models.GroupMembership.user_id).where(
                    group_models.GroupMembership.group_id == group_id)))

    @staticmethod
    def _no_clash(session: orm.Session, name: str, domain_id: str) -> None:
        clash = session.scalar(sa.select(group_models.Group.id).where(
            group_models.Group.name == name, group_models.Group.domain_id == domain_id))
        if clash is not None:
            raise exception.Duplicate(resource='Group', name=name)


def delete_group_rows(session: orm.Session, group_ids: list[str]) -> None:
    """Deletes groups with their memberships and grants, inside ``session``."""
    if not group_ids:
        return
    session.execute(sa.delete(group_models.GroupMembership).where(
        group_models.GroupMembership.group_id.in_(group_ids)))
    session.execute(sa.delete(group_models.GroupProjectGrant).where(
        group_models.GroupProjectGrant.group_id.in_(group_ids)))
    session.execute(sa.delete(group_models.DomainGrant).where(
        group_models.DomainGrant.actor_type == 'group',
        group_models.DomainGrant.actor_id.in_(group_ids)))
    inherited_grants.delete_group_grants(session, group_ids)
    system_group_grants.delete_grants_of_groups(session, group_ids)
    session.execute(sa.delete(group_models.Group).where(
        group_models.Group.id.in_(group_ids)))
