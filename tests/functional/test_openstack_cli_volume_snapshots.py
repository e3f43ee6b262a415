"""The unmodified openstack CLI takes volume snapshots, makes volumes from them and
from other volumes, extends a volume with a snapshot, and deletes it all again
(``volume delete --purge`` cascading to the snapshots), leaving no file behind."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.functional import nova_lite_all


@pytest.fixture(scope='module')
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[nova_lite_all.RunningCloud]:
    with nova_lite_all.running_cloud(str(tmp_path_factory.mktemp('cli-snap'))) as running:
        yield running


def _files(cloud: nova_lite_all.RunningCloud) -> list[str]:
    path = os.path.join(cloud.state_path, 'volumes')
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def test_snapshot_volume_from_it_clone_extend_and_purge(cloud) -> None:
    source = cloud.openstack_json('volume', 'create', '--size', '1', 'src')
    assert source['status'] == 'available'
    snap = cloud.openstack_json('volume', 'snapshot', 'create', '--volume', 'src',
                                '--description', 'first', 'snap1')
    assert (snap['status'], snap['volume_id']) == ('available', source['id'])
    listed = cloud.openstack_json('volume', 'snapshot', 'list')
    assert [s['Name'] for s in listed] == ['snap1']
    from_snap = cloud.openstack_json('volume', 'create', '--snapshot', 'snap1', 'fromsnap')
    assert (from_snap['snapshot_id'], from_snap['size']) == (snap['id'], 1)
    clone = cloud.openstack_json('volume', 'create', '--source', 'src', '--size', '2',
                                 'clone1')
    assert (clone['source_volid'], clone['size']) == (source['id'], 2)
    cloud.openstack('volume', 'set', '--size', '3', 'src')  # extend, with a snapshot
    assert cloud.openstack_json('volume', 'show', 'src')['size'] == 3
    refused = cloud.openstack('volume', 'delete', 'src', check=False)
    assert refused.returncode != 0 and 'snapshot' in refused.stderr
    assert len(_files(cloud)) == 4  # three volumes and a snapshot
    cloud.openstack('volume', 'delete', '--purge', 'src')
    cloud.openstack('volume', 'delete', 'fromsnap', 'clone1')
    assert cloud.openstack_json('volume', 'snapshot', 'list') == []
    assert cloud.openstack_json('volume', 'list') == []
    assert _files(cloud) == []
