"""Image task records: glance's ``/v2/tasks`` view of asynchronous image work.

A task is ``pending`` when created, ``processing`` while it runs, then
``success`` or ``failure``; a finished task carries ``expires_at``
(``[image] task_time_to_live`` hours later). Tasks belong to a project
(``owner``); an admin sees every task.
"""

from __future__ import annotations

import datetime
from typing import Any, Final

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import image_task as models
from nova_lite.image import records

PENDING: Final = 'pending'
PROCESSING: Final = 'processing'
SUCCESS: Final = 'success'
FAILURE: Final = 'failure'
STATUSES: Final = (PENDING, PROCESSING, SUCCESS, FAILURE)
IMPORT_TYPE: Final = 'api_image_import'
"""The type of the task an image import (``POST /v2/images/{id}/import``) runs as."""
TYPES: Final = ('import', IMPORT_TYPE, 'location_import')
SORT_KEYS: Final = ('created_at', 'updated_at', 'id', 'status', 'type', 'expires_at')


def task_dict(row: models.ImageTask, *, detail: bool = True) -> dict[str, Any]:
    """Glance's view of a task; the list view leaves out input, result and message."""
    view: dict[str, Any] = {
        'id': row.id, 'type': row.type, 'status': row.status, 'owner': row.owner,
        'expires_at': timeutils.isotime(row.expires_at),
        'created_at': timeutils.isotime(row.created_at),
        'updated_at': timeutils.isotime(row.updated_at or row.created_at),
        'self': f'/v2/tasks/{row.id}', 'schema': '/v2/schemas/task'}
    if detail:
        view.update({'input': row.input, 'result': row.result, 'message': row.message})
    return view


def image_task_dict(row: models.ImageTask) -> dict[str, Any]:
    """A task as ``GET /v2/images/{id}/tasks`` shows it (with who asked, and for what)."""
    view = task_dict(row)
    view.update({'image_id': row.image_id, 'request_id': row.request_id,
                 'user_id': row.user_id})
    del view['self'], view['schema']
    return view


def _visible_to(ctx: nl_context.RequestContext) -> sa.ColumnElement[bool]:
    if ctx.is_admin:
        return sa.true()
    return models.ImageTask.owner == ctx.project_id


class TaskStore:
    """Reads and writes image task rows."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database) -> None:
        self._conf = conf
        self._db = db

    @staticmethod
    def new_row(ctx: nl_context.RequestContext, task_type: str, task_input: dict[str, Any],
                *, image_id: str | None = None) -> models.ImageTask:
        """A ``pending`` task row for the caller, to add in the caller's transaction."""
        return models.ImageTask(type=task_type, status=PENDING, owner=ctx.project_id,
                                image_id=image_id, request_id=ctx.request_id,
                                user_id=ctx.user_id, input=task_input, result=None,
                                message='')

    def create(self, ctx: nl_context.RequestContext, task_type: str,
               task_input: dict[str, Any], *, status: str = PENDING,
               message: str = '') -> dict[str, Any]:
        with self._db.session() as session:
            row = self.new_row(ctx, task_type, task_input)
            row.status = status
            row.message = message
            if status in (SUCCESS, FAILURE):
                row.expires_at = self._expiry()
            session.add(row)
            session.flush()
            return task_dict(row)

    def _expiry(self) -> datetime.datetime:
        return timeutils.utcnow() + datetime.timedelta(hours=self._conf.image.task_time_to_live)

    def get(self, ctx: nl_context.RequestContext, task_id: str) -> dict[str, Any]:
        with self._db.reader() as session:
            return task_dict(self._get_row(session, ctx, task_id))

    @staticmethod
    def _get_row(session: orm.Session, ctx: nl_context.RequestContext,
                 task_id: str) -> models.ImageTask:
        canonical = records.canonical_id(task_id)
        row = None
        if canonical is not None:
            row = session.scalar(sa.select(models.ImageTask).where(
                models.ImageTask.id == canonical, _visible_to(ctx)))
        if row is None:
            raise exception.NotFound(resource='Task', id=task_id)
        return row

    def list_tasks(self, ctx: nl_context.RequestContext, *, status: str | None = None,
             task_type: str | None = None, sort_key: str = 'created_at',
             sort_dir: str = 'desc', marker: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
        """Visible tasks, sorted; ``marker`` is the last id of the previous page."""
        column = getattr(models.ImageTask, sort_key)
        order = (column.desc(), models.ImageTask.id.desc()) if sort_dir == 'desc' else (
            column.asc(), models.ImageTask.id.asc())
        query = sa.select(models.ImageTask).where(_visible_to(ctx))
        if status is not None:
            query = query.where(models.ImageTask.status == status)
        if task_type is not None:
            query = query.where(models.ImageTask.type == task_type)
        with self._db.reader() as session:
            if marker is not None:
                try:
                    last = self._get_row(session, ctx, marker)
                except exception.NotFound:
                    raise exception.InvalidInput(field='marker',
                                                 reason=f'task {marker} not found') from None
                last_value = getattr(last, sort_key)
                before = column < last_value if sort_dir == 'desc' else column > last_value
                same = sa.and_(column == last_value,
                               models.ImageTask.id < last.id if sort_dir == 'desc'
                               else models.ImageTask.id > last.id)
                query = query.where(sa.or_(before, same))
            query = query.order_by(*order)
            if limit is not None:
                query = query.limit(limit)
            return [task_dict(row, detail=False) for row in session.scalars(query)]

    def for_image(self, ctx: nl_context.RequestContext, image_id: str) -> list[dict[str, Any]]:
        """The tasks of an image the caller can see (oldest first); NotFound otherwise."""
        with self._db.reader() as session:
            image = records.get_row(session, ctx, image_id)
            rows = session.scalars(sa.select(models.ImageTask).where(
                models.ImageTask.image_id == image.id).order_by(
                models.ImageTask.created_at, models.ImageTask.id))
            return [image_task_dict(row) for row in rows]

    def set_status(self, task_id: str, status: str, *, message: str = '',
                   result: dict[str, Any] | None = None) -> None:
        """Move a task on; a finished one gets its result, message and expiry."""
        with self._db.session() as session:
            row = session.get(models.ImageTask, task_id, with_for_update=True)
            if row is None:
                return
            row.status = status
            if status in (SUCCESS, FAILURE):
                row.message = message
                row.result = result
                row.expires_at = self._expiry()
