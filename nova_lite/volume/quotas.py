"""The block storage quota engine: limits, usage, and the atomic checks of creates.

Limits resolve as cinder's database driver resolves them: the
``[volume_quota]`` options, then the 'default' quota class, then the project's
own limits. Every volume type adds ``volumes_<type>``, ``gigabytes_<type>``
and ``snapshots_<type>`` (unlimited unless set). Usage is counted from the
rows themselves (a project's volumes and snapshots; ``gigabytes`` is both
their sizes, as cinder counts it), never kept in a counter that could drift.

A check runs inside the transaction that inserts the new row (or grows a
volume): it first locks the project's ``volume_quota_project_locks`` row
(SELECT ... FOR UPDATE on PostgreSQL; SQLite's writers are serialized by
``BEGIN IMMEDIATE`` anyway), then counts and compares, so two concurrent
creates of one project are checked one after the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db import project_lock
from nova_lite.db.models import volume as volume_models
from nova_lite.db.models import volume_quotas as models
from nova_lite.db.models import volume_snapshot as snapshot_models
from nova_lite.db.models import volume_type as type_models
from nova_lite.volume import types

DEFAULT_CLASS = 'default'
UNLIMITED = -1

VOLUMES = 'volumes'
SNAPSHOTS = 'snapshots'
GIGABYTES = 'gigabytes'
BACKUPS = 'backups'
BACKUP_GIGABYTES = 'backup_gigabytes'
GROUPS = 'groups'
PER_VOLUME_GIGABYTES = 'per_volume_gigabytes'
# Configured by [volume_quota] (and the 'default' quota class).
CONFIGURED = (VOLUMES, SNAPSHOTS, GIGABYTES, BACKUPS, BACKUP_GIGABYTES, GROUPS,
              PER_VOLUME_GIGABYTES)
# Each volume type has its own of these, named '<resource>_<type name>'.
PER_TYPE = (VOLUMES, GIGABYTES, SNAPSHOTS)


class VolumeLimitExceeded(exception.OverLimit):
    msg_fmt = "Maximum number of volumes allowed (%(allowed)d) exceeded for quota '%(name)s'."


class SnapshotLimitExceeded(exception.OverLimit):
    msg_fmt = ("Maximum number of snapshots allowed (%(allowed)d) exceeded for quota "
               "'%(name)s'.")


class VolumeSizeExceedsAvailableQuota(exception.OverLimit):
    msg_fmt = ('Requested volume or snapshot exceeds allowed %(name)s quota. Requested '
               '%(requested)sG, quota is %(quota)sG and %(consumed)sG has been consumed.')


class VolumeSizeExceedsLimit(exception.OverLimit):
    msg_fmt = ('Requested volume size %(size)dG is larger than maximum allowed limit '
               '%(limit)dG.')


def type_resource(resource: str, type_name: str) -> str:
    return f'{resource}_{type_name}'


def _type_of(volume_type: str | None) -> str:
    return volume_type or types.DEFAULT_TYPE_NAME


class VolumeQuotas:
    """Reads and sets block storage limits, counts usage, checks creates."""

    def __init__(self, db: db_api.Database, conf: cfg.ConfigOpts) -> None:
        self.db = db
        self._conf = conf

    # Resources and limits ----------------------------------------------------------

    @staticmethod
    def _type_names(session: orm.Session) -> list[str]:
        names = session.scalars(sa.select(type_models.VolumeType.name)
                                .order_by(type_models.VolumeType.name))
        return [types.DEFAULT_TYPE_NAME, *(n for n in names if n != types.DEFAULT_TYPE_NAME)]

    def _resources(self, session: orm.Session) -> list[str]:
        return [*CONFIGURED, *(type_resource(resource, name)
                               for name in self._type_names(session) for resource in PER_TYPE)]

    def resources(self) -> list[str]:
        """Every resource a quota set shows (and accepts), per-type ones included."""
        with self.db.reader() as session:
            return self._resources(session)

    @staticmethod
    def _rows(session: orm.Session, model: Any, **where: str) -> dict[str, int]:
        query = sa.select(model.resource, model.hard_limit).where(
            *[getattr(model, column) == value for column, value in where.items()])
        return {resource: int(limit) for resource, limit in session.execute(query)}

    @staticmethod
    def _overlay(limits: dict[str, int], rows: Mapping[str, int]) -> dict[str, int]:
        limits.update({name: value for name, value in rows.items() if name in limits})
        return limits

    def _defaults(self, session: orm.Session) -> dict[str, int]:
        limits = {name: UNLIMITED for name in self._resources(session)}
        limits.update({name: int(getattr(self._conf.volume_quota, name))
                       for name in CONFIGURED})
        return self._overlay(limits, self._rows(session, models.VolumeQuotaClass,
                                                class_name=DEFAULT_CLASS))

    def _class(self, session: orm.Session, class_name: str) -> dict[str, int]:
        limits = self._defaults(session)
        if class_name != DEFAULT_CLASS:
            self._overlay(limits, self._rows(session, models.VolumeQuotaClass,
                                             class_name=class_name))
        return limits

    def _project(self, session: orm.Session, project_id: str) -> dict[str, int]:
        return self._overlay(self._defaults(session), self._rows(
            session, models.VolumeProjectQuota, project_id=project_id))

    def defaults(self) -> dict[str, int]:
        """Every resource's default limit ([volume_quota], then the 'default' class)."""
        with self.db.reader() as session:
            return self._defaults(session)

    def class_limits(self, class_name: str) -> dict[str, int]:
        with self.db.reader() as session:
            return self._class(session, class_name)

    def limits(self, project_id: str) -> dict[str, int]:
        with self.db.reader() as session:
            return self._project(session, project_id)

    # Setting limits ----------------------------------------------------------------

    @staticmethod
    def _upsert(session: orm.Session, model: Any, limit: int, **keys: str) -> None:
        row = session.scalar(sa.select(model).filter_by(**keys).with_for_update())
        if row is None:
            session.add(model(hard_limit=limit, updated_at=timeutils.utcnow(), **keys))
        else:
            row.hard_limit = limit
            row.updated_at = timeutils.utcnow()

    def update_class(self, class_name: str, values: Mapping[str, int]) -> dict[str, int]:
        with self.db.session() as session:
            for resource, limit in values.items():
                self._upsert(session, models.VolumeQuotaClass, limit, class_name=class_name,
                             resource=resource)
            session.flush()
            return self._class(session, class_name)

    def update(self, project_id: str, values: Mapping[str, int]) -> dict[str, int]:
        """Set the project's limits; 400 for one below what the project uses now."""
        with self.db.session() as session:
            self._lock_project(session, project_id)
            usage = self._usage(session, project_id)
            for resource, limit in values.items():
                in_use = usage.get(resource, 0)
                if limit != UNLIMITED and resource != PER_VOLUME_GIGABYTES and limit < in_use:
                    raise exception.Invalid(message=(
                        f'Quota {resource} limit must be equal or greater than existing '
                        f'resources. Current usage is {in_use} and the requested limit '
                        f'is {limit}.'))
            for resource, limit in values.items():
                self._upsert(session, models.VolumeProjectQuota, limit,
                             project_id=project_id, resource=resource)
            session.flush()
            return self._project(session, project_id)

    def delete(self, project_id: str) -> None:
        """Forget the project's own limits: back to the defaults."""
        with self.db.session() as session:
            session.execute(sa.delete(models.VolumeProjectQuota).where(
                models.VolumeProjectQuota.project_id == project_id))

    # Usage -------------------------------------------------------------------------

    def _usage(self, session: orm.Session, project_id: str) -> dict[str, int]:
        usage = {name: 0 for name in self._resources(session)}
        volume, snapshot = volume_models.Volume, snapshot_models.VolumeSnapshot
        for volume_type, size in session.execute(
                sa.select(volume.volume_type, volume.size).where(
                    volume.project_id == project_id)):
            for resource, amount in ((VOLUMES, 1), (GIGABYTES, int(size))):
                usage[resource] += amount
                key = type_resource(resource, _type_of(volume_type))
                usage[key] = usage.get(key, 0) + amount
        for volume_type, size in session.execute(
                sa.select(volume.volume_type, snapshot.size)
                .join(volume, volume.id == snapshot.volume_id)
                .where(snapshot.project_id == project_id)):
            for resource, amount in ((SNAPSHOTS, 1), (GIGABYTES, int(size))):
                usage[resource] += amount
                key = type_resource(resource, _type_of(volume_type))
                usage[key] = usage.get(key, 0) + amount
        return usage

    def usage(self, project_id: str) -> dict[str, int]:
        """What the project uses now, per resource (0 for backups and groups)."""
        with self.db.reader() as session:
            return self._usage(session, project_id)

    def detail(self, project_id: str) -> dict[str, dict[str, int]]:
        """``{resource: {limit, in_use, reserved}}`` (reserved is always 0: counted)."""
        with self.db.reader() as session:
            limits = self._project(session, project_id)
            usage = self._usage(session, project_id)
        return {name: {'limit': limit, 'in_use': usage.get(name, 0), 'reserved': 0}
                for name, limit in limits.items()}

    # Checks (inside the inserting transaction) -------------------------------------

    @staticmethod
    def _lock_project(session: orm.Session, project_id: str) -> None:
        """Hold the project's lock row until the transaction ends."""
        project_lock.lock_project(session, models.VolumeQuotaProjectLock, project_id)

    def check(self, session: orm.Session, project_id: str, *, volume_type: str | None,
              volumes: int = 0, snapshots: int = 0, gigabytes: int = 0,
              volume_size: int | None = None) -> None:
        """413 (cinder's over-quota errors) when adding ``volumes`` volumes,
        ``snapshots`` snapshots and ``gigabytes`` GiB of ``volume_type`` goes over a
        limit, or a volume of ``volume_size`` GiB is over per_volume_gigabytes.
        Call it in the transaction that inserts (or grows) the row."""
        self._lock_project(session, project_id)
        limits = self._project(session, project_id)
        if volume_size is not None:
            largest = limits[PER_VOLUME_GIGABYTES]
            if largest != UNLIMITED and volume_size > largest:
                raise VolumeSizeExceedsLimit(size=volume_size, limit=largest)
        usage = self._usage(session, project_id)
        type_name = _type_of(volume_type)
        for resource, amount in ((VOLUMES, volumes), (SNAPSHOTS, snapshots),
                                 (GIGABYTES, gigabytes)):
            for name in (resource, type_resource(resource, type_name)):
                self._check_one(name, resource, amount, limits.get(name, UNLIMITED),
                                usage.get(name, 0))

    @staticmethod
    def _check_one(name: str, resource: str, amount: int, limit: int, used: int) -> None:
        if amount <= 0 or limit == UNLIMITED or used + amount <= limit:
            return
        if resource == GIGABYTES:
            raise VolumeSizeExceedsAvailableQuota(name=name, requested=amount, quota=limit,
                                                  consumed=used)
        if resource == SNAPSHOTS:
            raise SnapshotLimitExceeded(allowed=limit, name=name)
        raise VolumeLimitExceeded(allowed=limit, name=name)


def absolute_limits(limits: Mapping[str, int], usage: Mapping[str, int]) -> dict[str, int]:
    """Cinder's ``/limits`` absolute block from a project's limits and usage."""
    pairs: Iterable[tuple[str, str, str]] = (
        ('Volumes', VOLUMES, 'totalVolumesUsed'),
        ('VolumeGigabytes', GIGABYTES, 'totalGigabytesUsed'),
        ('Snapshots', SNAPSHOTS, 'totalSnapshotsUsed'),
        ('Backups', BACKUPS, 'totalBackupsUsed'),
        ('BackupGigabytes', BACKUP_GIGABYTES, 'totalBackupGigabytesUsed'))
    result: dict[str, int] = {}
    for label, resource, used_key in pairs:
        result[f'maxTotal{label}'] = limits[resource]
        result[used_key] = usage.get(resource, 0)
    return result
