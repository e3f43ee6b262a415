"""Flavors: named sizes (vCPUs, RAM, disk) instances are booted with."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import compute as models
from nova_lite.db.models import compute_admin as admin_models

_MAX_INT = 2 ** 31 - 1


def _flavor_dict(row: models.Flavor) -> dict[str, Any]:
    return {'id': row.id, 'name': row.name, 'vcpus': row.vcpus,
            'memory_mb': row.memory_mb, 'root_gb': row.root_gb,
            'ephemeral_gb': row.ephemeral_gb, 'swap': row.swap,
            'rxtx_factor': row.rxtx_factor, 'is_public': row.is_public,
            'disabled': row.disabled, 'description': row.description,
            'extra_specs': dict(row.extra_specs or {}),
            'created_at': timeutils.isotime(row.created_at)}


def _int_field(field: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool):
        raise exception.InvalidInput(field=field, reason='must be an integer')
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise exception.InvalidInput(field=field, reason='must be an integer') from None
    if isinstance(value, float) and number != value:
        raise exception.InvalidInput(field=field, reason='must be an integer')
    if not minimum <= number <= _MAX_INT:
        raise exception.InvalidInput(field=field,
                                     reason=f'must be between {minimum} and {_MAX_INT}')
    return number


class FlavorStore:
    """Creates, reads and deletes flavors."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create(self, *, name: str, vcpus: Any, memory_mb: Any, root_gb: Any,
               ephemeral_gb: Any = 0, swap: Any = 0, flavor_id: str | None = None,
               is_public: bool = True, description: str | None = None) -> dict[str, Any]:
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            raise exception.InvalidInput(field='name', reason='must be 1-255 characters')
        values = {
            'vcpus': _int_field('vcpus', vcpus, 1),
            'memory_mb': _int_field('ram', memory_mb, 1),
            'root_gb': _int_field('disk', root_gb, 0),
            'ephemeral_gb': _int_field('OS-FLV-EXT-DATA:ephemeral', ephemeral_gb, 0),
            'swap': _int_field('swap', swap or 0, 0),
        }
        flavor_id = str(flavor_id) if flavor_id not in (None, '') else str(uuid.uuid4())
        try:
            with self._db.session() as session:
                clash = session.scalar(sa.select(models.Flavor.id).where(
                    sa.or_(models.Flavor.id == flavor_id, models.Flavor.name == name)))
                if clash is not None:
                    raise exception.Duplicate(resource='Flavor', name=name)
                row = models.Flavor(id=flavor_id, name=name, is_public=is_public,
                                    description=description, **values)
                session.add(row)
                session.flush()
                return _flavor_dict(row)
        except sa_exc.IntegrityError:
            raise exception.Duplicate(resource='Flavor', name=name) from None

    def get(self, flavor_id: str, *, include_disabled: bool = False) -> dict[str, Any]:
        with self._db.reader() as session:
            row = session.get(models.Flavor, str(flavor_id))
            if row is None or (row.disabled and not include_disabled):
                raise exception.NotFound(resource='Flavor', id=flavor_id)
            return _flavor_dict(row)

    def list(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(models.Flavor).where(
                models.Flavor.disabled.is_(False)).order_by(models.Flavor.memory_mb,
                                                            models.Flavor.id))
            return [_flavor_dict(row) for row in rows]

    def update_description(self, flavor_id: str, description: str | None) -> dict[str, Any]:
        with self._db.session() as session:
            row = session.get(models.Flavor, str(flavor_id))
            if row is None or row.disabled:
                raise exception.NotFound(resource='Flavor', id=flavor_id)
            row.description = description
            session.flush()
            return _flavor_dict(row)

    def delete(self, flavor_id: str) -> None:
        with self._db.session() as session:
            row = session.get(models.Flavor, str(flavor_id))
            if row is None:
                raise exception.NotFound(resource='Flavor', id=flavor_id)
            session.execute(sa.delete(admin_models.FlavorProject).where(
                admin_models.FlavorProject.flavor_id == row.id))
            session.delete(row)
