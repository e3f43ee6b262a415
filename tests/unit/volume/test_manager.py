"""The volume manager: lifecycle, validation, project scoping, backend failures."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as models
from nova_lite.volume import manager as volume_manager
from nova_lite.volume import snapshots
from nova_lite.volume.backends import base, impl_file

GIB = 1024 ** 3


@pytest.fixture
def manager(conf: cfg.ConfigOpts, db: db_api.Database) -> volume_manager.VolumeManager:
    return volume_manager.VolumeManager(conf, db, base.load_backend(conf))


@pytest.fixture
def other_ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='other-user', project_id='project-b',
                                     roles=['member', 'reader'])


def _volume_files(conf: cfg.ConfigOpts) -> list[str]:
    path = conf.volume.volumes_dir
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def _row_count(db: db_api.Database, model: type) -> int:
    with db.reader() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(model)) or 0)


def test_lifecycle_with_a_sparse_file(manager, member_ctx, conf, db) -> None:
    volume = manager.create_volume(member_ctx, 2, name='data', description='d',
                                   metadata={'purpose': 'test'})
    assert volume['status'] == 'available'
    assert volume['size'] == 2 and volume['name'] == 'data'
    assert volume['metadata'] == {'purpose': 'test'}
    assert volume['bootable'] == 'false' and volume['attachments'] == []
    assert volume['os-vol-tenant-attr:tenant_id'] == 'project-a'
    assert volume['user_id'] == 'member-user'
    assert volume['availability_zone'] == 'nova'
    assert volume['created_at'].endswith('Z')
    for key in ('volume_type', 'snapshot_id', 'source_volid', 'consistencygroup_id',
                'replication_status'):
        assert volume[key] is None
    assert (volume['encrypted'], volume['multiattach'], volume['links']) == (False, False, [])

    path = os.path.join(conf.volume.volumes_dir, f'volume-{volume["id"]}')
    stat = os.stat(path)
    assert stat.st_size == 2 * GIB
    assert stat.st_blocks * 512 < 1024 * 1024

    instance_id = str(uuid.uuid4())
    attachment = manager.reserve_volume(member_ctx, volume['id'], instance_id)
    assert attachment['attach_status'] == 'reserved'
    assert (attachment['volume_id'], attachment['instance_id']) == (volume['id'], instance_id)
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'reserved'

    info = manager.attach_volume(member_ctx, attachment['id'], 'host-1', '/dev/vdb')
    assert info == {'driver_volume_type': 'file',
                    'data': {'device_path': path, 'format': 'raw', 'volume_id': volume['id']}}
    shown = manager.get_volume(member_ctx, volume['id'])
    assert shown['status'] == 'in-use'
    [attached] = shown['attachments']
    assert attached['id'] == volume['id']
    assert attached['attachment_id'] == attachment['id']
    assert (attached['server_id'], attached['host_name'], attached['device']) == (
        instance_id, 'host-1', '/dev/vdb')
    assert attached['attached_at'].endswith('Z')
    [listed] = manager.list_attachments(member_ctx, instance_id=instance_id)
    assert listed['attach_status'] == 'attached' and listed['connection_info'] == info
    # A retried attach of the same attachment returns the same connection info.
    assert manager.attach_volume(member_ctx, attachment['id'], 'host-1', '/dev/vdb') == info

    manager.detach_volume(member_ctx, attachment['id'])
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'available'
    assert manager.list_attachments(member_ctx, volume_id=volume['id']) == []
    with pytest.raises(exception.NotFound):
        manager.detach_volume(member_ctx, attachment['id'])
    manager.detach_volume(member_ctx, attachment['id'], ignore_missing=True)

    manager.delete_volume(member_ctx, volume['id'])
    assert not os.path.exists(path)
    with pytest.raises(exception.NotFound) as err:
        manager.get_volume(member_ctx, volume['id'])
    assert err.value.code == 404


def test_delete_in_use_is_400_and_changes_nothing(manager, member_ctx, conf) -> None:
    """Cinder answers InvalidVolume (400) for a volume that is attached or reserved."""
    volume = manager.create_volume(member_ctx, 1)
    attachment = manager.reserve_volume(member_ctx, volume['id'], str(uuid.uuid4()))
    with pytest.raises(snapshots.InvalidVolume) as err:
        manager.delete_volume(member_ctx, volume['id'])
    assert err.value.code == 400
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'reserved'
    manager.attach_volume(member_ctx, attachment['id'], 'host-1', '/dev/vdb')
    with pytest.raises(snapshots.InvalidVolume):
        manager.delete_volume(member_ctx, volume['id'])
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'in-use'
    assert _volume_files(conf) == [f'volume-{volume["id"]}']
    assert len(manager.list_attachments(member_ctx, volume_id=volume['id'])) == 1


def test_reserve_is_idempotent_for_the_same_instance(manager, member_ctx, db) -> None:
    volume = manager.create_volume(member_ctx, 1)
    instance_id = str(uuid.uuid4())
    first = manager.reserve_volume(member_ctx, volume['id'], instance_id)
    assert manager.reserve_volume(member_ctx, volume['id'], instance_id) == first
    manager.attach_volume(member_ctx, first['id'], 'host-1', '/dev/vdb')
    again = manager.reserve_volume(member_ctx, volume['id'], instance_id.upper())
    assert again['id'] == first['id'] and again['attach_status'] == 'attached'
    assert _row_count(db, models.VolumeAttachment) == 1
    with pytest.raises(exception.InvalidState):
        manager.reserve_volume(member_ctx, volume['id'], str(uuid.uuid4()))


def test_unreserve_frees_a_reserved_volume(manager, member_ctx) -> None:
    volume = manager.create_volume(member_ctx, 1)
    attachment = manager.reserve_volume(member_ctx, volume['id'], str(uuid.uuid4()))
    manager.unreserve_volume(member_ctx, attachment['id'])
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'available'
    assert manager.list_attachments(member_ctx) == []
    manager.unreserve_volume(member_ctx, attachment['id'], ignore_missing=True)
    with pytest.raises(exception.NotFound):
        manager.unreserve_volume(member_ctx, attachment['id'])


def test_unreserve_refuses_an_attached_volume(manager, member_ctx) -> None:
    volume = manager.create_volume(member_ctx, 1)
    attachment = manager.reserve_volume(member_ctx, volume['id'], str(uuid.uuid4()))
    manager.attach_volume(member_ctx, attachment['id'], 'host-1', '/dev/vdb')
    with pytest.raises(exception.InvalidState):
        manager.unreserve_volume(member_ctx, attachment['id'])
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'in-use'


def test_mark_attached_without_a_host_then_connect(manager, member_ctx) -> None:
    """A shelved-offloaded server's volume: in-use at its device with no export;
    the unshelve connects it to the new host later; detach frees it."""
    volume = manager.create_volume(member_ctx, 1)
    attachment = manager.reserve_volume(member_ctx, volume['id'], str(uuid.uuid4()))
    with pytest.raises(exception.InvalidInput, match='mountpoint'):
        manager.mark_attached(member_ctx, attachment['id'], 'vdb')
    manager.mark_attached(member_ctx, attachment['id'], '/dev/vdc')
    manager.mark_attached(member_ctx, attachment['id'], '/dev/vdc')  # idempotent
    [marked] = manager.list_attachments(member_ctx, volume_id=volume['id'])
    assert (marked['attach_status'], marked['attached_host'], marked['mountpoint'],
            marked['connection_info']) == ('attached', None, '/dev/vdc', None)
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'in-use'
    info = manager.attach_volume(member_ctx, attachment['id'], 'host-2', '/dev/vdc')
    assert info
    [connected] = manager.list_attachments(member_ctx, volume_id=volume['id'])
    assert connected['attached_host'] == 'host-2' and connected['connection_info'] == info
    with pytest.raises(exception.InvalidState):  # attached to a host: no longer hostless
        manager.mark_attached(member_ctx, attachment['id'], '/dev/vdd')
    manager.detach_volume(member_ctx, attachment['id'])
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'available'


@pytest.mark.parametrize('size', [0, -1, 'ten', True, 1025, 10 ** 12, None, 1.5])
def test_bad_sizes_are_rejected_and_create_nothing(manager, member_ctx, conf, db,
                                                   size: object) -> None:
    with pytest.raises(exception.InvalidInput) as err:
        manager.create_volume(member_ctx, size)
    assert err.value.code == 400
    assert 'size' in str(err.value)
    assert _row_count(db, models.Volume) == 0
    assert _volume_files(conf) == []


def test_size_limit_comes_from_config(manager, member_ctx, conf) -> None:
    conf.set_override('max_volume_size_gb', 2, group='volume')
    assert manager.create_volume(member_ctx, 2)['size'] == 2
    with pytest.raises(exception.InvalidInput, match='size'):
        manager.create_volume(member_ctx, 3)


@pytest.mark.parametrize('field, kwargs', [
    ('name', {'name': 5}), ('name', {'name': 'x' * 256}),
    ('description', {'description': ['x']}),
    ('metadata', {'metadata': ['a']}), ('metadata', {'metadata': {'k': 1}}),
    ('metadata', {'metadata': {'': 'v'}}),
    ('availability_zone', {'availability_zone': 3}), ('volume_type', {'volume_type': {}}),
])
def test_bad_create_fields_are_rejected(manager, member_ctx, db, field: str,
                                        kwargs: dict) -> None:
    with pytest.raises(exception.InvalidInput) as err:
        manager.create_volume(member_ctx, 1, **kwargs)
    assert field in str(err.value)
    assert _row_count(db, models.Volume) == 0


def test_bad_attachment_arguments(manager, member_ctx, db) -> None:
    volume = manager.create_volume(member_ctx, 1)
    with pytest.raises(exception.InvalidInput, match='instance_id'):
        manager.reserve_volume(member_ctx, volume['id'], 'not-a-uuid')
    attachment = manager.reserve_volume(member_ctx, volume['id'], str(uuid.uuid4()))
    with pytest.raises(exception.InvalidInput, match='host'):
        manager.attach_volume(member_ctx, attachment['id'], '', '/dev/vdb')
    with pytest.raises(exception.InvalidInput, match='mountpoint'):
        manager.attach_volume(member_ctx, attachment['id'], 'host-1', 'vdb')
    with pytest.raises(exception.InvalidInput, match='status'):
        manager.list_volumes(member_ctx, status='bogus')
    with pytest.raises(exception.InvalidInput, match='volume_id'):
        manager.list_attachments(member_ctx, volume_id='nope')
    assert manager.list_attachments(member_ctx)[0]['attach_status'] == 'reserved'
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'reserved'


@pytest.mark.parametrize('volume_id', ['not-a-uuid', str(uuid.uuid4()), 42, None])
def test_unknown_or_malformed_ids_are_404(manager, member_ctx, volume_id: object) -> None:
    for call in (lambda: manager.get_volume(member_ctx, volume_id),
                 lambda: manager.delete_volume(member_ctx, volume_id),
                 lambda: manager.reserve_volume(member_ctx, volume_id, str(uuid.uuid4())),
                 lambda: manager.attach_volume(member_ctx, volume_id, 'h', '/dev/vdb'),
                 lambda: manager.detach_volume(member_ctx, volume_id),
                 lambda: manager.unreserve_volume(member_ctx, volume_id)):
        with pytest.raises(exception.NotFound) as err:
            call()
        assert err.value.code == 404


def test_other_projects_volumes_are_invisible(manager, member_ctx, other_ctx,
                                              admin_ctx) -> None:
    volume = manager.create_volume(member_ctx, 1, name='mine')
    attachment = manager.reserve_volume(member_ctx, volume['id'], str(uuid.uuid4()))
    for call in (lambda: manager.get_volume(other_ctx, volume['id']),
                 lambda: manager.delete_volume(other_ctx, volume['id']),
                 lambda: manager.reserve_volume(other_ctx, volume['id'], str(uuid.uuid4())),
                 lambda: manager.attach_volume(other_ctx, attachment['id'], 'h', '/dev/vdb'),
                 lambda: manager.detach_volume(other_ctx, attachment['id']),
                 lambda: manager.unreserve_volume(other_ctx, attachment['id'])):
        with pytest.raises(exception.NotFound):
            call()
    assert manager.list_volumes(other_ctx) == []
    assert manager.list_attachments(other_ctx) == []
    manager.detach_volume(other_ctx, attachment['id'], ignore_missing=True)
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'reserved'
    # The admin sees every project's volumes and attachments.
    assert [v['id'] for v in manager.list_volumes(admin_ctx)] == [volume['id']]
    assert manager.get_volume(admin_ctx, volume['id'])['name'] == 'mine'
    assert len(manager.list_attachments(admin_ctx)) == 1


def test_list_filters(manager, member_ctx) -> None:
    first = manager.create_volume(member_ctx, 1, name='a')
    second = manager.create_volume(member_ctx, 1, name='b')
    manager.reserve_volume(member_ctx, second['id'], str(uuid.uuid4()))
    assert [v['id'] for v in manager.list_volumes(member_ctx)] == [first['id'], second['id']]
    assert [v['id'] for v in manager.list_volumes(member_ctx, name='a')] == [first['id']]
    assert [v['id'] for v in manager.list_volumes(member_ctx, status='reserved')] == [
        second['id']]


class _BrokenCreateBackend(impl_file.FileVolumeBackend):
    def create_volume(self, volume_id: str, size_gb: int) -> str:
        raise OSError(28, 'No space left on device')


class _BrokenExportBackend(impl_file.FileVolumeBackend):
    def initialize_connection(self, provider_location: str, host: str) -> dict:
        raise base.VolumeBackendError(reason='export refused')


def test_backend_failure_leaves_the_volume_in_error(conf, db, member_ctx) -> None:
    manager = volume_manager.VolumeManager(conf, db, _BrokenCreateBackend(conf))
    with pytest.raises(exception.NovaLiteError, match='No space left'):
        manager.create_volume(member_ctx, 1, name='doomed')
    [volume] = manager.list_volumes(member_ctx)
    assert volume['status'] == 'error' and volume['name'] == 'doomed'
    manager.delete_volume(member_ctx, volume['id'])
    assert manager.list_volumes(member_ctx) == []


def test_export_failure_keeps_the_reservation(conf, db, member_ctx) -> None:
    manager = volume_manager.VolumeManager(conf, db, _BrokenExportBackend(conf))
    volume = manager.create_volume(member_ctx, 1)
    attachment = manager.reserve_volume(member_ctx, volume['id'], str(uuid.uuid4()))
    with pytest.raises(base.VolumeBackendError):
        manager.attach_volume(member_ctx, attachment['id'], 'host-1', '/dev/vdb')
    assert manager.get_volume(member_ctx, volume['id'])['status'] == 'reserved'
    [kept] = manager.list_attachments(member_ctx)
    assert (kept['attach_status'], kept['attached_host']) == ('reserved', None)
