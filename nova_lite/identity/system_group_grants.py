"""Role grants to groups on the system (``/v3/system/groups/{group_id}/roles``).

A group's system roles reach its members: a system-scoped token of a member
carries them, with the roles they imply, and loses them when the member
leaves the group or the grant is revoked.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_auth as auth_models
from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import resources

LOG = logging.getLogger(__name__)
_Grant = auth_models.SystemGroupRoleAssignment


def role_ids_through_groups(session: orm.Session, user_id: str) -> set[str]:
    """The system roles the user holds through the groups it belongs to."""
    return set(session.scalars(
        sa.select(_Grant.role_id).join(
            group_models.GroupMembership,
            group_models.GroupMembership.group_id == _Grant.group_id).where(
            group_models.GroupMembership.user_id == user_id)))


def delete_grants_of_groups(session: orm.Session, group_ids: list[str]) -> None:
    """Removes the system grants of groups being deleted, in their transaction."""
    session.execute(sa.delete(_Grant).where(_Grant.group_id.in_(group_ids)))


def delete_grants_of_role(session: orm.Session, role_id: str) -> None:
    session.execute(sa.delete(_Grant).where(_Grant.role_id == role_id))


class SystemGroupGrants:
    """Grant, check, list and revoke roles of groups on the system."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    @staticmethod
    def _load(session: orm.Session, group_id: str, role_id: str | None) -> None:
        resources.load_row(session, group_models.Group, 'Group', 'group_id', group_id)
        if role_id is not None:
            resources.load_row(session, models.Role, 'Role', 'role_id', role_id)

    def grant(self, group_id: str, role_id: str) -> None:
        """Grants ``role_id`` on the system to the group (idempotent)."""
        key = {'group_id': group_id, 'role_id': role_id}
        try:
            with self._db.session() as session:
                self._load(session, group_id, role_id)
                if session.get(_Grant, key) is None:
                    session.add(_Grant(**key))
                    session.flush()
        except sa_exc.IntegrityError:  # granted concurrently: done
            pass
        LOG.info('Granted role %s on the system to group %s', role_id, group_id)

    def held(self, group_id: str, role_id: str) -> bool:
        with self._db.reader() as session:
            self._load(session, group_id, role_id)
            return session.get(_Grant, {'group_id': group_id, 'role_id': role_id}) is not None

    def revoke(self, group_id: str, role_id: str) -> None:
        with self._db.session() as session:
            self._load(session, group_id, role_id)
            row = session.get(_Grant, {'group_id': group_id, 'role_id': role_id})
            if row is None:
                raise exception.NotFound(f'Role {role_id} is not granted to group {group_id} '
                                         'on the system.', resource='RoleAssignment',
                                         id=role_id)
            session.delete(row)
        LOG.info('Revoked role %s on the system from group %s', role_id, group_id)

    def roles_of(self, group_id: str) -> list[dict[str, Any]]:
        """``{id, name}`` of the roles granted to the group on the system."""
        with self._db.reader() as session:
            self._load(session, group_id, None)
            rows = session.execute(
                sa.select(models.Role.id, models.Role.name).join(
                    _Grant, _Grant.role_id == models.Role.id).where(
                    _Grant.group_id == group_id).order_by(models.Role.name))
            return [{'id': role_id, 'name': name} for role_id, name in rows]

    def all_grants(self) -> list[dict[str, Any]]:
        """Every group system grant: ``{group_id, role_id, role_name}``."""
        with self._db.reader() as session:
            rows = session.execute(
                sa.select(_Grant.group_id, _Grant.role_id, models.Role.name).join(
                    models.Role, models.Role.id == _Grant.role_id).order_by(
                    _Grant.group_id, models.Role.name))
            return [{'group_id': g, 'role_id': r, 'role_name': n} for g, r, n in rows]
