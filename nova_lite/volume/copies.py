"""Volumes made from other storage (a snapshot, or a clone of a volume), and extend.

Like a plain create these run in the request: the row is written
``creating`` with its source recorded (``snapshot_id`` / ``source_volid``),
in the quota check's transaction; then a flow (:mod:`nova_lite.volume.flows.copy`)
has the backend copy the source's bytes and makes the volume ``available``.
When the copy fails the flow removes the row again and the backend leaves no
file, so nothing is orphaned. Extend marks the volume ``extending`` (only from
``available``); its flow (:mod:`nova_lite.volume.flows.extend`) grows the
storage and puts the volume back ``available`` with the new size, or with the
old one when a step fails.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import SnapshotStatus, VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.volume import quotas, rows, snapshots, views
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.flows import copy as copy_flows
from nova_lite.volume.flows import extend as extend_flow
from nova_lite.volume.flows import keys as flow_keys
from nova_lite.volume.flows import runner as flow_runner_module

LOG = logging.getLogger(__name__)

Volume = rows.Volume
EXTENDING = 'extending'
CLONABLE = (VolumeStatus.AVAILABLE, VolumeStatus.IN_USE)


class VolumeCopies:
    """Volume-from-snapshot, volume clone and volume extend on one backend."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database,
                 backend: backend_base.VolumeBackend,
                 accepts_volumes: Callable[[], bool] = lambda: True,
                 volume_quotas: quotas.VolumeQuotas | None = None,
                 flow_runner: flow_runner_module.VolumeFlowRunner | None = None) -> None:
        """``accepts_volumes``: whether the volume service takes new volumes now;
        ``volume_quotas``: checked where volumes are added or grown (None: none);
        ``flow_runner``: runs (and saves) the copy and extend flows."""
        self.conf = conf
        self.db = db
        self.backend = backend
        self._accepts_volumes = accepts_volumes
        self.quotas = volume_quotas
        self.flows = flow_runner or flow_runner_module.VolumeFlowRunner()

    def _size(self, size: Any, source_size: int, source: str) -> int:
        if size is None:
            return source_size
        if isinstance(size, bool) or not isinstance(size, int):
            raise exception.InvalidInput(field='size', reason='must be an integer (GiB)')
        limit = self.conf.volume.max_volume_size_gb
        if size < source_size:
            raise exception.InvalidInput(
                field='size', reason=f'{size} GiB is smaller than the {source} '
                                     f'({source_size} GiB)')
        if size > limit:
            raise exception.InvalidInput(field='size',
                                         reason=f'must be between 1 and {limit} GiB')
        return size

    def create_from(self, ctx: nl_context.RequestContext, *, size: Any = None,
                    snapshot_id: str | None = None, source_volid: str | None = None,
                    name: str | None = None, description: str | None = None,
                    metadata: dict[str, str] | None = None,
                    availability_zone: str | None = None,
                    volume_type: str | None = None) -> dict[str, Any]:
        """A new volume holding a snapshot's (or another volume's) bytes."""
        if (snapshot_id is None) == (source_volid is None):
            raise exception.InvalidInput(field='snapshot_id',
                                         reason='give exactly one of snapshot_id, source_volid')
        with self.db.reader() as session:
            if snapshot_id is not None:
                snap = snapshots.load_snapshot(session, ctx, snapshot_id)
                if snap.status != SnapshotStatus.AVAILABLE:
                    raise snapshots.InvalidSnapshot(
                        reason=f'snapshot {snap.id} is {snap.status}, not available')
                source_size, location, what = snap.size, snap.provider_location, 'snapshot'
                recorded = {'snapshot_id': snap.id}
                parent = session.get(Volume, snap.volume_id)
                source_zone = self.conf.default_availability_zone
                bootable = bool(parent and parent.bootable)
            else:
                src = rows.load_volume(session, ctx, source_volid)
                if src.status not in CLONABLE:
                    raise snapshots.InvalidVolume(
                        reason=f'source volume {src.id} is {src.status}; a clone needs it '
                               'available or in-use')
                source_size, location, what = src.size, src.provider_location, 'source volume'
                recorded = {'source_volid': src.id}
                source_zone = src.availability_zone
                bootable = src.bootable
        row = Volume(
            id=str(uuid.uuid4()), size=self._size(size, source_size, what),
            name=rows.optional_str('name', name),
            description=rows.optional_str('description', description),
            volume_metadata=rows.checked_metadata(metadata),
            availability_zone=(rows.optional_str('availability_zone', availability_zone)
                               or source_zone),
            volume_type=rows.optional_str('volume_type', volume_type),
            project_id=ctx.project_id, user_id=ctx.user_id, status=VolumeStatus.CREATING,
            bootable=bootable, **recorded)  # a copy of a bootable volume boots too
        with self.db.session() as session:
            if self.quotas is not None:
                self.quotas.check(session, row.project_id or '', volume_type=row.volume_type,
                                  volumes=1, gigabytes=row.size, volume_size=row.size)
            session.add(row)
        if not self._accepts_volumes():
            LOG.warning('Volume %s: cinder-volume is disabled, no backend takes it', row.id)
            with self.db.session() as session:
                rows.write(session, sa.update(Volume).where(Volume.id == row.id).values(
                    status=VolumeStatus.ERROR))
            return self._get(ctx, row.id)
        flow = copy_flows.get_copy_flow(self.db, self.backend,
                                        from_snapshot=snapshot_id is not None)
        store = {flow_keys.VOLUME_ID: row.id, flow_keys.SIZE: row.size,
                 flow_keys.BOOTABLE: bool(bootable), flow_keys.SOURCE_LOCATION: location,
                 flow_keys.SOURCE_KIND: what}
        try:
            self.flows.run(flow, store, row.id)
        except Exception as exc:
            LOG.warning('Volume %s: create from %s failed: %s', row.id, what, exc)
            raise rows.backend_error('create from ' + what, exc) from exc
        return self._get(ctx, row.id)

    def _get(self, ctx: nl_context.RequestContext, volume_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            row = rows.load_volume(session, ctx, volume_id)
            return views.format_volume(row, rows.attachments_of(session, [row.id])[row.id])

    def extend(self, ctx: nl_context.RequestContext, volume_id: str,
               new_size: Any) -> None:
        """Grow an available volume to ``new_size`` GiB (snapshots are unaffected)."""
        if isinstance(new_size, bool) or not isinstance(new_size, int):
            raise exception.InvalidInput(field='new_size', reason='must be an integer (GiB)')
        limit = self.conf.volume.max_volume_size_gb
        with self.db.session() as session:
            row = rows.load_volume(session, ctx, volume_id)
            if row.status != VolumeStatus.AVAILABLE:
                raise snapshots.InvalidVolume(
                    reason=f'volume {row.id} is {row.status}; extend needs it available')
            if not row.size < new_size <= limit:
                raise exception.InvalidInput(
                    field='new_size', reason=f'must be larger than the current size '
                                             f'({row.size} GiB) and at most {limit} GiB')
            if self.quotas is not None:  # the project lock first, then the volume row
                self.quotas.check(session, row.project_id or '', volume_type=row.volume_type,
                                  gigabytes=new_size - row.size, volume_size=new_size)
            marked = rows.write(session, sa.update(Volume).where(
                Volume.id == row.id, Volume.status == VolumeStatus.AVAILABLE).values(
                    status=EXTENDING))
            if not marked:
                raise snapshots.InvalidVolume(reason=f'volume {row.id} changed state')
            location, old_size = row.provider_location, row.size
        store = {flow_keys.VOLUME_ID: row.id, flow_keys.VOLUME_LOCATION: location,
                 flow_keys.OLD_SIZE: old_size, flow_keys.NEW_SIZE: new_size}
        try:
            self.flows.run(extend_flow.get_extend_flow(self.db, self.backend), store, row.id)
        except Exception as exc:
            LOG.warning('Volume %s: extend failed: %s', row.id, exc)
            raise rows.backend_error('extend', exc) from exc
