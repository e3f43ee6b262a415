"""Volume types: the built-in default plus admin-defined types.

As in cinder, a type has a unique name, a description, extra specs (free
key/value strings) and is public or private; a private type is seen only by
admins and by the projects given access to it. The default type
(``__DEFAULT__``) is built in: always public, never changed or deleted. A
volume records its type's name; a type some volume uses cannot be deleted.
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
from nova_lite.db.models import volume as volume_models
from nova_lite.db.models import volume_qos as qos_models
from nova_lite.db.models import volume_type as models
from nova_lite.volume import rows

Type = models.VolumeType
Volume = volume_models.Volume
DEFAULT_TYPE_NAME = '__DEFAULT__'
DEFAULT_TYPE_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, 'nova_lite:volume-type:__DEFAULT__'))


class VolumeTypeNotFound(exception.NotFound):
    msg_fmt = 'Volume type %(id)s could not be found.'


class VolumeTypeExists(exception.Conflict):
    msg_fmt = 'Volume Type %(name)s already exists.'


class VolumeTypeInUse(exception.Invalid):
    msg_fmt = 'Volume type %(id)s is still in use by a volume.'


def default_type() -> dict[str, Any]:
    """The one built-in type every nova_lite volume may have."""
    return {'id': DEFAULT_TYPE_ID, 'name': DEFAULT_TYPE_NAME,
            'description': 'Default Volume Type', 'is_public': True,
            'os-volume-type-access:is_public': True, 'extra_specs': {},
            'qos_specs_id': None}


def format_type(row: Type, qos_specs_id: str | None = None) -> dict[str, Any]:
    """A type shaped like cinder's v3 volume_type body."""
    return {'id': row.id, 'name': row.name, 'description': row.description,
            'is_public': row.is_public, 'os-volume-type-access:is_public': row.is_public,
            'extra_specs': dict(row.extra_specs or {}), 'qos_specs_id': qos_specs_id}


def _qos_of(session: orm.Session, type_ids: list[str]) -> dict[str, str]:
    """Volume type id -> the id of its QoS specs, for those that have some."""
    link = qos_models.VolumeTypeQos
    found = session.execute(sa.select(link.volume_type_id, link.qos_specs_id).where(
        link.volume_type_id.in_(type_ids))).all()
    return {type_id: specs_id for type_id, specs_id in found}


def _visible(ctx: nl_context.RequestContext, row: Type) -> bool:
    return ctx.is_admin or row.is_public or ctx.project_id in (row.projects or [])


def is_default(value: str) -> bool:
    return value in (DEFAULT_TYPE_ID, DEFAULT_TYPE_NAME, 'default')


