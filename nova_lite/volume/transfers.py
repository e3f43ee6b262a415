"""Volume transfers: hand a volume to another project that knows the auth key.

Creating a transfer puts an available volume in 'awaiting-transfer' and
returns a random auth key once; only a salted hash of it is stored. Any
project presenting the key may accept: the volume (and its snapshots) then
belong to the accepting project and user, and the transfer is gone. The
accepting project's block storage quota must hold the volume and its
snapshots (413 otherwise, as cinder refuses). Deleting the transfer gives the
volume back its 'available' status.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import VolumeStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import volume_snapshot as snapshot_models
from nova_lite.db.models import volume_transfers as models
from nova_lite.volume import quotas, rows

Transfer = models.VolumeTransfer
Volume = rows.Volume
Snapshot = snapshot_models.VolumeSnapshot
KEY_LENGTH = 16
_HASH_ROUNDS = 10_000


class TransferNotFound(exception.NotFound):
    msg_fmt = 'Transfer %(id)s could not be found.'


class InvalidAuthKey(exception.Invalid):
    msg_fmt = 'Attempt to transfer %(id)s with invalid auth key.'


def _hash(salt: str, auth_key: str) -> str:
    return hashlib.pbkdf2_hmac('sha256', auth_key.encode(), salt.encode(),
                               _HASH_ROUNDS).hex()


def format_transfer(row: Transfer) -> dict[str, Any]:
    """A transfer's stored fields (never its key)."""
    return {'id': row.id, 'volume_id': row.volume_id, 'name': row.name,
            'created_at': timeutils.isotime(row.created_at),
            'source_project_id': row.source_project_id,
            'no_snapshots': bool(row.no_snapshots),
            'destination_project_id': None, 'accepted': False}


class VolumeTransfers:
    """The pending volume transfers of one database."""

    def __init__(self, db: db_api.Database,
                 volume_quotas: quotas.VolumeQuotas | None = None) -> None:
        """``volume_quotas``: the accepting project's limits checked (None: none)."""
        self.db = db
        self.quotas = volume_quotas

    def _check_quota(self, session: orm.Session, ctx: nl_context.RequestContext,
                     volume_id: str) -> None:
        """413 when the volume and its snapshots would put the accepting project
        over its block storage quota (a project taking its own volume adds nothing)."""
        volume = session.get(Volume, volume_id)
        if self.quotas is None or volume is None or volume.project_id == ctx.project_id:
            return
        snapshot_sizes = [int(size) for size in session.scalars(
            sa.select(Snapshot.size).where(Snapshot.volume_id == volume_id))]
        self.quotas.check(session, ctx.project_id or '', volume_type=volume.volume_type,
                          volumes=1, snapshots=len(snapshot_sizes),
                          gigabytes=int(volume.size) + sum(snapshot_sizes))

    @staticmethod
    def _load(session: orm.Session, ctx: nl_context.RequestContext,
              transfer_id: str, *, any_project: bool = False) -> Transfer:
        canonical = rows.canonical_uuid(transfer_id)
        row = None
        if canonical is not None:
            row = session.get(Transfer, canonical)
        if row is None or not (any_project or ctx.is_admin
                               or row.source_project_id == ctx.project_id):
            raise TransferNotFound(id=transfer_id)
        return row

    def create(self, ctx: nl_context.RequestContext, volume_id: str,
               name: str | None = None, *, no_snapshots: bool = False) -> dict[str, Any]:
        """Offer an available volume; the answer holds the auth key (only here).
        With ``no_snapshots`` its snapshots stay in the giving project."""
        auth_key = secrets.token_hex(KEY_LENGTH // 2)
        salt = secrets.token_hex(16)
        with self.db.session() as session:
            volume = rows.load_volume(session, ctx, volume_id)
            marked = rows.write(session, sa.update(Volume).where(
                Volume.id == volume.id, Volume.status == VolumeStatus.AVAILABLE).values(
                    status=VolumeStatus.AWAITING_TRANSFER, updated_at=timeutils.utcnow()))
            if not marked:
                raise exception.Invalid(
                    reason=f'volume {volume.id} is {volume.status}; a transfer needs it '
                           'available')
            row = Transfer(id=str(uuid.uuid4()), volume_id=volume.id, name=name,
                           source_project_id=volume.project_id or ctx.project_id,
                           salt=salt, key_hash=_hash(salt, auth_key),
                           no_snapshots=no_snapshots,
                           created_at=timeutils.utcnow())
            session.add(row)
            session.flush()
            return {**format_transfer(row), 'auth_key': auth_key}

    def get(self, ctx: nl_context.RequestContext, transfer_id: str) -> dict[str, Any]:
        with self.db.reader() as session:
            return format_transfer(self._load(session, ctx, transfer_id))

    def list_transfers(self, ctx: nl_context.RequestContext,
             all_projects: bool = False) -> list[dict[str, Any]]:
        """The caller's project's transfers (every project's for an admin asking)."""
        query = sa.select(Transfer).order_by(Transfer.created_at, Transfer.id)
        if not (ctx.is_admin and all_projects):
            query = query.where(Transfer.source_project_id == ctx.project_id)
        with self.db.reader() as session:
            return [format_transfer(row) for row in session.scalars(query)]

    def delete(self, ctx: nl_context.RequestContext, transfer_id: str) -> None:
        """Withdraw the offer; the volume is available again."""
        with self.db.session() as session:
            row = self._load(session, ctx, transfer_id)
            rows.write(session, sa.update(Volume).where(
                Volume.id == row.volume_id,
                Volume.status == VolumeStatus.AWAITING_TRANSFER).values(
                    status=VolumeStatus.AVAILABLE, updated_at=timeutils.utcnow()))
            session.delete(row)

    def accept(self, ctx: nl_context.RequestContext, transfer_id: str,
               auth_key: str) -> dict[str, Any]:
        """Move the volume to the caller's project; 400 for a wrong key, 413 when
        the caller's project's quota cannot take it."""
        with self.db.session() as session:
            row = self._load(session, ctx, transfer_id, any_project=True)
            if not hmac.compare_digest(_hash(row.salt, auth_key), row.key_hash):
                raise InvalidAuthKey(id=row.id)
            self._check_quota(session, ctx, row.volume_id)
            accepted = {**format_transfer(row), 'accepted': True,
                        'destination_project_id': ctx.project_id}
            now = timeutils.utcnow()
            moved = rows.write(session, sa.update(Volume).where(
                Volume.id == row.volume_id,
                Volume.status == VolumeStatus.AWAITING_TRANSFER).values(
                    status=VolumeStatus.AVAILABLE, project_id=ctx.project_id,
                    user_id=ctx.user_id, updated_at=now))
            if not moved:
                raise exception.Invalid(
                    reason=f'volume {row.volume_id} is no longer awaiting transfer')
            if not row.no_snapshots:
                rows.write(session, sa.update(Snapshot).where(
                    Snapshot.volume_id == row.volume_id).values(project_id=ctx.project_id))
            session.delete(row)
        return accepted
