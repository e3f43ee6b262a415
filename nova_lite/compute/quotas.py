"""The compute quota engine: limits, usage, and the atomic checks of new resources.

Limits resolve as nova's legacy driver resolves them: [quota] options, then
the 'default' quota class, then the project's own limits, then (for a user)
that user's limits in the project. Usage is counted from the rows themselves
(a project's live instances and their flavors, a user's key pairs), never
kept in a counter that could drift.

A check runs inside the transaction that inserts the new row: it first locks
the project's ``quota_project_locks`` row (SELECT ... FOR UPDATE on
PostgreSQL; SQLite's writers are serialized by ``BEGIN IMMEDIATE`` anyway),
then counts and compares, so two concurrent boots of one project are checked
one after the other and can never both take the last slot. The instance row
then holds its share of the quota until the delete flow marks it deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.common import exception, timeutils
from nova_lite.compute import quota_resources as res
from nova_lite.db import api as db_api
from nova_lite.db import project_lock
from nova_lite.db.models import compute as compute_models
from nova_lite.db.models import compute_keypairs as keypair_models
from nova_lite.db.models import compute_quotas as models

DEFAULT_CLASS = 'default'

# (project_id, user_id or None) -> {server_groups: n, server_group_members: n}; the
# server group store plugs its counter in (None: no server groups, 0 in use).
ServerGroupCounter = Callable[[orm.Session, str, str | None], Mapping[str, int]]
# Runs inside the transaction that inserts the new resource.
SessionCheck = Callable[[orm.Session], None]


class QuotaExceeded(exception.Forbidden):
    """403: creating the resource would go over a limit (nova's wording)."""

    msg_fmt = ('Quota exceeded for %(resource)s: Requested %(requested)s, but already used '
               '%(used)s of %(allowed)s %(resource)s')


class KeypairQuotaExceeded(exception.Forbidden):
    msg_fmt = 'Quota exceeded, too many key pairs.'


class MetadataLimitExceeded(exception.Forbidden):
    msg_fmt = ('Quota exceeded for metadata_items: Maximum number of metadata items '
               'exceeds %(allowed)d')


def _unlimited(limit: int) -> bool:
    return limit < 0


def _flavor_of(build_request: Mapping[str, Any] | None) -> Mapping[str, Any]:
    spec = (build_request or {}).get('request_spec') or {}
    flavor = spec.get('flavor') or {}
    return flavor if isinstance(flavor, Mapping) else {}


class QuotaEngine:
    """Reads and sets limits, counts usage, and checks new servers and key pairs."""

    def __init__(self, db: db_api.Database, conf: cfg.ConfigOpts, *,
                 server_group_counter: ServerGroupCounter | None = None) -> None:
        self.db = db
        self._conf = conf
        self.server_group_counter = server_group_counter

    # Limits ----------------------------------------------------------------------

    @staticmethod
    def _rows(session: orm.Session, model: Any, **where: str) -> dict[str, int]:
        query = sa.select(model.resource, model.hard_limit).where(
            *[getattr(model, column) == value for column, value in where.items()])
        return {resource: int(limit) for resource, limit in session.execute(query)}

    def _defaults(self, session: orm.Session) -> dict[str, int]:
        limits = res.configured_defaults(self._conf)
        limits.update(self._rows(session, models.QuotaClass, class_name=DEFAULT_CLASS))
        return limits

    def _class(self, session: orm.Session, class_name: str) -> dict[str, int]:
        limits = self._defaults(session)
        if class_name != DEFAULT_CLASS:
            limits.update(self._rows(session, models.QuotaClass, class_name=class_name))
        return limits

    def _project(self, session: orm.Session, project_id: str) -> dict[str, int]:
        limits = self._defaults(session)
        limits.update(self._rows(session, models.ProjectQuota, project_id=project_id))
        return limits

    def _user(self, session: orm.Session, project_id: str, user_id: str) -> dict[str, int]:
        limits = self._project(session, project_id)
        limits.update(self._rows(session, models.ProjectUserQuota, project_id=project_id,
                                 user_id=user_id))
        return limits

    def defaults(self) -> dict[str, int]:
        """Every resource's default limit ([quota], then the 'default' class)."""
        with self.db.reader() as session:
            return self._defaults(session)

    def class_limits(self, class_name: str) -> dict[str, int]:
        with self.db.reader() as session:
            return self._class(session, class_name)

    def limits(self, project_id: str, user_id: str | None = None) -> dict[str, int]:
        """The project's limits (a user's in the project, when ``user_id`` is given)."""
        with self.db.reader() as session:
            if user_id is None:
                return self._project(session, project_id)
            return self._user(session, project_id, user_id)

    def update_class(self, class_name: str, values: Mapping[str, int]) -> dict[str, int]:
        with self.db.session() as session:
            for resource, limit in values.items():
                self._upsert(session, models.QuotaClass, limit, class_name=class_name,
                             resource=resource)
            session.flush()
            return self._class(session, class_name)

    @staticmethod
    def _upsert(session: orm.Session, model: Any, limit: int, **keys: str) -> None:
        row = session.scalar(sa.select(model).filter_by(**keys).with_for_update())
        if row is None:
            session.add(model(hard_limit=limit, updated_at=timeutils.utcnow(), **keys))
        else:
            row.hard_limit = limit
            row.updated_at = timeutils.utcnow()

    def update(self, project_id: str, values: Mapping[str, int], *,
               user_id: str | None = None, force: bool = False) -> dict[str, int]:
        """Set the project's (or a user's) limits; 400 for one below what is in use
        (unless ``force``), or a user's above the project's."""
        with self.db.session() as session:
            self._lock_project(session, project_id)
            if not force:
                usage = self._usage(session, project_id, user_id)
                project = self._project(session, project_id)
                for resource, limit in values.items():
                    self._check_settable(resource, limit, usage.get(resource, 0),
                                         project[resource] if user_id else res.UNLIMITED)
            for resource, limit in values.items():
                if user_id is None:
                    self._upsert(session, models.ProjectQuota, limit,
                                 project_id=project_id, resource=resource)
                else:
                    self._upsert(session, models.ProjectUserQuota, limit,
                                 project_id=project_id, user_id=user_id, resource=resource)
            session.flush()
            return (self._project(session, project_id) if user_id is None
                    else self._user(session, project_id, user_id))

    @staticmethod
    def _check_settable(resource: str, limit: int, in_use: int, maximum: int) -> None:
        def as_number(value: int) -> float:
            return float('inf') if value == res.UNLIMITED else value

        if as_number(limit) < in_use:
            raise exception.Invalid(message=(
                f'Quota limit {limit} for {resource} must be greater than or equal to '
                f'already used and reserved {in_use}.'))
        if as_number(limit) > as_number(maximum):
            raise exception.Invalid(message=(
                f'Quota limit {limit} for {resource} must be less than or equal to '
                f'{maximum}.'))

    def delete(self, project_id: str, user_id: str | None = None) -> None:
        """Forget the project's own limits (or one user's): back to the defaults."""
        with self.db.session() as session:
            if user_id is None:
                session.execute(sa.delete(models.ProjectQuota).where(
                    models.ProjectQuota.project_id == project_id))
                session.execute(sa.delete(models.ProjectUserQuota).where(
                    models.ProjectUserQuota.project_id == project_id))
            else:
                session.execute(sa.delete(models.ProjectUserQuota).where(
                    models.ProjectUserQuota.project_id == project_id,
                    models.ProjectUserQuota.user_id == user_id))

    # Usage -----------------------------------------------------------------------

    def _usage(self, session: orm.Session, project_id: str,
               user_id: str | None) -> dict[str, int]:
        instances = compute_models.Instance
        query = sa.select(instances.build_request).where(
            instances.project_id == project_id, instances.deleted_at.is_(None))
        if user_id is not None:
            query = query.where(instances.user_id == user_id)
        flavors = [_flavor_of(build_request) for build_request in session.scalars(query)]
        usage = {name: 0 for name in res.ALL}
        usage[res.INSTANCES] = len(flavors)
        usage[res.CORES] = sum(int(f.get('vcpus') or 0) for f in flavors)
        usage[res.RAM] = sum(int(f.get('memory_mb') or 0) for f in flavors)
        if user_id is not None:
            usage[res.KEY_PAIRS] = int(session.scalar(
                sa.select(sa.func.count()).select_from(keypair_models.KeyPair)
                .where(keypair_models.KeyPair.user_id == user_id)) or 0)
        if self.server_group_counter is not None:
            usage.update(self.server_group_counter(session, project_id, user_id))
        return usage

    def usage(self, project_id: str, user_id: str | None = None) -> dict[str, int]:
        """What the project (or a user in it) uses now, per resource (0 for limits only)."""
        with self.db.reader() as session:
            return self._usage(session, project_id, user_id)

    def detail(self, project_id: str,
               user_id: str | None = None) -> dict[str, dict[str, int]]:
        """``{resource: {limit, in_use, reserved}}`` (reserved is always 0: counted)."""
        with self.db.reader() as session:
            limits = (self._project(session, project_id) if user_id is None
                      else self._user(session, project_id, user_id))
            usage = self._usage(session, project_id, user_id)
        return {name: {'limit': limits[name], 'in_use': usage.get(name, 0), 'reserved': 0}
                for name in res.ALL}

    # Checks (inside the inserting transaction) -----------------------------------

    def _lock_project(self, session: orm.Session, project_id: str) -> None:
        """Hold the project's lock row until the transaction ends."""
        project_lock.lock_project(session, models.QuotaProjectLock, project_id)

    def _check_counted(self, session: orm.Session, project_id: str, user_id: str | None,
                       requested: Mapping[str, int]) -> None:
        """Lock the project, count, and raise QuotaExceeded for the first resource
        (in ``requested``'s order) the request would take over its limit."""
        self._lock_project(session, project_id)
        scopes: list[tuple[dict[str, int], dict[str, int]]] = [
            (self._project(session, project_id), self._usage(session, project_id, None))]
        if user_id is not None:
            user_rows = self._rows(session, models.ProjectUserQuota, project_id=project_id,
                                   user_id=user_id)
            if user_rows:
                scopes.append((self._user(session, project_id, user_id),
                               self._usage(session, project_id, user_id)))
        for resource, amount in requested.items():
            for limits, usage in scopes:
                limit, used = limits[resource], usage.get(resource, 0)
                if amount > 0 and not _unlimited(limit) and used + amount > limit:
                    raise QuotaExceeded(resource=resource, requested=amount, used=used,
                                        allowed=limit)

    def instance_check(self, project_id: str, user_id: str, *, vcpus: int, memory_mb: int,
                       count: int = 1) -> SessionCheck:
        """The check of ``count`` new servers of a flavor, for InstanceStore.create."""
        requested = {res.INSTANCES: count, res.CORES: vcpus * count,
                     res.RAM: memory_mb * count}

        def check(session: orm.Session) -> None:
            self._check_counted(session, project_id, user_id, requested)

        return check

    def resize_check(self, project_id: str, user_id: str, *, vcpus: int,
                     memory_mb: int) -> None:
        """QuotaExceeded (403) when growing a server by ``vcpus`` and ``memory_mb``
        (a resize up; negative amounts are never refused) goes over a limit."""
        with self.db.session() as session:
            self._check_counted(session, project_id, user_id,
                                {res.CORES: vcpus, res.RAM: memory_mb})

    def keypair_check(self, project_id: str | None, user_id: str) -> SessionCheck:
        """The check of one more key pair of ``user_id``, for KeypairStore.create."""

        def check(session: orm.Session) -> None:
            if project_id is not None:
                self._lock_project(session, project_id)
                limit = self._user(session, project_id, user_id)[res.KEY_PAIRS]
            else:
                limit = self._defaults(session)[res.KEY_PAIRS]
            used = int(session.scalar(
                sa.select(sa.func.count()).select_from(keypair_models.KeyPair)
                .where(keypair_models.KeyPair.user_id == user_id)) or 0)
            if not _unlimited(limit) and used + 1 > limit:
                raise KeypairQuotaExceeded()

        return check

    def check_server_groups(self, session: orm.Session, project_id: str,
                            user_id: str | None, count: int = 1) -> None:
        """For the server group store, inside the transaction that inserts a group:
        403 when ``count`` more groups would go over server_groups (usage from the
        ``server_group_counter``)."""
        self._check_counted(session, project_id, user_id, {res.SERVER_GROUPS: count})

    def check_server_group_members(self, project_id: str, members_in_group: int,
                                   count: int = 1) -> None:
        """403 when a group holding ``members_in_group`` servers would go over
        server_group_members with ``count`` more."""
        limit = self.limits(project_id)[res.SERVER_GROUP_MEMBERS]
        if not _unlimited(limit) and members_in_group + count > limit:
            raise QuotaExceeded(resource=res.SERVER_GROUP_MEMBERS, requested=count,
                                used=members_in_group, allowed=limit)

    def check_metadata_items(self, project_id: str, items: Iterable[object]) -> None:
        """403 when a server's metadata has more items than metadata_items allows."""
        limit = self.limits(project_id)[res.METADATA_ITEMS]
        if not _unlimited(limit) and len(list(items)) > limit:
            raise MetadataLimitExceeded(allowed=limit)
