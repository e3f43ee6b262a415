"""Flavor access: the projects a private flavor is granted to (``os-flavor-access``).

A public flavor is everyone's and has no access list (Nova's 403/404 rules
are the REST layer's); a private flavor is usable by admins and by the
projects granted here.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import compute as flavor_models
from nova_lite.db.models import compute_admin as models


class FlavorAccessStore:
    """Grants, revokes and lists projects' access to private flavors."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def projects(self, flavor_id: str) -> list[str]:
        with self._db.reader() as session:
            return list(session.scalars(
                sa.select(models.FlavorProject.project_id)
                .where(models.FlavorProject.flavor_id == str(flavor_id))
                .order_by(models.FlavorProject.project_id)))

    def flavor_ids_for(self, project_id: str | None) -> set[str]:
        """The private flavors ``project_id`` was granted."""
        if project_id is None:
            return set()
        with self._db.reader() as session:
            return set(session.scalars(
                sa.select(models.FlavorProject.flavor_id)
                .where(models.FlavorProject.project_id == project_id)))

    def has_access(self, flavor_id: str, project_id: str | None) -> bool:
        return str(flavor_id) in self.flavor_ids_for(project_id)

    def add(self, flavor_id: str, project_id: str) -> list[str]:
        """Grant ``project_id``; 404 for an unknown flavor, 409 when already granted."""
        try:
            with self._db.session() as session:
                flavor = session.get(flavor_models.Flavor, str(flavor_id))
                if flavor is None:
                    raise exception.NotFound(resource='Flavor', id=flavor_id)
                if flavor.is_public:
                    raise exception.Conflict(
                        message=f'Can not add access to a public flavor {flavor_id}.')
                if session.get(models.FlavorProject, (str(flavor_id), project_id)):
                    raise self._duplicate(flavor_id, project_id)
                session.add(models.FlavorProject(flavor_id=str(flavor_id),
                                                 project_id=project_id))
        except sa_exc.IntegrityError:
            raise self._duplicate(flavor_id, project_id) from None
        return self.projects(flavor_id)

    @staticmethod
    def _duplicate(flavor_id: str, project_id: str) -> exception.Conflict:
        return exception.Conflict(message=f'Flavor access already exists for flavor '
                                          f'{flavor_id} and project {project_id} combination.')

    def remove(self, flavor_id: str, project_id: str) -> list[str]:
        """Revoke ``project_id``; 404 when the flavor or the grant does not exist."""
        with self._db.session() as session:
            if session.get(flavor_models.Flavor, str(flavor_id)) is None:
                raise exception.NotFound(resource='Flavor', id=flavor_id)
            row = session.get(models.FlavorProject, (str(flavor_id), project_id))
            if row is None:
                raise exception.NotFound(message=f'Flavor access not found for flavor '
                                                 f'{flavor_id} and project {project_id} '
                                                 f'combination.')
            session.delete(row)
        return self.projects(flavor_id)
