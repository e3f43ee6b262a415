"""The block storage services nova_lite runs, as cinder's admin APIs show them.

Two services exist: ``cinder-scheduler`` on ``conf.host`` and
``cinder-volume`` on ``{conf.host}@{backend}``. Both run inside the volume
manager's process, so they are up whenever it answers. An admin may disable
or freeze them; that state is stored (``volume_service_states``). A
disabled or frozen cinder-volume takes no new volumes: creates end in
'error', as cinder's when the scheduler finds no valid backend.
"""

from __future__ import annotations

import shutil
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import exception, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as volume_models
from nova_lite.db.models import volume_snapshot as snapshot_models
from nova_lite.db.models import volume_transfers as models

SCHEDULER = 'cinder-scheduler'
VOLUME = 'cinder-volume'
State = models.VolumeServiceState
VENDOR = 'Open Source'
DRIVER_VERSION = '1.0.0'
STORAGE_PROTOCOL = 'file'
_GIB = 1024 ** 3


class ServiceNotFound(exception.NotFound):
    msg_fmt = 'Service %(binary)s on host %(host)s could not be found.'


class InvalidHost(exception.Invalid):
    msg_fmt = 'Invalid host: no cinder-volume service runs on %(host)s.'


class VolumeServiceStates:
    """The two volume services and their admin-set state."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database) -> None:
        self.conf = conf
        self.db = db

    # -- identity ----------------------------------------------------------

    @property
    def backend_name(self) -> str:
        return str(self.conf.volume.backend)

    @property
    def volume_host(self) -> str:
        """The cinder-volume service's host, ``host@backend``."""
        return f'{self.conf.host}@{self.backend_name}'

    @property
    def pool_name(self) -> str:
        return f'{self.volume_host}#{self.backend_name}'

    def _hosts(self) -> dict[str, str]:
        return {SCHEDULER: str(self.conf.host), VOLUME: self.volume_host}

    # -- services ----------------------------------------------------------

    def list_services(self, host: str | None = None,
                      binary: str | None = None) -> list[dict[str, Any]]:
        """The services, filtered by host (with or without ``@backend``) and binary."""
        with self.db.reader() as session:
            states = {(row.binary, row.host): row for row in session.scalars(sa.select(State))}
        now = timeutils.utcnow()
        found = []
        for name, where in self._hosts().items():
            if binary is not None and binary != name:
                continue
            if host is not None and host not in (where, where.split('@')[0]):
                continue
            state = states.get((name, where))
            found.append({
                'binary': name, 'host': where, 'zone': self.conf.default_availability_zone,
                'status': 'disabled' if state is not None and state.disabled else 'enabled',
                'state': 'up', 'updated_at': timeutils.isotime(now),
                'disabled_reason': state.disabled_reason if state is not None else None,
                'frozen': bool(state is not None and state.frozen),
            })
        return found

    def _row(self, session: Any, binary: str, host: str) -> State:
        if self._hosts().get(binary) != host:
            raise ServiceNotFound(binary=binary, host=host)
        row = session.scalar(sa.select(State).where(State.binary == binary,
                                                    State.host == host))
        if row is None:
            row = State(binary=binary, host=host, disabled=False, frozen=False)
            session.add(row)
        return row

    def set_disabled(self, binary: str, host: str, disabled: bool,
                     reason: str | None = None) -> dict[str, Any]:
        """Enable or disable one service; 404 when no such service runs."""
        with self.db.session() as session:
            row = self._row(session, binary, host)
            row.disabled = disabled
            row.disabled_reason = reason if disabled else None
            row.updated_at = timeutils.utcnow()
        return {'host': host, 'binary': binary, 'service': binary, 'disabled': disabled,
                'status': 'disabled' if disabled else 'enabled', 'disabled_reason':
                reason if disabled else None}

    def set_frozen(self, host: str, frozen: bool) -> None:
        """Freeze or thaw the cinder-volume service on ``host``; 400 for another host."""
        if host != self.volume_host:
            raise InvalidHost(host=host)
        with self.db.session() as session:
            row = self._row(session, VOLUME, host)
            row.frozen = frozen
            row.updated_at = timeutils.utcnow()

    def accepts_volumes(self) -> bool:
        """Whether cinder-volume may take new volumes (not disabled, not frozen)."""
        with self.db.reader() as session:
            row = session.scalar(sa.select(State).where(State.binary == VOLUME,
                                                        State.host == self.volume_host))
        return row is None or not (row.disabled or row.frozen)

    def matches(self, extra_specs: dict[str, str]) -> bool:
        """Whether the backend's capabilities satisfy a type's extra specs, as
        cinder's capabilities filter checks: a spec naming a capability the
        backend reports (plain or ``capabilities:``-scoped) must equal it; other
        specs and operator expressions (``<is>``, ``<in>``...) are not checked."""
        reported = {'volume_backend_name': self.backend_name, 'vendor_name': VENDOR,
                    'driver_version': DRIVER_VERSION, 'storage_protocol': STORAGE_PROTOCOL}
        for key, wanted in extra_specs.items():
            name = key.removeprefix('capabilities:')
            if name not in reported or str(wanted).startswith('<'):
                continue
            if str(wanted).strip().lower() != reported[name].lower():
                return False
        return True

    # -- usage and capacity -------------------------------------------------

    def host_usage(self, host: str) -> list[dict[str, str]]:
        """Cinder's os-hosts show: totals, then one entry per project; 404 unless
        ``host`` is the enabled cinder-volume host."""
        volume_host = self.volume_host
        enabled = [s for s in self.list_services(binary=VOLUME) if s['status'] == 'enabled']
        if host != volume_host or not enabled:
            raise exception.NotFound(resource='Host', id=host)
        volume, snapshot = volume_models.Volume, snapshot_models.VolumeSnapshot
        with self.db.reader() as session:
            volumes = session.execute(sa.select(
                volume.project_id, sa.func.count(), sa.func.coalesce(sa.func.sum(volume.size), 0))
                .group_by(volume.project_id)).all()
            snapshots = session.execute(sa.select(
                snapshot.project_id, sa.func.count(),
                sa.func.coalesce(sa.func.sum(snapshot.size), 0))
                .group_by(snapshot.project_id)).all()
        usage: dict[str, list[int]] = {}
        for project, count, size in volumes:
            usage.setdefault(project or '', [0, 0, 0, 0])[0:2] = [count, size]
        for project, count, size in snapshots:
            usage.setdefault(project or '', [0, 0, 0, 0])[2:4] = [count, size]
        totals = [sum(values[i] for values in usage.values()) for i in range(4)]

        def entry(project: str, values: list[int]) -> dict[str, str]:
            return {'host': host, 'project': project, 'volume_count': str(values[0]),
                    'total_volume_gb': str(values[1]), 'snapshot_count': str(values[2]),
                    'total_snapshot_gb': str(values[3])}

        return [entry('(total)', totals),
                *(entry(project, values) for project, values in sorted(usage.items()))]

    def capabilities(self) -> dict[str, Any]:
        """The backend's capacity (of the file system holding the volume files)."""
        volumes_dir = self.conf.volume.volumes_dir
        try:
            disk = shutil.disk_usage(volumes_dir)
            total, free = round(disk.total / _GIB, 2), round(disk.free / _GIB, 2)
        except OSError:
            total, free = 0.0, 0.0
        with self.db.reader() as session:
            provisioned = session.scalar(sa.select(sa.func.coalesce(
                sa.func.sum(volume_models.Volume.size), 0)))
        return {'volume_backend_name': self.backend_name, 'vendor_name': VENDOR,
                'driver_version': DRIVER_VERSION, 'storage_protocol': STORAGE_PROTOCOL,
                'total_capacity_gb': total, 'free_capacity_gb': free,
                'allocated_capacity_gb': int(provisioned or 0),
                'provisioned_capacity_gb': int(provisioned or 0),
                'reserved_percentage': 0, 'thin_provisioning_support': True,
                'thick_provisioning_support': False, 'max_over_subscription_ratio': '1.0',
                'QoS_support': False, 'multiattach': False,
                'pool_name': self.backend_name,
                'timestamp': timeutils.isotime(timeutils.utcnow())}
