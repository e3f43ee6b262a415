"""The staging area of glance-direct imports: image data waiting for its import.

Staged data is always a local file under ``[image] staging_dir`` named after
the image id, whatever the image store plugin is (as glance's
``os_glance_staging_store``). It is written like the file store writes (a
temporary file renamed into place), so a failed staging leaves nothing.
"""

from __future__ import annotations

import os

from oslo_config import cfg

from nova_lite.image.backends import impl_file


class StagingArea(impl_file.FileStore):
    """A file store over the staging directory, addressed by image id."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        super().__init__(conf)
        self.datadir = os.path.realpath(conf.image.staging_dir)

    def location_of(self, image_id: str) -> str:
        """Where ``image_id``'s staged data is (or would be)."""
        return impl_file.LOCATION_PREFIX + os.path.join(self.datadir, image_id)

    def discard(self, image_id: str) -> None:
        """Remove ``image_id``'s staged data, if any."""
        self.delete(self.location_of(image_id))

    def has(self, image_id: str) -> bool:
        return self.exists(self.location_of(image_id))
