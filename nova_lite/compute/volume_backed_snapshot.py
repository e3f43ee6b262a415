"""createImage of a volume-backed server: a volume snapshot and an image that points at it.

A volume-backed server has no local root disk to capture. As Nova does, the
compute API snapshots its boot volume (forced: the volume is in use) and
makes an image with no data (size 0, active at once) whose
``block_device_mapping`` property (a JSON list, ``bdm_v2`` 'True') names
the volume snapshot; a server booted from that image gets a volume made
from the snapshot. Nothing is cast to a host. If the image cannot be made,
the volume snapshot is deleted again.
"""

from __future__ import annotations

import io
import json
import logging
from typing import Any

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.compute import block_devices, snapshot_api

LOG = logging.getLogger(__name__)

ROOT_DEVICE = '/dev/vda'


def image_mapping(snapshot: dict[str, Any], volume: dict[str, Any]) -> dict[str, Any]:
    """The image's block device mapping entry of the boot volume's snapshot."""
    return {'source_type': 'snapshot', 'destination_type': 'volume',
            'snapshot_id': snapshot['id'], 'volume_id': None, 'image_id': None,
            'volume_size': int(volume.get('size') or snapshot.get('size') or 0),
            'boot_index': 0, 'device_name': ROOT_DEVICE, 'delete_on_termination': False,
            'device_type': 'disk', 'disk_bus': None, 'guest_format': None,
            'volume_type': volume.get('volume_type'), 'no_device': None, 'tag': None}


class VolumeBackedSnapshots:
    """Snapshots volume-backed servers into data-less images."""

    def __init__(self, images: protocols.ImageWriter, volumes: protocols.VolumeProxyClient,
                 snapshots: snapshot_api.SnapshotImages) -> None:
        self._images = images
        self._volumes = volumes
        self._snapshots = snapshots

    @staticmethod
    def applies(instance: dict[str, Any]) -> bool:
        return block_devices.boot_volume_id(instance) is not None

    def create(self, ctx: nl_context.RequestContext, instance: dict[str, Any], name: str,
               metadata: dict[str, str]) -> str:
        """Snapshot the boot volume, make the image; the image's id."""
        volume_id = block_devices.boot_volume_id(instance)
        assert volume_id is not None
        volume = dict(self._volumes.get_volume(ctx, volume_id))
        snapshot = dict(self._volumes.create_snapshot(
            ctx, volume_id, name=f'snapshot for {name}', force=True))
        try:
            extra = {'bdm_v2': 'True', 'root_device_name': ROOT_DEVICE,
                     'block_device_mapping': json.dumps([image_mapping(snapshot, volume)])}
            image = self._snapshots.create_record(ctx, instance, name, metadata, extra=extra)
            image_id = str(image['id'])
            try:
                self._images.upload_image(ctx, image_id, io.BytesIO(b''))
            except Exception:
                self._snapshots.delete_record(ctx, image_id)
                raise
        except Exception:
            LOG.warning('createImage of %s failed; deleting volume snapshot %s',
                        instance['id'], snapshot['id'])
            self._volumes.delete_snapshot(ctx, str(snapshot['id']))
            raise
        LOG.info('Snapshot image %s of volume-backed %s points at volume snapshot %s',
                 image_id, instance['id'], snapshot['id'])
        return image_id
