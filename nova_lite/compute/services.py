"""Compute services (``os-services``): one per compute host, and the scheduler.

What a compute service is comes from the scheduler (the compute nodes it
knows, whether each reported lately, and what admins set on it: enabled,
disabled_reason, forced_down); this store gives each service a stable
integer id and uuid (Nova's ids before and from microversion 2.53) and keeps
the enabled state of services that are not compute hosts. The conductor has
no liveness report in nova_lite, so it is not listed.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.compute import aggregates as aggregate_store
from nova_lite.compute import instance_store
from nova_lite.db import api as db_api
from nova_lite.db.models import compute_admin as models
from nova_lite.scheduler import rpcapi as scheduler_rpcapi

COMPUTE = 'nova-compute'
SCHEDULER = 'nova-scheduler'
INTERNAL_ZONE = 'internal'


def _row_dict(row: models.Service) -> dict[str, Any]:
    return {'id': row.id, 'uuid': row.uuid, 'host': row.host, 'binary': row.binary,
            'disabled': row.disabled, 'disabled_reason': row.disabled_reason,
            'forced_down': row.forced_down}


class ServiceStore:
    """Lists, finds, changes and deletes services; compute hosts through the scheduler."""

    def __init__(self, db: db_api.Database, scheduler: scheduler_rpcapi.SchedulerAPI,
                 instances: instance_store.InstanceStore, scheduler_host: str,
                 aggregates: aggregate_store.AggregateStore | None = None) -> None:
        """``aggregates``: to re-send a host's aggregate view the scheduler lost."""
        self._db = db
        self._aggregates = aggregates
        self._scheduler = scheduler
        self._instances = instances
        self._scheduler_host = scheduler_host

    # Reading -------------------------------------------------------------------------

    def _nodes(self) -> dict[str, dict[str, Any]]:
        nodes = {node['host']: node for node in
                 self._scheduler.get_host_usage(nl_context.get_admin_context())}
        if self._aggregates is not None:
            nodes.update(self._aggregates.heal(nodes))
        return nodes

    def _rows(self, wanted: list[tuple[str, str]]) -> list[dict[str, Any]]:
        """The rows of ``(host, binary)`` pairs, created when missing, in id order."""
        for _attempt in range(2):
            try:
                with self._db.session() as session:
                    existing = {(row.host, row.binary): row for row in
                                session.scalars(sa.select(models.Service))}
                    for host, binary in wanted:
                        if (host, binary) not in existing:
                            row = models.Service(host=host, binary=binary)
                            session.add(row)
                            existing[(host, binary)] = row
                    session.flush()
                    keep = set(wanted)
                    return sorted((_row_dict(row) for key, row in existing.items()
                                   if key in keep), key=lambda item: item['id'])
            except sa_exc.IntegrityError:
                continue  # a concurrent listing added the same row; read again
        raise exception.Conflict(message='Services changed concurrently; try again.')

    def list(self, *, host: str | None = None,
             binary: str | None = None) -> list[dict[str, Any]]:
        """Every service (filtered by host and binary), oldest id first."""
        nodes = self._nodes()
        wanted = [(name, COMPUTE) for name in sorted(nodes)]
        wanted.append((self._scheduler_host, SCHEDULER))
        services = [self._view(row, nodes) for row in self._rows(wanted)]
        return [service for service in services
                if (host is None or service['host'] == host)
                and (binary is None or service['binary'] == binary)]

    @staticmethod
    def _view(row: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> dict[str, Any]:
        view = dict(row)
        node = nodes.get(row['host']) if row['binary'] == COMPUTE else None
        if node is not None:
            view.update(disabled=not node['enabled'], disabled_reason=node['disabled_reason'],
                        forced_down=node['forced_down'], zone=node['availability_zone'],
                        up=node['up'], updated_at=node['last_seen_at'], node=node)
        else:
            # The scheduler answered the listing just now: it is up.
            view.update(zone=INTERNAL_ZONE, up=not row['forced_down'] and (
                row['binary'] == SCHEDULER), updated_at=timeutils.isotime(timeutils.utcnow()),
                node=None)
        return view

    def get(self, *, service_id: int | None = None, uuid: str | None = None,
            host: str | None = None, binary: str | None = None) -> dict[str, Any]:
        """One service by integer id, uuid, or host and binary; NotFound otherwise."""
        for service in self.list():
            if ((service_id is not None and service['id'] == service_id)
                    or (uuid is not None and service['uuid'] == uuid)
                    or (host is not None and service['host'] == host
                        and service['binary'] == binary)):
                return service
        shown = service_id if service_id is not None else uuid or f'{binary} on {host}'
        raise exception.NotFound(message=f'Service {shown} could not be found.')

    # Changing ------------------------------------------------------------------------

    def update(self, service: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        """Set ``disabled``, ``disabled_reason`` and ``forced_down`` (those given)."""
        if service['binary'] == COMPUTE:
            admin = {}
            if 'disabled' in values:
                admin['enabled'] = not values['disabled']
            for key in ('disabled_reason', 'forced_down'):
                if key in values:
                    admin[key] = values[key]
            self._scheduler.set_host_admin_state(nl_context.get_admin_context(),
                                                 service['host'], admin)
        else:
            with self._db.session() as session:
                row = session.get(models.Service, service['id'])
                if row is None:
                    raise exception.NotFound(message=f'Service {service["id"]} could not '
                                                     'be found.')
                for key in ('disabled', 'disabled_reason', 'forced_down'):
                    if key in values:
                        setattr(row, key, values[key])
                row.updated_at = timeutils.utcnow()
        return self.get(service_id=service['id'])

    def delete(self, service: dict[str, Any]) -> None:
        """Delete a service; a compute host must have no instances (409), and its
        compute node goes too (it comes back when the host reports again)."""
        if service['binary'] == COMPUTE:
            on_host = [i for i in self._instances.list() if i.get('host') == service['host']]
            if on_host:
                raise exception.Conflict(
                    message=f'Unable to delete compute service that is hosting instances. '
                            f'Migrate or delete the instances first ({len(on_host)} on '
                            f'{service["host"]}).')
            self._scheduler.delete_compute_node(nl_context.get_admin_context(),
                                                service['host'])
        with self._db.session() as session:
            session.execute(sa.delete(models.Service).where(models.Service.id == service['id']))
