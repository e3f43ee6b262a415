"""Keystone's ``/v3/policies``: stored policy documents (a ``type`` and a ``blob``).

Keystone keeps these for the services to fetch; neither keystone nor
nova_lite enforces them (each service's own oslo.policy rules apply).
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from nova_lite.db import api as db_api
from nova_lite.db.models import identity_extensions as models
from nova_lite.identity import resources


def _policy_dict(row: models.PolicyBlob) -> dict[str, Any]:
    return {'id': row.id, 'type': row.type, 'blob': row.blob}


class PolicyBlobStore:
    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create(self, type: str, blob: str) -> dict[str, Any]:
        with self._db.session() as session:
            row = models.PolicyBlob(id=uuid.uuid4().hex, type=type, blob=blob)
            session.add(row)
            session.flush()
            return _policy_dict(row)

    def get(self, policy_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return _policy_dict(resources.load_row(session, models.PolicyBlob, 'Policy',
                                                   'policy_id', policy_id))

    def list(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(models.PolicyBlob).order_by(
                models.PolicyBlob.created_at, models.PolicyBlob.id))
            return [_policy_dict(row) for row in rows]

    def update(self, policy_id: str, *, type: str | None = None,
               blob: str | None = None) -> dict[str, Any]:
        with self._db.session() as session:
            row = resources.load_row(session, models.PolicyBlob, 'Policy', 'policy_id',
                                     policy_id)
            if type is not None:
                row.type = type
            if blob is not None:
                row.blob = blob
            session.flush()
            return _policy_dict(row)

    def delete(self, policy_id: str) -> None:
        with self._db.session() as session:
            session.delete(resources.load_row(session, models.PolicyBlob, 'Policy',
                                              'policy_id', policy_id))
