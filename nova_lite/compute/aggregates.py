"""Host aggregates: named groups of compute hosts with metadata and maybe a zone.

An aggregate's ``availability_zone`` is its metadata key of that name. A
host may be in several aggregates but in one zone only (Nova's 409 when an
addition or a zone change would put it in two). After every change the
scheduler is told each affected host's zone and merged metadata, which its
AvailabilityZoneFilter and AggregateInstanceExtraSpecsFilter read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import compute_admin as models
from nova_lite.scheduler import rpcapi as scheduler_rpcapi

ZONE_KEY = 'availability_zone'
INTERNAL_ZONE = 'internal'


def not_found(aggregate_id: Any) -> exception.NotFound:
    return exception.NotFound(message=f'Aggregate {aggregate_id} could not be found.')


class AggregateStore:
    """Creates, changes and deletes aggregates; keeps the scheduler's view of hosts."""

    def __init__(self, db: db_api.Database, scheduler: scheduler_rpcapi.SchedulerAPI) -> None:
        self._db = db
        self._scheduler = scheduler

    # Reading -------------------------------------------------------------------------

    def _dict(self, session: Any, row: models.Aggregate) -> dict[str, Any]:
        hosts = sorted(session.scalars(sa.select(models.AggregateHost.host).where(
            models.AggregateHost.aggregate_id == row.id)))
        metadata = {meta.key: meta.value for meta in session.scalars(
            sa.select(models.AggregateMetadata)
            .where(models.AggregateMetadata.aggregate_id == row.id))}
        return {'id': row.id, 'uuid': row.uuid, 'name': row.name,
                'availability_zone': metadata.get(ZONE_KEY), 'hosts': hosts,
                'metadata': metadata, 'created_at': timeutils.isotime(row.created_at),
                'updated_at': timeutils.isotime(row.updated_at)}

    @staticmethod
    def _row(session: Any, aggregate_id: int) -> models.Aggregate:
        row: models.Aggregate | None = session.get(models.Aggregate, aggregate_id)
        if row is None:
            raise not_found(aggregate_id)
        return row

    def list_aggregates(self) -> list[dict[str, Any]]:
        with self._db.reader() as session:
            rows = session.scalars(sa.select(models.Aggregate).order_by(models.Aggregate.id))
            return [self._dict(session, row) for row in rows]

    def get(self, aggregate_id: int) -> dict[str, Any]:
        with self._db.reader() as session:
            return self._dict(session, self._row(session, aggregate_id))

    def zones(self) -> dict[str, str]:
        """host -> the zone its aggregates give it (hosts in a zoned aggregate only)."""
        query = (sa.select(models.AggregateHost.host, models.AggregateMetadata.value)
                 .join(models.AggregateMetadata, models.AggregateMetadata.aggregate_id
                       == models.AggregateHost.aggregate_id)
                 .where(models.AggregateMetadata.key == ZONE_KEY))
        with self._db.reader() as session:
            return {host: zone for host, zone in session.execute(query)}

    # Checks --------------------------------------------------------------------------

    @staticmethod
    def _check_zone_name(zone: str | None) -> None:
        if zone is not None and zone == INTERNAL_ZONE:
            raise exception.InvalidInput(field=ZONE_KEY,
                                         reason=f'{INTERNAL_ZONE!r} is the internal zone')

    @staticmethod
    def _zones_elsewhere(session: Any, host: str, aggregate_id: int) -> set[str]:
        """The zones ``host`` has through aggregates other than ``aggregate_id``."""
        query = (sa.select(models.AggregateMetadata.value)
                 .join(models.AggregateHost, models.AggregateHost.aggregate_id
                       == models.AggregateMetadata.aggregate_id)
                 .where(models.AggregateHost.host == host,
                        models.AggregateHost.aggregate_id != aggregate_id,
                        models.AggregateMetadata.key == ZONE_KEY))
        return set(session.scalars(query))

    def _check_hosts_fit(self, session: Any, aggregate_id: int, hosts: Iterable[str],
                         zone: str | None) -> None:
        if zone is None:
            return
        for host in hosts:
            other = self._zones_elsewhere(session, host, aggregate_id) - {zone}
            if other:
                raise exception.Conflict(
                    message=f'Host {host} is already in availability zone '
                            f'{sorted(other)[0]}; it cannot also be in {zone}.')

    # Changing ------------------------------------------------------------------------

    def create(self, name: str, zone: str | None = None) -> dict[str, Any]:
        self._check_zone_name(zone)
        try:
            with self._db.session() as session:
                if session.scalar(sa.select(models.Aggregate.id)
                                  .where(models.Aggregate.name == name)) is not None:
                    raise self._duplicate(name)
                row = models.Aggregate(name=name)
                session.add(row)
                session.flush()
                if zone is not None:
                    session.add(models.AggregateMetadata(aggregate_id=row.id, key=ZONE_KEY,
                                                         value=zone))
                    session.flush()
                return self._dict(session, row)
        except sa_exc.IntegrityError:
            raise self._duplicate(name) from None

    @staticmethod
    def _duplicate(name: str) -> exception.Conflict:
        return exception.Conflict(message=f'Aggregate {name} already exists.')

    def update(self, aggregate_id: int, values: Mapping[str, Any]) -> dict[str, Any]:
        """Rename and/or (re)zone an aggregate (``name``, ``availability_zone``)."""
        metadata = {ZONE_KEY: values[ZONE_KEY]} if ZONE_KEY in values else {}
        try:
            with self._db.session() as session:
                row = self._row(session, aggregate_id)
                if 'name' in values and values['name'] != row.name:
                    if session.scalar(sa.select(models.Aggregate.id).where(
                            models.Aggregate.name == values['name'])) is not None:
                        raise self._duplicate(values['name'])
                    row.name = values['name']
                hosts = self._apply_metadata(session, row, metadata)
                row.updated_at = timeutils.utcnow()
                session.flush()
                result = self._dict(session, row)
        except sa_exc.IntegrityError:
            raise self._duplicate(str(values.get('name'))) from None
        self._push(hosts)
        return result

    def set_metadata(self, aggregate_id: int,
                     metadata: Mapping[str, str | None]) -> dict[str, Any]:
        """Set keys (a None value deletes its key); the zone key rezones the aggregate."""
        with self._db.session() as session:
            row = self._row(session, aggregate_id)
            hosts = self._apply_metadata(session, row, metadata)
            row.updated_at = timeutils.utcnow()
            session.flush()
            result = self._dict(session, row)
        self._push(hosts)
        return result

    def _apply_metadata(self, session: Any, row: models.Aggregate,
                        metadata: Mapping[str, str | None]) -> list[str]:
        """Write ``metadata`` on ``row``; the aggregate's hosts (to push to the scheduler)."""
        hosts = list(session.scalars(sa.select(models.AggregateHost.host).where(
            models.AggregateHost.aggregate_id == row.id)))
        if ZONE_KEY in metadata:
            self._check_zone_name(metadata[ZONE_KEY])
            self._check_hosts_fit(session, row.id, hosts, metadata[ZONE_KEY])
        for key, value in metadata.items():
            existing = session.get(models.AggregateMetadata, (row.id, key))
            if value is None:
                if existing is not None:
                    session.delete(existing)
            elif existing is None:
                session.add(models.AggregateMetadata(aggregate_id=row.id, key=key,
                                                     value=value))
            else:
                existing.value = value
        return hosts

    def delete(self, aggregate_id: int) -> None:
        """Delete an empty aggregate (400 while it has hosts, as Nova)."""
        with self._db.session() as session:
            row = self._row(session, aggregate_id)
            if session.scalar(sa.select(models.AggregateHost.host).where(
                    models.AggregateHost.aggregate_id == row.id).limit(1)) is not None:
                raise exception.Invalid(message=f'Cannot delete aggregate {aggregate_id}: '
                                                'it still has hosts.')
            session.execute(sa.delete(models.AggregateMetadata).where(
                models.AggregateMetadata.aggregate_id == row.id))
            session.delete(row)

    def add_host(self, aggregate_id: int, host: str) -> dict[str, Any]:
        """Add a compute host the scheduler knows (404 otherwise; 409 when it is in the
        aggregate already or in another zone)."""
        known = {node['host'] for node in
                 self._scheduler.get_host_usage(nl_context.get_admin_context())}
        if host not in known:
            raise exception.NotFound(message=f'Compute host {host} could not be found.')
        try:
            with self._db.session() as session:
                row = self._row(session, aggregate_id)
                if session.get(models.AggregateHost, (row.id, host)) is not None:
                    raise self._host_exists(aggregate_id, host)
                zone = session.get(models.AggregateMetadata, (row.id, ZONE_KEY))
                self._check_hosts_fit(session, row.id, [host],
                                      zone.value if zone is not None else None)
                session.add(models.AggregateHost(aggregate_id=row.id, host=host))
                row.updated_at = timeutils.utcnow()
                session.flush()
                result = self._dict(session, row)
        except sa_exc.IntegrityError:
            raise self._host_exists(aggregate_id, host) from None
        self._push([host])
        return result

    @staticmethod
    def _host_exists(aggregate_id: int, host: str) -> exception.Conflict:
        return exception.Conflict(message=f'Aggregate {aggregate_id} already has host '
                                          f'{host}.')

    def remove_host(self, aggregate_id: int, host: str) -> dict[str, Any]:
        with self._db.session() as session:
            row = self._row(session, aggregate_id)
            member = session.get(models.AggregateHost, (row.id, host))
            if member is None:
                raise exception.NotFound(message=f'Cannot remove host {host} from aggregate '
                                                 f'{aggregate_id}: it is not a member.')
            session.delete(member)
            row.updated_at = timeutils.utcnow()
            session.flush()
            result = self._dict(session, row)
        self._push([host])
        return result

    # The scheduler's view ------------------------------------------------------------

    def host_view(self, host: str) -> dict[str, Any]:
        """The zone and merged metadata ``host`` has through its aggregates."""
        query = (sa.select(models.AggregateMetadata.key, models.AggregateMetadata.value)
                 .join(models.AggregateHost, models.AggregateHost.aggregate_id
                       == models.AggregateMetadata.aggregate_id)
                 .where(models.AggregateHost.host == host))
        merged: dict[str, list[str]] = {}
        with self._db.reader() as session:
            for key, value in session.execute(query):
                merged.setdefault(key, []).append(value)
        zones = merged.get(ZONE_KEY, [])
        return {'aggregate_zone': sorted(zones)[0] if zones else None,
                'aggregate_metadata': merged}

    def heal(self, nodes: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
        """Tell the scheduler again about compute nodes whose aggregate view is stale
        (a host deleted and registered again while in an aggregate); ``nodes`` by host.
        The nodes it changed, by host."""
        stale = []
        for host, node in nodes.items():
            wanted = {key: sorted(set(values)) for key, values
                      in self.host_view(host)['aggregate_metadata'].items()}
            held = {key: sorted(set(values)) for key, values
                    in (node.get('aggregate_metadata') or {}).items()}
            if wanted != held:
                stale.append(host)
        return self._push(stale)

    def _push(self, hosts: Iterable[str]) -> dict[str, dict[str, Any]]:
        ctx = nl_context.get_admin_context()
        changed = {}
        for host in sorted(set(hosts)):
            try:
                changed[host] = self._scheduler.set_host_admin_state(ctx, host,
                                                                     self.host_view(host))
            except exception.NotFound:
                continue  # the host was deleted; it has nothing to be told
        return changed