class VolumeTypes:
    """The volume types of one database."""

    def __init__(self, db: db_api.Database) -> None:
        self.db = db

    def _load(self, session: orm.Session, ctx: nl_context.RequestContext, type_id: str,
              *, by_name: bool = False) -> Type:
        query = sa.select(Type).where(Type.id == type_id)
        if by_name:
            query = sa.select(Type).where(sa.or_(Type.id == type_id, Type.name == type_id))
        row = session.scalar(query)
        if row is None or not _visible(ctx, row):
            raise VolumeTypeNotFound(id=type_id)
        return row

    def _load_custom(self, session: orm.Session, ctx: nl_context.RequestContext,
                     type_id: str) -> Type:
        if is_default(type_id):
            raise exception.Invalid(reason='the default volume type cannot be changed')
        return self._load(session, ctx, type_id)

    def load_custom(self, session: orm.Session, ctx: nl_context.RequestContext,
                    type_id: str) -> Type:
        """The admin-defined type ``type_id`` in ``session`` (404 unseen, 400 default)."""
        return self._load_custom(session, ctx, type_id)

    def list_types(self, ctx: nl_context.RequestContext,
             is_public: bool | None = None) -> list[dict[str, Any]]:
        """Types ``ctx`` may see; an admin's ``is_public`` filter (None: all)."""
        with self.db.reader() as session:
            rows = [row for row in session.scalars(sa.select(Type).order_by(Type.created_at))
                    if _visible(ctx, row)]
            qos = _qos_of(session, [row.id for row in rows])
            found = [format_type(row, qos.get(row.id)) for row in rows]
        types = [default_type(), *found]
        if is_public is None:
            return types
        return [t for t in types if t['is_public'] == is_public]

    def get(self, ctx: nl_context.RequestContext, type_id: str) -> dict[str, Any]:
        if is_default(type_id):
            return default_type()
        with self.db.reader() as session:
            row = self._load(session, ctx, type_id)
            return format_type(row, _qos_of(session, [row.id]).get(row.id))

    def resolve_name(self, ctx: nl_context.RequestContext, value: str) -> str:
        """The name of the type named or identified by ``value``; 404 if unseen."""
        if is_default(value):
            return DEFAULT_TYPE_NAME
        with self.db.reader() as session:
            return self._load(session, ctx, value, by_name=True).name

    def id_of(self, name: str | None) -> str:
        """The id of the type named ``name`` (None: the default type), whoever asks."""
        if name is None or is_default(name):
            return DEFAULT_TYPE_ID
        with self.db.reader() as session:
            found = session.scalar(sa.select(Type.id).where(Type.name == name))
        return found or DEFAULT_TYPE_ID

    def specs_of(self, name: str | None) -> dict[str, str]:
        """The extra specs of the type named ``name`` (none for the default type)."""
        if name is None or is_default(name):
            return {}
        with self.db.reader() as session:
            found = session.scalar(sa.select(Type.extra_specs).where(Type.name == name))
        return dict(found or {})

    def create(self, ctx: nl_context.RequestContext, name: str, *,
               description: str | None = None, is_public: bool = True,
               extra_specs: dict[str, str] | None = None) -> dict[str, Any]:
        if is_default(name):
            raise VolumeTypeExists(name=name)
        row = Type(id=str(uuid.uuid4()), name=name, description=description,
                   is_public=is_public, extra_specs=dict(extra_specs or {}), projects=[])
        try:
            with self.db.session() as session:
                if session.scalar(sa.select(Type.id).where(Type.name == name)) is not None:
                    raise VolumeTypeExists(name=name)
                session.add(row)
        except sa_exc.IntegrityError as err:
            raise VolumeTypeExists(name=name) from err
        return format_type(row)

    def update(self, ctx: nl_context.RequestContext, type_id: str,
               values: dict[str, Any]) -> dict[str, Any]:
        """Set any of name, description, is_public."""
        try:
            with self.db.session() as session:
                row = self._load_custom(session, ctx, type_id)
                name = values.get('name')
                if name is not None and name != row.name:
                    if is_default(name) or session.scalar(
                            sa.select(Type.id).where(Type.name == name)) is not None:
                        raise VolumeTypeExists(name=name)
                    row.name = name
                if 'description' in values:
                    row.description = values['description']
                if values.get('is_public') is not None:
                    row.is_public = values['is_public']
                row.updated_at = timeutils.utcnow()
                return format_type(row)
        except sa_exc.IntegrityError as err:
            raise VolumeTypeExists(name=values.get('name')) from err

    def delete(self, ctx: nl_context.RequestContext, type_id: str) -> None:
        with self.db.session() as session:
            row = self._load_custom(session, ctx, type_id)
            used = session.scalar(sa.select(sa.func.count()).select_from(Volume).where(
                Volume.volume_type.in_([row.name, row.id])))
            if used:
                raise VolumeTypeInUse(id=row.id)
            # No orphans: the type's QoS association and encryption go with it.
            for owned in (qos_models.VolumeTypeQos, qos_models.VolumeTypeEncryption):
                session.execute(sa.delete(owned).where(owned.volume_type_id == row.id))
            session.delete(row)

    def retype(self, ctx: nl_context.RequestContext, volume_id: str, new_type: str) -> None:
        """Give an available or in-use volume another type. Every type lives on the
        one backend, so no data moves (cinder's retype with migration_policy never)."""
        name = self.resolve_name(ctx, new_type)
        with self.db.session() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            touched = rows.write(session, sa.update(Volume).where(
                Volume.id == volume.id, Volume.status.in_(('available', 'in-use'))).values(
                    volume_type=name, updated_at=timeutils.utcnow()))
            if not touched:
                raise exception.Invalid(
                    reason=f'volume {volume.id} is {volume.status}; a retype needs it '
                           'available or in-use')

    # -- extra specs -----------------------------------------------------

    def extra_specs(self, ctx: nl_context.RequestContext, type_id: str) -> dict[str, str]:
        return dict(self.get(ctx, type_id)['extra_specs'])

    def set_extra_specs(self, ctx: nl_context.RequestContext, type_id: str,
                        specs: dict[str, str]) -> dict[str, str]:
        with self.db.session() as session:
            row = self._load_custom(session, ctx, type_id)
            row.extra_specs = {**(row.extra_specs or {}), **specs}
            row.updated_at = timeutils.utcnow()
        return specs

    def delete_extra_spec(self, ctx: nl_context.RequestContext, type_id: str,
                          key: str) -> None:
        with self.db.session() as session:
            row = self._load_custom(session, ctx, type_id)
            specs = dict(row.extra_specs or {})
            if key not in specs:
                raise exception.NotFound(resource='Volume Type extra spec', id=key)
            del specs[key]
            row.extra_specs = specs
            row.updated_at = timeutils.utcnow()

    # -- project access ---------------------------------------------------

    def access(self, ctx: nl_context.RequestContext, type_id: str) -> list[dict[str, str]]:
        with self.db.reader() as session:
            row = self._load_custom(session, ctx, type_id)
            if row.is_public:
                raise exception.NotFound(resource='Volume type access for', id=type_id)
            return [{'volume_type_id': row.id, 'project_id': project}
                    for project in row.projects or []]

    def set_access(self, ctx: nl_context.RequestContext, type_id: str, project: str,
                   *, add: bool) -> None:
        with self.db.session() as session:
            row = self._load_custom(session, ctx, type_id)
            if row.is_public:
                raise exception.Invalid(reason=f'volume type {row.id} is public')
            projects = list(row.projects or [])
            if add:
                if project in projects:
                    raise exception.Conflict(
                        reason=f'volume type {row.id} access for {project} exists')
                projects.append(project)
            else:
                if project not in projects:
                    raise exception.NotFound(resource='Volume type access for', id=project)
                projects.remove(project)
            row.projects = projects
