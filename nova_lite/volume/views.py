"""Volumes and attachments as plain dicts (cinder's v3 shapes)."""

from __future__ import annotations

from typing import Any

from nova_lite.common import timeutils
from nova_lite.common.states import AttachStatus
from nova_lite.db.models import volume as models

# Cinder's admin metadata keys a volume's owner sees in its 'metadata'.
READONLY = 'readonly'
ATTACHED_MODE = 'attached_mode'


def format_attachment(row: models.VolumeAttachment) -> dict[str, Any]:
    """An attachment record as the boot flow and the attachments API use it."""
    return {'id': row.id, 'volume_id': row.volume_id, 'instance_id': row.instance_id,
            'attach_status': row.attach_status, 'attached_host': row.attached_host,
            'mountpoint': row.mountpoint,
            'connection_info': dict(row.connection_info) if row.connection_info else None,
            'created_at': timeutils.isotime(row.created_at),
            'updated_at': timeutils.isotime(row.updated_at)}


def visible_admin_metadata(volume: models.Volume, attached: bool) -> dict[str, str]:
    """The admin metadata cinder shows in a volume's ``metadata``: ``readonly``
    once set, ``attached_mode`` while the volume is attached."""
    admin = dict(volume.admin_metadata or {})
    shown = {READONLY: admin[READONLY]} if READONLY in admin else {}
    if attached and ATTACHED_MODE in admin:
        shown[ATTACHED_MODE] = admin[ATTACHED_MODE]
    return shown


def format_volume(row: models.Volume,
                  attachments: list[models.VolumeAttachment]) -> dict[str, Any]:
    """A volume shaped like cinder's v3 volume body (booleans-as-strings included);
    ``volume_image_metadata`` only when it has image metadata, as in cinder."""
    body = {
        'id': row.id, 'name': row.name, 'description': row.description,
        'status': row.status, 'size': row.size,
        'attachments': [
            {'id': row.id, 'attachment_id': att.id, 'volume_id': row.id,
             'server_id': att.instance_id or None, 'host_name': att.attached_host,
             'device': att.mountpoint,
             'attached_at': timeutils.isotime(att.updated_at or att.created_at)}
            for att in attachments if att.attach_status == AttachStatus.ATTACHED],
        'metadata': dict(row.volume_metadata or {}),
        # Shown in the API's 'metadata' as cinder does (readonly, attached_mode).
        'admin_metadata': visible_admin_metadata(
            row, any(att.attach_status == AttachStatus.ATTACHED for att in attachments)),
        'volume_type': row.volume_type,
        'bootable': 'true' if row.bootable else 'false',
        'availability_zone': row.availability_zone,
        'created_at': timeutils.isotime(row.created_at),
        'updated_at': timeutils.isotime(row.updated_at),
        'user_id': row.user_id,
        'os-vol-tenant-attr:tenant_id': row.project_id,
        'encrypted': False, 'multiattach': False, 'links': [],
        'snapshot_id': row.snapshot_id, 'source_volid': row.source_volid,
        'consistencygroup_id': None,
        'replication_status': None,
        'migration_status': row.migration_status,
        'group_id': row.group_id,
    }
    if row.image_metadata:
        body['volume_image_metadata'] = dict(row.image_metadata)
    return body
