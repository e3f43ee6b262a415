"""A volume's image metadata (cinder's ``volume_image_metadata``).

A volume made from an image remembers the image's core properties (its id,
name, formats, sizes, checksum and kernel/ramdisk ids); its owner may add,
change or remove keys (os-set_image_metadata / os-unset_image_metadata).
Values are strings, as cinder keeps them.
"""

from __future__ import annotations

from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.volume import rows

# The image fields a volume made from an image records, under cinder's names.
_FROM_IMAGE = (('id', 'image_id'), ('name', 'image_name'), ('checksum', 'checksum'),
               ('container_format', 'container_format'), ('disk_format', 'disk_format'),
               ('min_disk', 'min_disk'), ('min_ram', 'min_ram'), ('size', 'size'),
               ('kernel_id', 'kernel_id'), ('ramdisk_id', 'ramdisk_id'))


def from_image(image: dict[str, Any]) -> dict[str, str]:
    """The image metadata a volume made from ``image`` starts with."""
    return {key: str(image[field]) for field, key in _FROM_IMAGE
            if image.get(field) is not None}


class VolumeImageMetadata:
    """Reads and edits volumes' image metadata in one database."""

    def __init__(self, db: db_api.Database) -> None:
        self.db = db

    def get(self, ctx: nl_context.RequestContext, volume_id: str) -> dict[str, str]:
        with self.db.reader() as session:
            return dict(rows.load_volume(session, ctx, volume_id).image_metadata or {})

    def set(self, ctx: nl_context.RequestContext, volume_id: str,
            metadata: Any) -> dict[str, str]:
        """Merge ``metadata`` into the volume's image metadata; return all of it."""
        changes = rows.checked_metadata(metadata)
        with self.db.session() as session:
            row = rows.load_volume(session, ctx, volume_id)
            row.image_metadata = {**(row.image_metadata or {}), **changes}
            return dict(row.image_metadata)

    def unset(self, ctx: nl_context.RequestContext, volume_id: str, key: str) -> None:
        """Remove ``key``; NotFound when the volume has no such key."""
        with self.db.session() as session:
            row = rows.load_volume(session, ctx, volume_id)
            current = dict(row.image_metadata or {})
            if key not in current:
                raise exception.NotFound(resource='Image metadata key', id=key)
            del current[key]
            row.image_metadata = current
