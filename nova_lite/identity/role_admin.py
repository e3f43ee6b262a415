"""Renaming roles (deleting them is the idauth branch's ``DELETE /v3/roles/{id}``).

The roles bootstrap relies on (admin, member, reader, service) are not
renamed: the cloud's own users and policies name them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.identity import bootstrap, resources

PROTECTED = frozenset({*bootstrap.ROLES, bootstrap.SERVICE_ROLE})


class RoleAdmin:
    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def update_role(self, role_id: str, *, name: str | None = None) -> dict[str, Any]:
        try:
            with self._db.session() as session:
                row = resources.load_row(session, models.Role, 'Role', 'role_id', role_id)
                if name is not None and name != row.name:
                    if row.name in PROTECTED:
                        raise exception.Forbidden(f'The role {row.name} cannot be renamed.')
                    if session.scalar(sa.select(models.Role.id).where(models.Role.name == name)):
                        raise exception.Duplicate(resource='Role', name=name)
                    row.name = name
                session.flush()
                return {'id': row.id, 'name': row.name}
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Role', name=name) from None
