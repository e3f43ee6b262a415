"""Simple tenant usage: the hours each project's servers ran in a period.

As nova computes it: a server counts from ``launched_at`` to
``terminated_at`` (or now), cut to the period ``[start, stop]``; a server
never launched, or terminated before the period, is not counted. Its sizes
are the flavor it was booted with (kept with the instance).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from nova_lite.api import paging
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import compute as models

_FORMATS = ('%Y-%m-%dT%H:%M:%S', '%Y-%m-%dT%H:%M:%S.%f', '%Y-%m-%d %H:%M:%S.%f',
            '%Y-%m-%d %H:%M:%S')


def parse_time(value: str | None, field: str) -> datetime.datetime:
    """A period bound as nova takes it (now when absent); 400 naming the field."""
    if value is None:
        return timeutils.utcnow()
    for fmt in _FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
    raise exception.InvalidInput(field=field, reason=f'{value!r} is not a valid date time')


def period(start: str | None, end: str | None) -> tuple[datetime.datetime, datetime.datetime]:
    begin, stop = parse_time(start, 'start'), parse_time(end, 'end')
    if begin > stop:
        raise exception.Invalid(message='Invalid start time. The start time cannot occur '
                                        'after the end time.')
    return begin, stop


def _hours(begin: datetime.datetime, stop: datetime.datetime,
           row: models.Instance, now: datetime.datetime) -> float:
    launched = row.launched_at or now
    ended = row.terminated_at or now
    start, end = max(begin, launched), min(stop, ended)
    return max((end - start).total_seconds(), 0.0) / 3600.0


def _server_usage(row: models.Instance, hours: float,
                  now: datetime.datetime) -> dict[str, Any]:
    flavor = ((row.build_request or {}).get('request_spec') or {}).get('flavor') or {}
    launched = row.launched_at or row.created_at
    ended = row.terminated_at
    uptime = int(((ended or now) - launched).total_seconds())
    return {
        'instance_id': row.id, 'name': row.name, 'tenant_id': row.project_id,
        'hours': hours, 'memory_mb': int(flavor.get('memory_mb') or 0),
        'local_gb': int(flavor.get('root_gb') or 0) + int(flavor.get('ephemeral_gb') or 0),
        'vcpus': int(flavor.get('vcpus') or 0), 'flavor': str(flavor.get('name') or ''),
        'started_at': launched.isoformat(), 'ended_at': ended.isoformat() if ended else None,
        'state': 'terminated' if ended is not None else row.vm_state,
        'uptime': max(uptime, 0),
    }


def _totals(project_id: str, begin: datetime.datetime, stop: datetime.datetime,
            servers: Iterable[dict[str, Any]]) -> dict[str, Any]:
    body: dict[str, Any] = {'tenant_id': project_id, 'start': begin.isoformat(),
                            'stop': stop.isoformat(), 'total_hours': 0.0,
                            'total_vcpus_usage': 0.0, 'total_memory_mb_usage': 0.0,
                            'total_local_gb_usage': 0.0}
    for server in servers:
        body['total_hours'] += server['hours']
        body['total_vcpus_usage'] += server['hours'] * server['vcpus']
        body['total_memory_mb_usage'] += server['hours'] * server['memory_mb']
        body['total_local_gb_usage'] += server['hours'] * server['local_gb']
    return body


class TenantUsage:
    """Reads instances (deleted ones too) to tell each project's usage in a period."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def _rows(self, begin: datetime.datetime, stop: datetime.datetime,
              project_id: str | None, request: paging.PageRequest) -> list[models.Instance]:
        query = (sa.select(models.Instance)
                 .where(models.Instance.launched_at.is_not(None),
                        models.Instance.launched_at < stop,
                        sa.or_(models.Instance.terminated_at.is_(None),
                               models.Instance.terminated_at > begin))
                 .order_by(models.Instance.created_at, models.Instance.id))
        if project_id is not None:
            query = query.where(models.Instance.project_id == project_id)
        with self._db.reader() as session:
            if request.marker is not None:
                marker = session.get(models.Instance, request.marker)
                if marker is None:
                    raise paging.marker_not_found(request.marker)
                query = query.where(sa.or_(
                    models.Instance.created_at > marker.created_at,
                    sa.and_(models.Instance.created_at == marker.created_at,
                            models.Instance.id > marker.id)))
            if request.limit is not None:
                query = query.limit(request.limit + 1)
            return list(session.scalars(query))

    def usages(self, begin: datetime.datetime, stop: datetime.datetime, *,
               project_id: str | None = None, detailed: bool = False,
               request: paging.PageRequest = paging.EVERYTHING,
               ) -> tuple[list[dict[str, Any]], str | None]:
        """One usage per project with servers in the period (one page of servers),
        and the marker of the next page (None: no more)."""
        now = timeutils.utcnow()
        rows = self._rows(begin, stop, project_id, request)
        page = paging.cut(rows, request.limit, lambda row: str(row.id))
        by_project: dict[str, list[dict[str, Any]]] = {}
        for row in page.items:
            by_project.setdefault(row.project_id, []).append(
                _server_usage(row, _hours(begin, stop, row, now), now))
        usages = []
        for owner, servers in by_project.items():
            usage = _totals(owner, begin, stop, servers)
            if detailed:
                usage['server_usages'] = servers
            usages.append(usage)
        return usages, page.next_marker
