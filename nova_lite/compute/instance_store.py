"""Instance records: the only code that reads and writes the instances table.

The compute API creates instances and the conductor's flows move them through
their states; both go through :class:`InstanceStore`, which hands out plain
dicts (never ORM objects) so that flows can keep them in their store.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.api import paging, sql_paging
from nova_lite.common import exception, timeutils
from nova_lite.common.states import ServerStatus, TaskState, VmState
from nova_lite.compute import migrations, server_groups
from nova_lite.db import api as db_api
from nova_lite.db.models import compute as models

VM_STATE_TO_STATUS = {
    VmState.BUILDING: ServerStatus.BUILD,
    VmState.ACTIVE: ServerStatus.ACTIVE,
    VmState.STOPPED: ServerStatus.SHUTOFF,
    VmState.PAUSED: ServerStatus.PAUSED,
    VmState.SUSPENDED: ServerStatus.SUSPENDED,
    VmState.ERROR: ServerStatus.ERROR,
    VmState.DELETED: ServerStatus.DELETED,
    VmState.SHELVED: 'SHELVED',
    VmState.SHELVED_OFFLOADED: 'SHELVED_OFFLOADED',
    VmState.RESIZED: ServerStatus.VERIFY_RESIZE,
}
# GET /servers' order: newest first (then by id), as nova lists.
_NEWEST_FIRST = (sql_paging.SortKey(models.Instance.created_at, descending=True),
                 sql_paging.SortKey(models.Instance.id))
_INSTANCES = models.Instance.__table__
_FAULTS = models.InstanceFault.__table__
# GET /servers/{id} and the flows read one instance by id: a Core statement built
# once (its compiled form cached) whose rows carry the model's attribute names.
_GET_INSTANCE = sa.select(*[_INSTANCES.c[prop.columns[0].name].label(prop.key)
                            for prop in sa.inspect(models.Instance).column_attrs]
                          ).where(_INSTANCES.c.id == sa.bindparam('instance_id'))
_LATEST_FAULT = (sa.select(_FAULTS).where(_FAULTS.c.instance_id == sa.bindparam('instance_id'))
                 .order_by(_FAULTS.c.created_at.desc()).limit(1))
_UPDATABLE = frozenset({'vm_state', 'task_state', 'power_state', 'host', 'network_info',
                        'launched_at', 'terminated_at', 'availability_zone', 'locked_by',
                        'locked_reason', 'flavor_id', 'image_id', 'key_name',
                        'key_data'})


def status_of(vm_state: str, task_state: str | None = None) -> str:
    """The API status of an instance (BUILD, ACTIVE, ERROR, ...)."""
    return VM_STATE_TO_STATUS.get(vm_state, vm_state.upper())


def _fault_dict(fault: Any) -> dict[str, Any]:
    """A fault (an InstanceFault, or a row with its attribute names) as a dict."""
    return {'code': fault.code, 'message': fault.message, 'details': fault.details,
            'created': timeutils.isotime(fault.created_at), 'host': fault.host}


def _instance_dict(row: Any, fault: Any = None) -> dict[str, Any]:
    """An instance (an Instance, or a row with its attribute names) and its fault."""
    return {
        'id': row.id, 'name': row.name, 'project_id': row.project_id,
        'user_id': row.user_id, 'image_id': row.image_id, 'flavor_id': row.flavor_id,
        'host': row.host, 'availability_zone': row.availability_zone,
        'vm_state': row.vm_state, 'task_state': row.task_state,
        'power_state': row.power_state, 'status': status_of(row.vm_state, row.task_state),
        'key_name': row.key_name, 'key_data': row.key_data,
        'metadata': dict(row.instance_metadata or {}),
        'network_info': list(row.network_info or []),
        'build_request': dict(row.build_request or {}),
        'created_at': timeutils.isotime(row.created_at),
        'updated_at': timeutils.isotime(row.updated_at or row.created_at),
        'launched_at': timeutils.isotime(row.launched_at),
        'deleted_at': timeutils.isotime(row.deleted_at),
        'fault': _fault_dict(fault) if fault is not None else None,
        'locked_by': row.locked_by, 'locked_reason': row.locked_reason,
    }


class InstanceStore:
    """Reads and writes instances and their faults."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def create(self, *, name: str, project_id: str, user_id: str, flavor_id: str,
               image_id: str | None, availability_zone: str | None,
               metadata: dict[str, str], build_request: dict[str, Any],
               key_name: str | None = None, key_data: str | None = None,
               quota_check: Callable[[orm.Session], None] | None = None) -> dict[str, Any]:
        """Insert a BUILDING instance; ``quota_check`` runs first in the same transaction
        (it locks and counts the project's usage), so the row is the quota it takes."""
        with self._db.session() as session:
            if quota_check is not None:
                quota_check(session)
            row = models.Instance(
                name=name, project_id=project_id, user_id=user_id, flavor_id=flavor_id,
                image_id=image_id, availability_zone=availability_zone,
                instance_metadata=metadata, build_request=build_request,
                key_name=key_name, key_data=key_data, vm_state=VmState.BUILDING,
                task_state=TaskState.SCHEDULING,
                power_state=0, network_info=[])
            session.add(row)
            session.flush()
            return _instance_dict(row)

    def get(self, instance_id: str, *, include_deleted: bool = False) -> dict[str, Any]:
        with self._db.read_connection() as connection:
            row = connection.execute(_GET_INSTANCE, {'instance_id': instance_id}).first()
            if row is None or (row.deleted_at is not None and not include_deleted):
                raise exception.NotFound(resource='Instance', id=instance_id)
            fault = (connection.execute(_LATEST_FAULT, {'instance_id': instance_id}).first()
                     if row.vm_state == VmState.ERROR else None)
            return _instance_dict(row, fault)

    def list(self, *, project_id: str | None = None, vm_states: list[str] | None = None,
             include_deleted: bool = False) -> list[dict[str, Any]]:
        query = sa.select(models.Instance).order_by(models.Instance.created_at.desc(),
                                                     models.Instance.id)
        if project_id is not None:
            query = query.where(models.Instance.project_id == project_id)
        if vm_states:
            query = query.where(models.Instance.vm_state.in_(vm_states))
        if not include_deleted:
            query = query.where(models.Instance.deleted_at.is_(None))
        with self._db.reader() as session:
            rows = session.scalars(query).all()
            faults = self._latest_faults(session,
                                         [r.id for r in rows if r.vm_state == VmState.ERROR])
            return [_instance_dict(row, faults.get(row.id)) for row in rows]

    def page(self, *, project_id: str | None, name_pattern: str | None = None,
             status_condition: sa.ColumnElement[bool] | None = None,
             request: paging.PageRequest = paging.EVERYTHING,
             conditions: Sequence[sa.ColumnElement[bool]] = (),
             include_deleted: bool = False) -> paging.Page[dict[str, Any]]:
        """One page of the instances not deleted, newest first, filtered in the query.

        ``name_pattern`` is a regular expression searched for in the name (the
        database's regular expressions: Python's on SQLite, POSIX on PostgreSQL);
        ``conditions`` are more filters (:mod:`nova_lite.compute.server_filters`);
        ``include_deleted`` lists deleted instances too (nova's changes-since).
        """
        query = sa.select(models.Instance).where(*conditions)
        if not include_deleted:
            query = query.where(models.Instance.deleted_at.is_(None))
        if project_id is not None:
            query = query.where(models.Instance.project_id == project_id)
        if name_pattern is not None:
            query = query.where(models.Instance.name.regexp_match(name_pattern))
        if status_condition is not None:
            query = query.where(status_condition)
        with self._db.reader() as session:
            rows = sql_paging.page_rows(session, query, _NEWEST_FIRST, request,
                                        models.Instance.id)
            faults = self._latest_faults(
                session, [r.id for r in rows.items if r.vm_state == VmState.ERROR])
            return paging.Page([_instance_dict(row, faults.get(row.id)) for row in rows.items],
                               rows.next_marker)

    @staticmethod
    def _latest_faults(session: Any,
                       instance_ids: Sequence[str]) -> dict[str, models.InstanceFault]:
        """The newest fault of each instance, in one query."""
        if not instance_ids:
            return {}
        latest: dict[str, models.InstanceFault] = {}
        for fault in session.scalars(
                sa.select(models.InstanceFault)
                .where(models.InstanceFault.instance_id.in_(instance_ids))
                .order_by(models.InstanceFault.created_at)):
            latest[fault.instance_id] = fault
        return latest

    def update(self, instance_id: str, *, expected_vm_states: tuple[str, ...] | None = None,
               **values: Any) -> dict[str, Any]:
        """Update state columns; with expected_vm_states, only from those states."""
        unknown = set(values) - _UPDATABLE
        if unknown:
            raise exception.Invalid(reason=f'cannot update {sorted(unknown)}')
        with self._db.session() as session:
            row = session.get(models.Instance, instance_id, with_for_update=True)
            if row is None or row.deleted_at is not None:
                raise exception.NotFound(resource='Instance', id=instance_id)
            if expected_vm_states is not None and row.vm_state not in expected_vm_states:
                raise exception.InvalidState(
                    resource='Instance', id=instance_id, state=row.vm_state,
                    action='this update', needed=' or '.join(expected_vm_states))
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = timeutils.utcnow()
            session.flush()
            return _instance_dict(row)

    def change_details(self, instance_id: str, *,
                       allowed_vm_states: tuple[str, ...] | None = None,
                       name: str | None = None,
                       metadata: Callable[[dict[str, str]], dict[str, str]] | None = None,
                       build_request: Mapping[str, Any] | None = None,
                       build_request_change: Callable[[dict[str, Any]], Mapping[str, Any]]
                       | None = None) -> dict[str, Any]:
        """Change what the user names: the name, the metadata (``metadata`` maps the
        current items to the new ones, under the row lock) and build request fields
        (``build_request``, or those ``build_request_change`` computes from the current
        build request under the lock).

        With ``allowed_vm_states``, InvalidState (409) unless the instance is in one
        of them with no task.
        """
        with self._db.session() as session:
            row = session.get(models.Instance, instance_id, with_for_update=True)
            if row is None or row.deleted_at is not None:
                raise exception.NotFound(resource='Instance', id=instance_id)
            if allowed_vm_states is not None and (row.vm_state not in allowed_vm_states
                                                  or row.task_state is not None):
                raise exception.InvalidState(
                    resource='Instance', id=instance_id,
                    state=f'{row.vm_state}/{row.task_state}', action='this change',
                    needed=' or '.join(allowed_vm_states) + ' with no task')
            if name is not None:
                row.name = name
            if metadata is not None:
                row.instance_metadata = metadata(dict(row.instance_metadata or {}))
            if build_request_change is not None:
                build_request = {**(build_request or {}),
                                 **build_request_change(dict(row.build_request or {}))}
            if build_request:
                row.build_request = {**(row.build_request or {}), **build_request}
            row.updated_at = timeutils.utcnow()
            session.flush()
            return _instance_dict(row)

    def set_host(self, instance_id: str, host: str,
                 availability_zone: str | None) -> dict[str, Any]:
        """Record the host the scheduler chose and that host's zone.

        NotFound when the instance is gone (deleted while it was scheduled).
        """
        return self.update(instance_id, host=host, availability_zone=availability_zone)

    def set_error(self, instance_id: str, *, message: str, code: int = 500,
                  details: str = '', host: str | None = None) -> None:
        """Put a (not deleted) instance in ERROR with a fault; no-op if it is gone."""
        with self._db.session() as session:
            row = session.get(models.Instance, instance_id, with_for_update=True)
            if row is None or row.deleted_at is not None:
                return
            row.vm_state = VmState.ERROR
            row.task_state = None
            row.power_state = 0
            row.updated_at = timeutils.utcnow()
            session.add(models.InstanceFault(
                instance_id=instance_id, code=code, message=message[:255],
                details=details, host=host, created_at=timeutils.utcnow()))

    def mark_deleted(self, instance_id: str) -> None:
        with self._db.session() as session:
            row = session.get(models.Instance, instance_id, with_for_update=True)
            if row is None or row.deleted_at is not None:
                return
            now = timeutils.utcnow()
            row.vm_state = VmState.DELETED
            row.task_state = None
            row.power_state = 0
            row.host = None
            row.network_info = []
            row.deleted_at = now
            row.terminated_at = now
            row.updated_at = now
            server_groups.remove_member(session, instance_id)  # it leaves its group
            migrations.confirm_on_delete(session, instance_id)  # a waiting resize ends
