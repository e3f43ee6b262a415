"""Volume type encryption: how the volumes of a type are to be encrypted, as in cinder.

A type has at most one encryption: a ``provider`` (the encryptor, e.g. luks),
an optional ``cipher`` and ``key_size``, and a ``control_location``
(``front-end``: the hypervisor encrypts; ``back-end``: the storage does).
While some volume has the type, its encryption cannot be created, changed or
removed. nova_lite records it; its file backend encrypts nothing.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as volume_models
from nova_lite.db.models import volume_qos as models
from nova_lite.volume import types

Encryption = models.VolumeTypeEncryption
CONTROL_LOCATIONS = ('front-end', 'back-end')
FIELDS = ('provider', 'cipher', 'key_size', 'control_location')


class EncryptionNotFound(exception.NotFound):
    msg_fmt = 'Volume type encryption for type %(type_id)s does not exist.'


class EncryptionExists(exception.Invalid):
    msg_fmt = 'Volume type encryption for type %(type_id)s already exists.'


class EncryptedTypeInUse(exception.Invalid):
    msg_fmt = 'Cannot %(action)s encryption specs. Volume type %(type_id)s is in use.'


def format_encryption(row: Encryption) -> dict[str, Any]:
    """Every field of the row, as cinder's ``GET /types/{id}/encryption`` shows it."""
    return {'volume_type_id': row.volume_type_id, 'encryption_id': row.encryption_id,
            'provider': row.provider, 'cipher': row.cipher, 'key_size': row.key_size,
            'control_location': row.control_location, 'deleted': False,
            'created_at': timeutils.isotime(row.created_at),
            'updated_at': timeutils.isotime(row.updated_at),
            'deleted_at': None}


def _in_use(session: orm.Session, volume_type: types.Type) -> bool:
    volume = volume_models.Volume
    return bool(session.scalar(sa.select(sa.func.count()).select_from(volume).where(
        volume.volume_type.in_([volume_type.name, volume_type.id]))))


class TypeEncryptions:
    """The volume type encryptions of one database."""

    def __init__(self, db: db_api.Database, volume_types: types.VolumeTypes) -> None:
        self.db = db
        self.types = volume_types

    @staticmethod
    def _find(session: orm.Session, type_id: str) -> Encryption | None:
        return session.scalar(sa.select(Encryption).where(Encryption.volume_type_id == type_id))

    def _writable(self, session: orm.Session, ctx: nl_context.RequestContext, type_id: str,
                  action: str) -> types.Type:
        volume_type = self.types.load_custom(session, ctx, type_id)
        if _in_use(session, volume_type):
            raise EncryptedTypeInUse(action=action, type_id=volume_type.id)
        return volume_type

    def get(self, ctx: nl_context.RequestContext, type_id: str) -> dict[str, Any]:
        """The type's encryption; ``{}`` for an unencrypted type (404: no such type)."""
        if types.is_default(type_id):
            return {}
        with self.db.reader() as session:
            volume_type = self.types.load_custom(session, ctx, type_id)
            row = self._find(session, volume_type.id)
            return format_encryption(row) if row is not None else {}

    def create(self, ctx: nl_context.RequestContext, type_id: str,
               values: dict[str, Any]) -> dict[str, Any]:
        with self.db.session() as session:
            volume_type = self._writable(session, ctx, type_id, 'create')
            if self._find(session, volume_type.id) is not None:
                raise EncryptionExists(type_id=volume_type.id)
            row = Encryption(volume_type_id=volume_type.id,
                             **{field: values.get(field) for field in FIELDS})
            session.add(row)
            session.flush()
            return {**{field: values[field] for field in FIELDS if field in values},
                    'volume_type_id': row.volume_type_id,
                    'encryption_id': row.encryption_id}

    def update(self, ctx: nl_context.RequestContext, type_id: str,
               values: dict[str, Any]) -> dict[str, Any]:
        with self.db.session() as session:
            volume_type = self._writable(session, ctx, type_id, 'update')
            row = self._find(session, volume_type.id)
            if row is None:
                raise EncryptionNotFound(type_id=volume_type.id)
            for field in FIELDS:
                if field in values:
                    setattr(row, field, values[field])
            row.updated_at = timeutils.utcnow()
        return {field: values[field] for field in FIELDS if field in values}

    def delete(self, ctx: nl_context.RequestContext, type_id: str) -> None:
        with self.db.session() as session:
            volume_type = self._writable(session, ctx, type_id, 'delete')
            row = self._find(session, volume_type.id)
            if row is None:
                raise EncryptionNotFound(type_id=volume_type.id)
            session.delete(row)
