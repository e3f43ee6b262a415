"""User messages (microversion 3.3): what went wrong with a project's request.

When an asynchronous step fails where the caller cannot see why (a volume
that no backend would take goes to 'error'), cinder records a message for
the project: the resource, an event id naming the action and the failure,
and a sentence for people. Messages are listed, shown and deleted through
``/messages`` and are kept for ``message_ttl`` seconds.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

import sqlalchemy as sa

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import volume_messages as models
from nova_lite.volume import rows

Message = models.VolumeMessage
ERROR = 'ERROR'
RESOURCE_VOLUME = 'VOLUME'
# Cinder's event ids are "<resource>_<action id>_<detail id>".
ACTION_SCHEDULE_ALLOCATE = ('001', 'schedule allocate volume')
DETAIL_NO_BACKEND = ('002', 'Could not find any available weighted backend.')
DETAIL_SERVICE_DISABLED = ('008', 'Service not found, disabled or frozen.')
DEFAULT_TTL = datetime.timedelta(days=30)


class MessageNotFound(exception.NotFound):
    msg_fmt = 'Message %(id)s could not be found.'


def format_message(row: Message) -> dict[str, Any]:
    """A message as the API shows it (without links)."""
    return {'id': row.id, 'request_id': row.request_id, 'message_level': row.message_level,
            'event_id': row.event_id, 'user_message': row.detail,
            'resource_type': row.resource_type, 'resource_uuid': row.resource_uuid,
            'created_at': timeutils.isotime(row.created_at),
            'guaranteed_until': timeutils.isotime(row.expires_at)}


class UserMessages:
    """The user messages of one database."""

    def __init__(self, db: db_api.Database, ttl: datetime.timedelta = DEFAULT_TTL) -> None:
        self.db = db
        self.ttl = ttl

    def record(self, ctx: nl_context.RequestContext, resource_uuid: str, *,
               action: tuple[str, str], detail: tuple[str, str],
               resource_type: str = RESOURCE_VOLUME) -> dict[str, Any]:
        """Record an error message about ``resource_uuid`` for the caller's project."""
        now = timeutils.utcnow()
        row = Message(id=str(uuid.uuid4()), project_id=ctx.project_id or '',
                      request_id=ctx.request_id, resource_type=resource_type,
                      resource_uuid=resource_uuid,
                      event_id=f'VOLUME_{resource_type}_{action[0]}_{detail[0]}',
                      message_level=ERROR, detail=f'{action[1]}: {detail[1]}',
                      created_at=now, expires_at=now + self.ttl)
        with self.db.session() as session:
            session.add(row)
            session.flush()
            return format_message(row)

    def _visible(self, ctx: nl_context.RequestContext) -> sa.Select[Any]:
        query = sa.select(Message).where(Message.expires_at > timeutils.utcnow())
        if not ctx.is_admin:
            query = query.where(Message.project_id == ctx.project_id)
        return query

    def list_messages(self, ctx: nl_context.RequestContext) -> list[dict[str, Any]]:
        """The unexpired messages of the caller's project (every project's for admins)."""
        query = self._visible(ctx).order_by(Message.created_at, Message.id)
        with self.db.reader() as session:
            return [format_message(row) for row in session.scalars(query)]

    def get(self, ctx: nl_context.RequestContext, message_id: str) -> dict[str, Any]:
        canonical = rows.canonical_uuid(message_id)
        with self.db.reader() as session:
            row = session.scalar(self._visible(ctx).where(Message.id == str(canonical)))
            if canonical is None or row is None:
                raise MessageNotFound(id=message_id)
            return format_message(row)

    def delete(self, ctx: nl_context.RequestContext, message_id: str) -> None:
        canonical = rows.canonical_uuid(message_id)
        with self.db.session() as session:
            row = session.scalar(self._visible(ctx).where(Message.id == str(canonical)))
            if canonical is None or row is None:
                raise MessageNotFound(id=message_id)
            session.delete(row)
