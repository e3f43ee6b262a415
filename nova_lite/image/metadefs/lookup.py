"""What every metadefs store shares: finding a visible namespace, protection, duplicates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import image_metadefs as models

T = TypeVar('T')


def visible_to(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    """The namespaces ``ctx`` may see: all for an admin, else public and its project's."""
    if ctx.is_admin:
        return sa.true()
    public = models.MetadefNamespace.visibility == 'public'
    if ctx.project_id is None:
        return public
    return sa.or_(public, models.MetadefNamespace.owner == ctx.project_id)


def storable(*names: str | None) -> bool:
    """Whether every name could be stored (PostgreSQL stores no NUL): else nothing has it."""
    return not any(name is not None and '\x00' in name for name in names)


def namespace_row(session: orm.Session, ctx: nl_context.RequestContext, name: str, *,
                  for_update: bool = False) -> models.MetadefNamespace:
    """The namespace called ``name`` if ``ctx`` may see it, else NotFound."""
    if not storable(name):
        raise exception.NotFound(f'Metadata definition namespace={name!r} was not found.')
    query = sa.select(models.MetadefNamespace).where(
        models.MetadefNamespace.namespace == name, visible_to(ctx))
    if for_update:
        query = query.with_for_update()
    row = session.scalar(query)
    if row is None:
        raise exception.NotFound(f'Metadata definition namespace={name} was not found.')
    return row


def check_unprotected(namespace: models.MetadefNamespace, what: str) -> None:
    """Forbidden when ``namespace`` is protected (nothing in it may be deleted)."""
    if namespace.protected:
        raise exception.Forbidden(f'{what} cannot be deleted because namespace '
                                  f'{namespace.namespace} is protected.')


def duplicate(what: str, name: str, namespace: str | None = None) -> exception.Conflict:
    where = f' in namespace={namespace}' if namespace is not None else ''
    return exception.Conflict(f'A metadata definition {what} with name={name} already '
                              f'exists{where}.')


def named_child(session: orm.Session, model: type[T], namespace_id: int,
                name: str) -> T | None:
    """The object, property or tag ``name`` of a namespace (None when absent)."""
    if not storable(name):
        return None
    column: Any = model
    return session.scalar(sa.select(model).where(column.namespace_id == namespace_id,
                                                 column.name == name))


def write(db: db_api.Database, conflict: Callable[[], exception.Conflict],
          action: Callable[[orm.Session], T]) -> T:
    """Run ``action`` in one transaction; a unique-key race becomes ``conflict()``."""
    try:
        with db.session() as session:
            return action(session)
    except sa_exc.IntegrityError:
        raise conflict() from None
