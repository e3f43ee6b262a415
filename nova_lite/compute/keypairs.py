"""Keypairs: a user's named public keys, checked and fingerprinted when they are added.

Names are unique per user (nova's rule). A pair generated here hands its
private key back once (:class:`Created`); only the public half is stored.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.api import paging
from nova_lite.common import exception, timeutils
from nova_lite.compute import keypair_keys
from nova_lite.db import api as db_api
from nova_lite.db.models import compute_keypairs as models


@dataclasses.dataclass(frozen=True)
class Created:
    keypair: dict[str, Any]
    private_key: str | None = None


def _keypair_dict(row: models.KeyPair) -> dict[str, Any]:
    return {'id': row.id, 'user_id': row.user_id, 'name': row.name,
            'fingerprint': row.fingerprint, 'public_key': row.public_key, 'type': row.type,
            'created_at': timeutils.isotime(row.created_at),
            'updated_at': timeutils.isotime(row.updated_at)}


def not_found(user_id: str, name: str) -> exception.NotFound:
    return exception.NotFound(message=f'Keypair {name} not found for user {user_id}')


class KeypairStore:
    """Adds, reads, pages and deletes keypairs of users."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create(self, *, user_id: str, name: str, key_type: str = keypair_keys.SSH,
               public_key: str | None = None,
               quota_check: Callable[[orm.Session], None] | None = None) -> Created:
        """Import ``public_key`` (checked) or, when it is None, generate a pair;
        ``quota_check`` runs in the inserting transaction, before the insert."""
        private_key = None
        if public_key is None:
            generated = keypair_keys.generate(key_type, name)
            public_key, private_key = generated.public_key, generated.private_key
            fingerprint = generated.fingerprint
        else:
            fingerprint = keypair_keys.fingerprint(public_key, key_type)
            public_key = public_key.strip()
        try:
            with self._db.session() as session:
                if self._row(session, user_id, name) is not None:
                    raise self._duplicate(name)
                if quota_check is not None:
                    quota_check(session)
                row = models.KeyPair(user_id=user_id, name=name, fingerprint=fingerprint,
                                     public_key=public_key, type=key_type,
                                     created_at=timeutils.utcnow())
                session.add(row)
                session.flush()
                return Created(_keypair_dict(row), private_key)
        except sa_exc.IntegrityError:
            raise self._duplicate(name) from None

    @staticmethod
    def _duplicate(name: str) -> exception.Conflict:
        return exception.Conflict(message=f"Key pair '{name}' already exists.")

    @staticmethod
    def _row(session: Any, user_id: str, name: str) -> models.KeyPair | None:
        row: models.KeyPair | None = session.scalar(sa.select(models.KeyPair).where(
            models.KeyPair.user_id == user_id, models.KeyPair.name == name))
        return row

    def get(self, user_id: str, name: str) -> dict[str, Any]:
        with self._db.reader() as session:
            row = self._row(session, user_id, name)
            if row is None:
                raise not_found(user_id, name)
            return _keypair_dict(row)

    def page(self, user_id: str,
             request: paging.PageRequest = paging.EVERYTHING) -> paging.Page[dict[str, Any]]:
        """The user's keypairs in creation order; the marker is a keypair's name."""
        query = (sa.select(models.KeyPair).where(models.KeyPair.user_id == user_id)
                 .order_by(models.KeyPair.id))
        with self._db.reader() as session:
            if request.marker is not None:
                marker = self._row(session, user_id, request.marker)
                if marker is None:
                    raise paging.marker_not_found(request.marker)
                query = query.where(models.KeyPair.id > marker.id)
            if request.limit is not None:
                query = query.limit(request.limit + 1)
            rows = [_keypair_dict(row) for row in session.scalars(query)]
        return paging.cut(rows, request.limit, lambda item: str(item['name']))

    def delete(self, user_id: str, name: str) -> None:
        with self._db.session() as session:
            row = self._row(session, user_id, name)
            if row is None:
                raise not_found(user_id, name)
            session.delete(row)
