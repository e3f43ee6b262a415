"""Keystone's ``OS-OAUTH1`` consumers (the consumers only, not the OAuth1 flow).

A consumer's secret is random, shown once when the consumer is created, and
kept as its SHA-256 digest (a long random secret needs no slow hash).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Any

import sqlalchemy as sa

from nova_lite.db import api as db_api
from nova_lite.db.models import identity_extensions as models
from nova_lite.identity import resources


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _consumer_dict(row: models.OAuthConsumer) -> dict[str, Any]:
    return {'id': row.id, 'description': row.description}


def _load(session: Any, consumer_id: str) -> models.OAuthConsumer:
    return resources.load_row(session, models.OAuthConsumer, 'Consumer', 'consumer_id',
                              consumer_id)


class ConsumerStore:
    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create(self, description: str | None) -> dict[str, Any]:
        """The new consumer, with its ``secret`` (never shown again)."""
        secret = secrets.token_urlsafe(32)
        with self._db.session() as session:
            row = models.OAuthConsumer(id=uuid.uuid4().hex, description=description,
                                       secret_hash=_digest(secret))
            session.add(row)
            session.flush()
            return {**_consumer_dict(row), 'secret': secret}

    def get(self, consumer_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return _consumer_dict(_load(session, consumer_id))

    def list(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(models.OAuthConsumer).order_by(
                models.OAuthConsumer.created_at, models.OAuthConsumer.id))
            return [_consumer_dict(row) for row in rows]

    def update(self, consumer_id: str, description: str | None) -> dict[str, Any]:
        with self._db.session() as session:
            row = _load(session, consumer_id)
            row.description = description
            session.flush()
            return _consumer_dict(row)

    def delete(self, consumer_id: str) -> None:
        with self._db.session() as session:
            session.delete(_load(session, consumer_id))

    def check_secret(self, consumer_id: str, secret: str) -> bool:
        """Whether ``secret`` is the consumer's (for the OAuth1 flow, not served here)."""
        with self._db.reader() as session:
            stored = _load(session, consumer_id).secret_hash
        return hmac.compare_digest(stored, _digest(secret))
