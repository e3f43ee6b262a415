"""The image record of a snapshot: its disk format, from the base image or
``[libvirt] snapshot_image_format``."""

from __future__ import annotations

import pytest

from nova_lite.common import context as nl_context
from nova_lite.compute import snapshot_api

CTX = nl_context.RequestContext(user_id='u1', project_id='p1')
INSTANCE = {'id': 'i1', 'project_id': 'p1', 'image_id': 'img'}


@pytest.mark.parametrize(('base_format', 'configured', 'expected'), [
    ('raw', None, 'raw'), ('qcow2', None, 'qcow2'), ('vmdk', None, 'qcow2'),
    (None, None, 'qcow2'), ('raw', 'qcow2', 'qcow2'), ('qcow2', 'raw', 'raw'),
])
def test_disk_format_of_a_snapshot(base_format: str | None, configured: str | None,
                                   expected: str) -> None:
    base = {'disk_format': base_format} if base_format else None
    fields = snapshot_api.snapshot_fields(CTX, INSTANCE, 'snap', {}, base, None,
                                          snapshot_format=configured)
    assert fields['disk_format'] == expected
    assert fields['container_format'] == 'bare'


def test_the_option_reaches_the_record() -> None:
    made: list[dict[str, object]] = []

    class Images:
        def get_image(self, ctx: object, image_id: str) -> dict[str, object]:
            return {'id': image_id, 'disk_format': 'raw'}

        def create_image(self, ctx: object, **fields: object) -> dict[str, object]:
            made.append(fields)
            return {'id': 'new', **fields}

    snapshots = snapshot_api.SnapshotImages(
        Images(), lambda ctx, flavor_id: {'root_gb': 1},  # type: ignore[arg-type]
        snapshot_format='qcow2')
    record = snapshots.create_record(CTX, {**INSTANCE, 'flavor_id': 'f1'}, 'snap', {})
    assert record['disk_format'] == 'qcow2' and made[0]['min_disk'] == 1
