"""The volume-level attach steps and how they meet the attachments API's."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as models
from nova_lite.volume import manager as volume_manager
from nova_lite.volume import snapshots
from nova_lite.volume.backends import base


@pytest.fixture
def manager(conf: cfg.ConfigOpts, db: db_api.Database) -> volume_manager.VolumeManager:
    return volume_manager.VolumeManager(conf, db, base.load_backend(conf))


def _status(manager: volume_manager.VolumeManager, ctx, volume_id: str) -> str:
    return str(manager.get_volume(ctx, volume_id)['status'])


def test_os_attach_completes_an_attachments_api_reservation(manager, member_ctx) -> None:
    volume = manager.create_volume(member_ctx, 1)
    instance = str(uuid.uuid4())
    reserved = manager.reserve_volume(member_ctx, volume['id'], instance)
    manager.attach_actions.attach(member_ctx, volume['id'], instance_uuid=instance,
                                  host_name=None, mountpoint='/dev/vdc')
    [listed] = manager.list_attachments(member_ctx, volume_id=volume['id'])
    assert listed['id'] == reserved['id'] and listed['attach_status'] == 'attached'
    assert _status(manager, member_ctx, volume['id']) == 'in-use'
    # The attachments API's detach frees it; the attached mode is no longer shown.
    manager.detach_volume(member_ctx, reserved['id'])
    shown = manager.get_volume(member_ctx, volume['id'])
    assert shown['status'] == 'available' and shown['admin_metadata'] == {}


def test_unreserve_leaves_an_attachment_under_way_alone(manager, member_ctx) -> None:
    volume = manager.create_volume(member_ctx, 1)
    manager.reserve_volume(member_ctx, volume['id'], str(uuid.uuid4()))
    manager.attach_actions.unreserve(member_ctx, volume['id'])
    assert _status(manager, member_ctx, volume['id']) == 'reserved'
    with pytest.raises(snapshots.InvalidVolume):
        manager.attach_actions.reserve(member_ctx, volume['id'])


def test_detaching_volume_is_freed_by_a_detach(manager, member_ctx) -> None:
    volume = manager.create_volume(member_ctx, 1)
    manager.attach_actions.attach(member_ctx, volume['id'], instance_uuid=str(uuid.uuid4()),
                                  host_name='node-1', mountpoint='/dev/vdb', mode='ro')
    assert manager.get_volume(member_ctx, volume['id'])['admin_metadata'] == {
        'attached_mode': 'ro'}
    manager.attach_actions.begin_detaching(member_ctx, volume['id'])
    with pytest.raises(snapshots.InvalidVolume):
        manager.delete_volume(member_ctx, volume['id'])
    manager.attach_actions.detach(member_ctx, volume['id'])
    assert _status(manager, member_ctx, volume['id']) == 'available'
    assert manager.list_attachments(member_ctx, volume_id=volume['id']) == []


def test_attach_checks_its_fields_and_scope(manager, member_ctx, admin_ctx) -> None:
    volume = manager.create_volume(member_ctx, 1)
    steps = manager.attach_actions
    with pytest.raises(exception.InvalidInput, match='mode'):
        steps.attach(member_ctx, volume['id'], instance_uuid=None, host_name='h',
                     mountpoint='/dev/vdb', mode='rx')
    with pytest.raises(exception.InvalidInput, match='instance_uuid'):
        steps.attach(member_ctx, volume['id'], instance_uuid=None, host_name=None,
                     mountpoint='/dev/vdb')
    with pytest.raises(exception.InvalidInput, match='mountpoint'):
        steps.attach(member_ctx, volume['id'], instance_uuid=None, host_name='h',
                     mountpoint=' ')
    other = admin_ctx.__class__(user_id='u', project_id='elsewhere', roles=['member'])
    with pytest.raises(exception.NotFound):
        steps.reserve(other, volume['id'])
    assert _status(manager, member_ctx, volume['id']) == 'available'


def test_os_attach_leaves_an_export_under_way_alone(manager, member_ctx, db) -> None:
    volume = manager.create_volume(member_ctx, 1)
    instance = str(uuid.uuid4())
    reserved = manager.reserve_volume(member_ctx, volume['id'], instance)
    with db.session() as session:  # the attachments API's PUT is exporting it
        session.execute(sa.update(models.VolumeAttachment).where(
            models.VolumeAttachment.id == reserved['id']).values(attach_status='attaching'))
    with pytest.raises(snapshots.InvalidVolume, match='being attached'):
        manager.attach_actions.attach(member_ctx, volume['id'], instance_uuid=instance,
                                      host_name=None, mountpoint='/dev/vdc')
    [listed] = manager.list_attachments(member_ctx, volume_id=volume['id'])
    assert listed['attach_status'] == 'attaching' and listed['mountpoint'] is None
