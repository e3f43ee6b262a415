"""Changing and deleting domains.

A domain is deleted only once disabled (keystone's rule), and with it go its
projects, users, groups and roles, their grants, memberships and tags: all in one
transaction, so a failure leaves everything as it was.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.db.models import identity_groups as group_models
from nova_lite.identity import domain_roles, grants, groups, resources

ENABLED_DOMAIN = 'Cannot delete a domain that is enabled, please disable it first.'


def _domain_dict(row: models.Domain) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'enabled': row.enabled,
            'description': row.description}


class DomainAdmin:
    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def update_domain(self, domain_id: str, *, name: str | None = None,
                      description: str | None = None,
                      enabled: bool | None = None) -> dict[str, Any]:
        """Renames, describes, enables or disables a domain.

        Disabling it revokes the tokens of its users (they fail validation at
        once anyway: a user of a disabled domain is refused).
        """
        try:
            with self._db.session() as session:
                row = resources.load_row(session, models.Domain, 'Domain', 'domain_id',
                                         domain_id)
                if name is not None and name != row.name:
                    clash = session.scalar(sa.select(models.Domain.id).where(
                        models.Domain.name == name))
                    if clash is not None:
                        raise exception.Duplicate(resource='Domain', name=name)
                    row.name = name
                if description is not None:
                    row.description = description
                if enabled is not None:
                    if enabled is False and row.enabled:
                        now = timeutils.utcnow()
                        for user_id in session.scalars(sa.select(models.User.id).where(
                                models.User.domain_id == row.id)):
                            resources.record_user_revocation(session, user_id, now)
                    row.enabled = enabled
                session.flush()
                return _domain_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Domain', name=name) from None

    def delete_domain(self, domain_id: str, *, protected: tuple[str, ...] = ()) -> None:
        """Deletes a disabled domain and everything in it (Forbidden while enabled)."""
        with self._db.session() as session:
            row = resources.load_row(session, models.Domain, 'Domain', 'domain_id', domain_id)
            if row.id in protected:
                raise exception.Forbidden(f'The domain {row.id} cannot be deleted.')
            if row.enabled:
                raise exception.Forbidden(ENABLED_DOMAIN)
            user_ids = list(session.scalars(sa.select(models.User.id).where(
                models.User.domain_id == row.id)))
            project_ids = list(session.scalars(sa.select(models.Project.id).where(
                models.Project.domain_id == row.id)))
            group_ids = list(session.scalars(sa.select(group_models.Group.id).where(
                group_models.Group.domain_id == row.id)))
            groups.delete_group_rows(session, group_ids)
            grants.delete_user_domain_grants(session, user_ids)
            session.execute(sa.delete(models.RoleAssignment).where(sa.or_(
                models.RoleAssignment.user_id.in_(user_ids),
                models.RoleAssignment.project_id.in_(project_ids))))
            session.execute(sa.delete(group_models.GroupProjectGrant).where(
                group_models.GroupProjectGrant.project_id.in_(project_ids)))
            session.execute(sa.delete(group_models.ProjectTag).where(
                group_models.ProjectTag.project_id.in_(project_ids)))
            session.execute(sa.delete(group_models.GroupMembership).where(
                group_models.GroupMembership.user_id.in_(user_ids)))
            session.execute(sa.delete(group_models.UserAttributes).where(
                group_models.UserAttributes.user_id.in_(user_ids)))
            session.execute(sa.update(models.User).where(
                models.User.default_project_id.in_(project_ids)).values(
                    default_project_id=None))
            session.execute(sa.delete(models.User).where(models.User.id.in_(user_ids)))
            session.execute(sa.delete(group_models.ProjectParent).where(
                group_models.ProjectParent.project_id.in_(project_ids)))
            session.execute(sa.delete(models.Project).where(models.Project.id.in_(project_ids)))
            session.execute(sa.delete(group_models.DomainGrant).where(
                group_models.DomainGrant.domain_id == row.id))
            domain_roles.delete_domain_roles(session, row.id)
            session.delete(row)
