"""What a project uses of the image service (``GET /v2/info/usage``); no quotas: limit -1."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova_lite.common.states import ImageStatus
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models

UNLIMITED = -1
_UPLOADING = (ImageStatus.SAVING, 'uploading', 'importing')


def project_usage(db: db_api.Database, project_id: str | None) -> dict[str, Any]:
    """glance's usage document: bytes stored, images owned, images being uploaded."""
    image = models.Image
    query = sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(image.size), 0),
                      sa.func.count().filter(image.status.in_(_UPLOADING))
                      ).where(image.owner == project_id)
    with db.reader() as session:
        count, size, uploading = session.execute(query).one()

    def entry(usage: int | None) -> dict[str, int]:
        return {'limit': UNLIMITED, 'usage': int(usage or 0)}

    return {'usage': {'image_size_total': entry(size), 'image_count_total': entry(count),
                      'image_stage_total': entry(0),
                      'image_count_uploading': entry(uploading)}}
