"""QoS specs: named sets of limits that volume types point to, as in cinder.

A QoS spec has a unique name, a ``consumer`` (who enforces the limits:
``front-end``, ``back-end`` or ``both``; ``back-end`` unless given) and free
key/value ``specs``. A volume type is associated with at most one spec; a spec
still associated cannot be deleted unless forced (which drops its
associations). nova_lite records the limits; its file backend enforces none.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import volume_qos as models
from nova_lite.volume import types

QosSpecs = models.QosSpecs
Association = models.VolumeTypeQos
CONSUMERS = ('front-end', 'back-end', 'both')
DEFAULT_CONSUMER = 'back-end'


class QosSpecsNotFound(exception.NotFound):
    msg_fmt = 'No such QoS spec %(id)s.'


class QosSpecsExists(exception.Conflict):
    msg_fmt = 'QoS Specs %(name)s already exists.'


class QosSpecsInUse(exception.Invalid):
    msg_fmt = ('QoS Specs %(id)s is still associated with entities; delete it with '
               'force=True to drop its associations.')


class QosSpecsKeyNotFound(exception.NotFound):
    msg_fmt = 'QoS spec %(id)s has no specs key %(key)s.'


def format_specs(row: QosSpecs) -> dict[str, Any]:
    """A QoS spec shaped like cinder's qos_specs body."""
    return {'id': row.id, 'name': row.name, 'consumer': row.consumer,
            'specs': dict(row.specs or {})}


def check_consumer(consumer: str) -> str:
    if consumer not in CONSUMERS:
        raise exception.InvalidInput(
            field='consumer', reason=f'must be one of {", ".join(CONSUMERS)}')
    return consumer


class QosSpecsStore:
    """The QoS specs of one database, and their volume type associations."""

    def __init__(self, db: db_api.Database, volume_types: types.VolumeTypes) -> None:
        self.db = db
        self.types = volume_types

    @staticmethod
    def _load(session: orm.Session, specs_id: str) -> QosSpecs:
        row = session.get(QosSpecs, specs_id)
        if row is None:
            raise QosSpecsNotFound(id=specs_id)
        return row

    def list_specs(self, ctx: nl_context.RequestContext) -> list[dict[str, Any]]:
        with self.db.reader() as session:
            rows = session.scalars(sa.select(QosSpecs).order_by(QosSpecs.created_at)).all()
            return [format_specs(row) for row in rows]

    def get(self, ctx: nl_context.RequestContext, specs_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            return format_specs(self._load(session, specs_id))

    def create(self, ctx: nl_context.RequestContext, name: str, *,
               consumer: str = DEFAULT_CONSUMER,
               specs: dict[str, str] | None = None) -> dict[str, Any]:
        row = QosSpecs(id=str(uuid.uuid4()), name=name, consumer=check_consumer(consumer),
                       specs=dict(specs or {}))
        try:
            with self.db.session() as session:
                taken = session.scalar(sa.select(QosSpecs.id).where(QosSpecs.name == name))
                if taken is not None:
                    raise QosSpecsExists(name=name)
                session.add(row)
        except sa_exc.IntegrityError as err:
            raise QosSpecsExists(name=name) from err
        return format_specs(row)

    def set_keys(self, ctx: nl_context.RequestContext, specs_id: str,
                 values: dict[str, str]) -> dict[str, str]:
        """Merge ``values`` into the specs; a ``consumer`` key sets the consumer."""
        specs = dict(values)
        consumer = specs.pop('consumer', None)
        if consumer is not None:
            check_consumer(consumer)
        with self.db.session() as session:
            row = self._load(session, specs_id)
            if consumer is not None:
                row.consumer = consumer
            row.specs = {**(row.specs or {}), **specs}
            row.updated_at = timeutils.utcnow()
        return values

    def delete_keys(self, ctx: nl_context.RequestContext, specs_id: str,
                    keys: list[str]) -> None:
        with self.db.session() as session:
            row = self._load(session, specs_id)
            specs = dict(row.specs or {})
            for key in keys:
                if key not in specs:
                    raise QosSpecsKeyNotFound(id=specs_id, key=key)
                del specs[key]
            row.specs = specs
            row.updated_at = timeutils.utcnow()

    def delete(self, ctx: nl_context.RequestContext, specs_id: str, *,
               force: bool = False) -> None:
        with self.db.session() as session:
            row = self._load(session, specs_id)
            if not force and session.scalar(sa.select(sa.func.count()).select_from(
                    Association).where(Association.qos_specs_id == row.id)):
                raise QosSpecsInUse(id=row.id)
            session.execute(sa.delete(Association).where(Association.qos_specs_id == row.id))
            session.delete(row)

    # -- associations -----------------------------------------------------

    def associations(self, ctx: nl_context.RequestContext,
                     specs_id: str) -> list[dict[str, str]]:
        with self.db.reader() as session:
            row = self._load(session, specs_id)
            linked = session.execute(
                sa.select(types.Type.id, types.Type.name)
                .join(Association, Association.volume_type_id == types.Type.id)
                .where(Association.qos_specs_id == row.id)
                .order_by(types.Type.name)).all()
        return [{'association_type': 'volume_type', 'id': type_id, 'name': name}
                for type_id, name in linked]

    def associate(self, ctx: nl_context.RequestContext, specs_id: str,
                  type_id: str) -> None:
        """Give the type these specs; 400 if it already has other specs."""
        with self.db.session() as session:
            row = self._load(session, specs_id)
            volume_type = self.types.load_custom(session, ctx, type_id)
            current = session.get(Association, volume_type.id)
            if current is None:
                session.add(Association(volume_type_id=volume_type.id, qos_specs_id=row.id))
            elif current.qos_specs_id != row.id:
                raise exception.Invalid(
                    reason=f'volume type {volume_type.id} is already associated with QoS '
                           f'specs {current.qos_specs_id}')

    def disassociate(self, ctx: nl_context.RequestContext, specs_id: str,
                     type_id: str) -> None:
        with self.db.session() as session:
            row = self._load(session, specs_id)
            volume_type = self.types.load_custom(session, ctx, type_id)
            session.execute(sa.delete(Association).where(
                Association.volume_type_id == volume_type.id,
                Association.qos_specs_id == row.id))

    def disassociate_all(self, ctx: nl_context.RequestContext, specs_id: str) -> None:
        with self.db.session() as session:
            row = self._load(session, specs_id)
            session.execute(sa.delete(Association).where(Association.qos_specs_id == row.id))
