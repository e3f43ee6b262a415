"""createImage: the image record a server snapshot starts with, made with the caller's token.

The compute API makes the record (queued) before it casts the snapshot flow
(:mod:`nova_lite.conductor.tasks.snapshot`), so the caller gets the image id
at once; the flow fills it from the instance's disk or deletes it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception

LOG = logging.getLogger(__name__)

GetFlavor = Callable[[nl_context.RequestContext, str], dict[str, Any]]

# The base image's own fields and the properties a snapshot never inherits
# (they describe the base image's data or its owner, not the instance's).
_NOT_INHERITED = frozenset({
    'id', 'name', 'status', 'disk_format', 'container_format', 'visibility', 'size',
    'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'min_disk', 'min_ram',
    'protected', 'owner', 'tags', 'created_at', 'updated_at', 'os_hidden', 'file', 'self',
    'schema', 'locations', 'direct_url', 'stores', 'properties', 'image_type',
    'instance_uuid', 'base_image_ref', 'user_id', 'owner_id', 'image_location',
    'image_state', 'os_glance_importing_to_stores', 'os_glance_failed_import'})
# Disk formats a snapshot is written in as its base image was; any other is qcow2.
_KEPT_FORMATS = ('raw', 'qcow2')


def _inherited(base_image: dict[str, Any]) -> dict[str, str]:
    """The base image's extra properties a snapshot keeps (strings only)."""
    nested = base_image.get('properties')
    values = dict(nested) if isinstance(nested, dict) else {}
    values.update(base_image)
    return {key: value for key, value in values.items()
            if isinstance(value, str) and key not in _NOT_INHERITED
            and not key.startswith('os_glance')}


def snapshot_fields(ctx: nl_context.RequestContext, instance: dict[str, Any],
                    name: str, metadata: dict[str, str], base_image: dict[str, Any] | None,
                    flavor: dict[str, Any] | None, image_type: str = 'snapshot',
                    extra: dict[str, str] | None = None,
                    snapshot_format: str | None = None) -> dict[str, Any]:
    """The image record of a snapshot of ``instance`` (Glance v2 create fields);
    ``image_type`` 'backup' with ``extra`` {'backup_type': ...} for createBackup;
    ``snapshot_format`` ([libvirt] snapshot_image_format) the disk format, else
    the base image's."""
    base = base_image or {}
    base_format = base.get('disk_format')
    disk_format = snapshot_format or (base_format if base_format in _KEPT_FORMATS
                                      else 'qcow2')
    # As in Nova, the caller's metadata wins over the inherited properties and
    # over image_type, instance_uuid and the other snapshot properties, never
    # over the image's own fields (name, formats, visibility, sizes).
    fields: dict[str, Any] = {
        **_inherited(base),
        'image_type': image_type, 'instance_uuid': instance['id'],
        'base_image_ref': instance.get('image_id') or '',
        'user_id': str(ctx.user_id), 'owner_id': str(instance['project_id']),
        **metadata, **(extra or {}),
        'name': name, 'container_format': 'bare', 'disk_format': disk_format,
        'visibility': 'private',
        'min_disk': max(int((flavor or {}).get('root_gb') or 0), int(base.get('min_disk') or 0)),
        'min_ram': int(base.get('min_ram') or 0),
    }
    return fields


class SnapshotImages:
    """Makes (and, when the flow cannot start, removes) a snapshot's image record."""

    def __init__(self, images: protocols.ImageWriter, get_flavor: GetFlavor,
                 snapshot_format: str | None = None) -> None:
        """``snapshot_format``: [libvirt] snapshot_image_format (None: the base's)."""
        self._images = images
        self._get_flavor = get_flavor
        self._snapshot_format = snapshot_format

    def _lookup(self, what: str, call: Callable[[], dict[str, Any]]) -> dict[str, Any] | None:
        try:
            return call()
        except exception.NotFound:
            LOG.info('The %s of a snapshot is gone; its fields are left out', what)
            return None

    def create_record(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                      name: str, metadata: dict[str, str], image_type: str = 'snapshot',
                      extra: dict[str, str] | None = None) -> dict[str, Any]:
        """A queued image for the snapshot, owned by the caller's project."""
        image_id = instance.get('image_id')
        base = (self._lookup('image', lambda: dict(self._images.get_image(ctx, image_id)))
                if image_id else None)
        flavor = self._lookup('flavor', lambda: self._get_flavor(ctx, instance['flavor_id']))
        fields = snapshot_fields(ctx, instance, name, metadata, base, flavor,
                                 image_type, extra, self._snapshot_format)
        return dict(self._images.create_image(ctx, **fields))

    def delete_record(self, ctx: nl_context.RequestContext, image_id: str) -> None:
        try:
            self._images.delete_image(ctx, image_id)
        except Exception:
            LOG.exception('Could not delete the image %s of a snapshot that did not start',
                          image_id)
