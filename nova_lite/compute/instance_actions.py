"""Instance actions and their events: what ``os-instance-actions`` lists.

The compute API starts an action for each request that changes a server
(keyed by the request id); the flow that carries it out records one event
(``compute_<action>``) and finishes the action, with a message on error.
"""

from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import compute_instance_actions as models

SUCCESS = 'Success'
ERROR = 'Error'
# Nova's action names (nova/compute/instance_actions.py).
CREATE = 'create'
DELETE = 'delete'
INJECT_NETWORK_INFO = 'inject_network_info'


def event_name(action: str) -> str:
    """The event a flow run of ``action`` records (Nova's ``compute_<action>``)."""
    return f'compute_{action.replace("-", "_")}'


def _action_dict(row: models.InstanceAction) -> dict[str, Any]:
    return {'id': row.id, 'instance_uuid': row.instance_uuid, 'action': row.action,
            'request_id': row.request_id, 'user_id': row.user_id,
            'project_id': row.project_id, 'start_time': row.start_time,
            'finish_time': row.finish_time, 'message': row.message,
            'updated_at': row.updated_at or row.created_at}


def _event_dict(row: models.InstanceActionEvent) -> dict[str, Any]:
    return {'event': row.event, 'start_time': row.start_time,
            'finish_time': row.finish_time, 'result': row.result,
            'traceback': row.traceback, 'host': row.host, 'details': row.details}


class InstanceActionStore:
    """Reads and writes instance actions and events."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def start_action(self, *, instance_id: str, action: str, request_id: str,
                     user_id: str | None, project_id: str | None) -> dict[str, Any]:
        now = timeutils.utcnow()
        with self._db.session() as session:
            row = models.InstanceAction(instance_uuid=instance_id, action=action,
                                        request_id=request_id, user_id=user_id,
                                        project_id=project_id, start_time=now,
                                        created_at=now)
            session.add(row)
            session.flush()
            return _action_dict(row)

    def _find(self, session: Any, instance_id: str,
              request_id: str) -> models.InstanceAction | None:
        return session.scalars(
            sa.select(models.InstanceAction)
            .where(models.InstanceAction.instance_uuid == instance_id,
                   models.InstanceAction.request_id == request_id)
            .order_by(models.InstanceAction.id.desc()).limit(1)).first()

    def finish_action(self, instance_id: str, request_id: str, *,
                      message: str | None = None) -> None:
        """Mark the action done (``message``: why it failed); no-op if not recorded."""
        with self._db.session() as session:
            row = self._find(session, instance_id, request_id)
            if row is None:
                return
            now = timeutils.utcnow()
            row.finish_time = now
            row.updated_at = now
            if message is not None:
                row.message = message[:255]

    def start_event(self, instance_id: str, request_id: str, event: str, *,
                    host: str | None = None) -> None:
        """Record that a run of the action's flow started (idempotent on resume)."""
        with self._db.session() as session:
            action = self._find(session, instance_id, request_id)
            if action is None:
                return
            existing = session.scalars(sa.select(models.InstanceActionEvent).where(
                models.InstanceActionEvent.action_id == action.id,
                models.InstanceActionEvent.event == event)).first()
            if existing is not None:
                return
            session.add(models.InstanceActionEvent(action_id=action.id, event=event,
                                                   start_time=timeutils.utcnow(),
                                                   host=host))
            action.updated_at = timeutils.utcnow()

    def finish_event(self, instance_id: str, request_id: str, event: str, *,
                     result: str, traceback: str | None = None,
                     details: str | None = None) -> None:
        """Record the run's result (Success or Error) and finish its action."""
        with self._db.session() as session:
            action = self._find(session, instance_id, request_id)
            if action is None:
                return
            row = session.scalars(sa.select(models.InstanceActionEvent).where(
                models.InstanceActionEvent.action_id == action.id,
                models.InstanceActionEvent.event == event)).first()
            now = timeutils.utcnow()
            if row is None:
                row = models.InstanceActionEvent(action_id=action.id, event=event,
                                                 start_time=now)
                session.add(row)
            row.finish_time = now
            row.result = result
            row.traceback = traceback
            row.details = details
            action.finish_time = now
            action.updated_at = now
            if result == ERROR:
                action.message = ERROR

    def list_actions(self, instance_id: str, *, limit: int | None = None,
                     marker: str | None = None,
                     changes_since: datetime.datetime | None = None,
                     changes_before: datetime.datetime | None = None,
                     ) -> list[dict[str, Any]]:
        """The instance's actions, newest first; ``marker`` a request id (404 if unknown)."""
        with self._db.session() as session:
            query = sa.select(models.InstanceAction).where(
                models.InstanceAction.instance_uuid == instance_id)
            updated = sa.func.coalesce(models.InstanceAction.updated_at,
                                       models.InstanceAction.created_at)
            if changes_since is not None:
                query = query.where(updated >= changes_since)
            if changes_before is not None:
                query = query.where(updated <= changes_before)
            if marker is not None:
                marked = self._find(session, instance_id, marker)
                if marked is None:
                    raise exception.NotFound(resource='Marker', id=marker)
                query = query.where(sa.or_(
                    models.InstanceAction.created_at < marked.created_at,
                    sa.and_(models.InstanceAction.created_at == marked.created_at,
                            models.InstanceAction.id < marked.id)))
            query = query.order_by(models.InstanceAction.created_at.desc(),
                                   models.InstanceAction.id.desc())
            if limit is not None:
                query = query.limit(limit)
            return [_action_dict(row) for row in session.scalars(query)]

    def get_action(self, instance_id: str, request_id: str) -> dict[str, Any]:
        """One action with its events; NotFound if the instance has no such action."""
        with self._db.session() as session:
            row = self._find(session, instance_id, request_id)
            if row is None:
                raise exception.NotFound(resource='Action', id=request_id)
            action = _action_dict(row)
            events = session.scalars(sa.select(models.InstanceActionEvent).where(
                models.InstanceActionEvent.action_id == row.id)
                .order_by(models.InstanceActionEvent.id))
            action['events'] = [_event_dict(event) for event in events]
            return action
