"""Group types: the kinds of generic volume group, with free ``group_specs``.

As in cinder, a group type has a unique name, a description, an ``is_public``
flag (private types are seen by admins only here; nova_lite keeps no
per-project access list for them) and string ``group_specs``. A type that a
group still uses cannot be deleted (400). ``default`` names the type called
:data:`DEFAULT_NAME` when it exists (cinder's default group type).
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
from nova_lite.db.models import volume_groups as models

GroupType = models.GroupType
Spec = models.GroupTypeSpec
DEFAULT_NAME = 'default_group_type'


class GroupTypeNotFound(exception.NotFound):
    msg_fmt = 'Group type %(id)s could not be found.'


class GroupTypeExists(exception.Conflict):
    msg_fmt = 'Group type with name %(name)s already exists.'


class GroupTypeInUse(exception.Invalid):
    msg_fmt = 'Group type %(id)s deletion is not allowed with groups present with the type.'


class GroupTypeSpecNotFound(exception.NotFound):
    msg_fmt = 'Group type %(id)s has no group specs with key %(key)s.'


def _specs_of(session: orm.Session, type_ids: list[str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {type_id: {} for type_id in type_ids}
    if type_ids:
        for spec in session.scalars(sa.select(Spec).where(Spec.group_type_id.in_(type_ids))):
            found[spec.group_type_id][spec.key] = spec.value
    return found


def format_group_type(row: GroupType, specs: dict[str, str]) -> dict[str, Any]:
    """A group type shaped like cinder's group_type body."""
    return {'id': row.id, 'name': row.name, 'description': row.description,
            'is_public': bool(row.is_public), 'group_specs': dict(specs)}


def _visible(ctx: nl_context.RequestContext, row: GroupType) -> bool:
    return bool(row.is_public) or bool(ctx.is_admin)


class GroupTypes:
    """The group types of one database."""

    def __init__(self, db: db_api.Database) -> None:
        self.db = db

    def load(self, session: orm.Session, ctx: nl_context.RequestContext,
             type_id: str) -> GroupType:
        """The type with id (or, failing that, name) ``type_id`` if ``ctx`` sees it."""
        row = session.get(GroupType, type_id) or session.scalar(
            sa.select(GroupType).where(GroupType.name == type_id))
        if row is None or not _visible(ctx, row):
            raise GroupTypeNotFound(id=type_id)
        return row

    def _formatted(self, session: orm.Session, row: GroupType) -> dict[str, Any]:
        return format_group_type(row, _specs_of(session, [row.id])[row.id])

    def list_types(self, ctx: nl_context.RequestContext,
                   is_public: bool | None = True) -> list[dict[str, Any]]:
        """Types ``ctx`` may see, oldest first; ``is_public`` filters (None: all)."""
        with self.db.reader() as session:
            rows = [row for row in session.scalars(
                sa.select(GroupType).order_by(GroupType.created_at, GroupType.id))
                if _visible(ctx, row) and (is_public is None
                                           or bool(row.is_public) == is_public)]
            specs = _specs_of(session, [row.id for row in rows])
            return [format_group_type(row, specs[row.id]) for row in rows]

    def get(self, ctx: nl_context.RequestContext, type_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            return self._formatted(session, self.load(session, ctx, type_id))

    def get_default(self, ctx: nl_context.RequestContext) -> dict[str, Any]:
        with self.db.reader() as session:
            row = session.scalar(sa.select(GroupType).where(GroupType.name == DEFAULT_NAME))
            if row is None:
                raise GroupTypeNotFound(id='default')
            return self._formatted(session, row)

    def create(self, ctx: nl_context.RequestContext, name: str, *,
               description: str | None = None, is_public: bool = True,
               group_specs: dict[str, str] | None = None) -> dict[str, Any]:
        row = GroupType(id=str(uuid.uuid4()), name=name, description=description,
                        is_public=is_public)
        try:
            with self.db.session() as session:
                if session.scalar(sa.select(GroupType.id).where(GroupType.name == name)):
                    raise GroupTypeExists(name=name)
                session.add(row)
                session.flush()
                for key, value in (group_specs or {}).items():
                    session.add(Spec(group_type_id=row.id, key=key, value=value))
        except sa_exc.IntegrityError as err:
            raise GroupTypeExists(name=name) from err
        return self.get(ctx, row.id)

    def update(self, ctx: nl_context.RequestContext, type_id: str,
               changes: dict[str, Any]) -> dict[str, Any]:
        """Set name, description and/or is_public; 409 when the name is taken."""
        try:
            with self.db.session() as session:
                row = self.load(session, ctx, type_id)
                name = changes.get('name')
                if name is not None and name != row.name:
                    if session.scalar(sa.select(GroupType.id).where(GroupType.name == name)):
                        raise GroupTypeExists(name=name)
                    row.name = name
                if 'description' in changes:
                    row.description = changes['description']
                if changes.get('is_public') is not None:
                    row.is_public = bool(changes['is_public'])
                row.updated_at = timeutils.utcnow()
                type_id = row.id
        except sa_exc.IntegrityError as err:
            raise GroupTypeExists(name=changes.get('name')) from err
        return self.get(ctx, type_id)

    def delete(self, ctx: nl_context.RequestContext, type_id: str) -> None:
        """Delete an unused type (400 while a group has it)."""
        with self.db.session() as session:
            row = self.load(session, ctx, type_id)
            in_use = session.scalar(sa.select(sa.func.count()).select_from(
                models.VolumeGroup).where(models.VolumeGroup.group_type_id == row.id))
            if in_use:
                raise GroupTypeInUse(id=row.id)
            session.execute(sa.delete(Spec).where(Spec.group_type_id == row.id))
            session.delete(row)

    # -- group_specs ------------------------------------------------------

    def specs(self, ctx: nl_context.RequestContext, type_id: str) -> dict[str, str]:
        return dict(self.get(ctx, type_id)['group_specs'])

    def set_specs(self, ctx: nl_context.RequestContext, type_id: str,
                  values: dict[str, str]) -> dict[str, str]:
        """Create or overwrite the given keys; the others stay."""
        with self.db.session() as session:
            row = self.load(session, ctx, type_id)
            for key, value in values.items():
                spec = session.get(Spec, (row.id, key))
                if spec is None:
                    session.add(Spec(group_type_id=row.id, key=key, value=value))
                else:
                    spec.value = value
            row.updated_at = timeutils.utcnow()
        return dict(values)

    def delete_spec(self, ctx: nl_context.RequestContext, type_id: str, key: str) -> None:
        with self.db.session() as session:
            row = self.load(session, ctx, type_id)
            spec = session.get(Spec, (row.id, key))
            if spec is None:
                raise GroupTypeSpecNotFound(id=row.id, key=key)
            session.delete(spec)
