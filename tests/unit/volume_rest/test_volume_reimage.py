"""``os-reimage`` (3.68) through the REST API: rules, status, metadata, failure."""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest
import webob

from nova_lite.volume import rows
from nova_lite.volume.backends import base as backend_base
from nova_lite.volume.rest import versions
from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import (
    UNLIMITED_RESOURCES,
    Client,
    make_user,
    osc_create_body,
)

AT = {versions.VERSION_HEADER: 'volume 3.68'}
BELOW = {versions.VERSION_HEADER: 'volume 3.67'}
NEW_BYTES = b'reimaged!' * 64


@pytest.fixture(scope='module')
def member(app: Any, env: CloudEnv) -> Client:
    client = make_user(env, app, ['member'])
    env.cloud.volumes.quotas.update(client.project_id, dict.fromkeys(UNLIMITED_RESOURCES, -1))
    return client


@pytest.fixture(scope='module')
def new_image(env: CloudEnv) -> dict[str, Any]:
    """A public raw image, other than the one the volumes are made from."""
    image = env.cloud.images.create_image(env.ctx, name='reimage-new', disk_format='raw',
                                          container_format='bare', visibility='public')
    return env.cloud.images.upload_image(env.ctx, image['id'], iter([NEW_BYTES]))


def _volume(client: Client, image_id: str | None = None) -> dict[str, Any]:
    response = client.post('/volumes', osc_create_body(
        name=f'ri-{uuid.uuid4().hex[:8]}', imageRef=image_id))
    assert response.status_int == 202, response.text
    volume: dict[str, Any] = response.json['volume']
    return volume


def _reimage(client: Client, volume_id: str, image_id: str,
             headers: dict[str, str] | None = None, **extra: Any) -> webob.Response:
    return client.post(f'/volumes/{volume_id}/action',
                       {'os-reimage': {'image_id': image_id, **extra}},
                       headers=AT if headers is None else headers)


def _show(client: Client, volume_id: str) -> dict[str, Any]:
    volume: dict[str, Any] = client.get(f'/volumes/{volume_id}').json['volume']
    return volume


def _location(env: CloudEnv, volume_id: str) -> str:
    with env.cloud.volumes.db.reader() as session:
        location = session.get(rows.Volume, volume_id).provider_location
    assert location
    return str(location)


def _leftover_downloads(env: CloudEnv) -> list[str]:
    work_dir = env.cloud.conf.volume.volumes_dir
    return [name for name in os.listdir(work_dir) if name.startswith('.image-')]


def test_reimage_writes_the_image_and_replaces_the_image_metadata(
        admin: Client, env: CloudEnv, new_image: dict[str, Any]) -> None:
    volume = _volume(admin, env.image['id'])
    assert _show(admin, volume['id'])['volume_image_metadata']['image_id'] == env.image['id']

    response = _reimage(admin, volume['id'], new_image['id'], reimage_reserved=False)

    assert response.status_int == 202, response.text
    shown = _show(admin, volume['id'])
    assert shown['status'] == 'available'
    metadata = shown['volume_image_metadata']
    assert metadata['image_id'] == new_image['id']
    assert metadata['image_name'] == 'reimage-new'
    assert metadata['size'] == str(len(NEW_BYTES))
    with open(_location(env, volume['id']), 'rb') as disk:
        assert disk.read(len(NEW_BYTES)) == NEW_BYTES
    assert _leftover_downloads(env) == []


def test_an_error_volume_is_reimaged_back_to_error(
        admin: Client, env: CloudEnv, new_image: dict[str, Any]) -> None:
    volume = _volume(admin)
    env.cloud.volumes._set_status(volume['id'], 'error')

    assert _reimage(admin, volume['id'], new_image['id']).status_int == 202
    shown = _show(admin, volume['id'])
    assert shown['status'] == 'error'
    assert shown['volume_image_metadata']['image_id'] == new_image['id']


def test_an_error_volume_without_storage_is_refused(
        admin: Client, env: CloudEnv, new_image: dict[str, Any]) -> None:
    volume = _volume(admin)
    env.cloud.volumes._set_status(volume['id'], 'error', provider_location=None)
    response = _reimage(admin, volume['id'], new_image['id'])
    assert response.status_int == 400
    assert 'no storage' in response.json['badRequest']['message']
    assert _show(admin, volume['id'])['status'] == 'error'


def test_below_3_68_reimage_is_an_unsupported_action(
        admin: Client, new_image: dict[str, Any]) -> None:
    volume = _volume(admin)
    response = _reimage(admin, volume['id'], new_image['id'], headers=BELOW)
    assert response.status_int == 400
    assert 'os-reimage' in response.json['badRequest']['message']
    assert 'volume_image_metadata' not in _show(admin, volume['id'])
    missing = _reimage(admin, str(uuid.uuid4()), new_image['id'], headers=BELOW)
    assert missing.status_int == 404


@pytest.mark.parametrize('status', ['in-use', 'creating', 'error_deleting'])
def test_a_volume_in_another_status_is_refused(
        admin: Client, env: CloudEnv, new_image: dict[str, Any], status: str) -> None:
    volume = _volume(admin)
    env.cloud.volumes._set_status(volume['id'], status)
    response = _reimage(admin, volume['id'], new_image['id'], reimage_reserved=True)
    assert response.status_int == 400
    assert status in response.json['badRequest']['message']
    assert _show(admin, volume['id'])['status'] == status


def test_a_reserved_volume_needs_reimage_reserved(
        member: Client, new_image: dict[str, Any]) -> None:
    volume = _volume(member)
    # An attachment without a connector reserves the volume (nova's rebuild case).
    reserve = member.post('/attachments', {'attachment': {
        'volume_uuid': volume['id'], 'instance_uuid': str(uuid.uuid4())}}, headers=AT)
    assert reserve.status_int == 200, reserve.text
    assert _show(member, volume['id'])['status'] == 'reserved'

    refused = _reimage(member, volume['id'], new_image['id'])
    assert refused.status_int == 400
    assert 'reserved' in refused.json['badRequest']['message']
    assert 'volume_image_metadata' not in _show(member, volume['id'])

    done = _reimage(member, volume['id'], new_image['id'], reimage_reserved='true')
    assert done.status_int == 202, done.text
    shown = _show(member, volume['id'])
    assert shown['status'] == 'reserved'
    assert shown['volume_image_metadata']['image_id'] == new_image['id']


def test_reimage_rules_and_body(app: Any, env: CloudEnv, member: Client,
                                new_image: dict[str, Any]) -> None:
    volume = _volume(member)
    reader = make_user(env, app, ['reader'], project_id=member.project_id)
    assert _reimage(reader, volume['id'], new_image['id']).status_int == 403
    bad_flag = _reimage(member, volume['id'], new_image['id'], reimage_reserved='maybe')
    assert bad_flag.status_int == 400
    assert 'reimage_reserved' in bad_flag.json['badRequest']['message']
    bad_id = _reimage(member, volume['id'], 'not-a-uuid')
    assert bad_id.status_int == 400 and 'image_id' in bad_id.json['badRequest']['message']
    assert _reimage(member, str(uuid.uuid4()), new_image['id']).status_int == 404
    assert _show(member, volume['id'])['status'] == 'available'


def test_an_unknown_image_is_a_400(admin: Client) -> None:
    volume = _volume(admin)
    response = _reimage(admin, volume['id'], str(uuid.uuid4()))
    assert response.status_int == 400
    assert 'os-reimage.image_id' in response.json['badRequest']['message']
    assert _show(admin, volume['id'])['status'] == 'available'


def test_an_image_that_does_not_fit_is_a_400(admin: Client, env: CloudEnv) -> None:
    big = env.cloud.images.create_image(env.ctx, name='reimage-big', disk_format='raw',
                                        container_format='bare', min_disk=2)
    env.cloud.images.upload_image(env.ctx, big['id'], iter([b'x' * 512]))
    queued = env.cloud.images.create_image(env.ctx, name='reimage-queued',
                                           disk_format='raw', container_format='bare')
    volume = _volume(admin)

    too_big = _reimage(admin, volume['id'], big['id'])
    assert too_big.status_int == 400
    assert 'minDisk' in too_big.json['badRequest']['message']
    not_active = _reimage(admin, volume['id'], queued['id'])
    assert not_active.status_int == 400
    assert 'not active' in not_active.json['badRequest']['message']
    assert _show(admin, volume['id'])['status'] == 'available'


def test_a_failed_write_leaves_the_volume_error_and_nothing_behind(
        admin: Client, env: CloudEnv, new_image: dict[str, Any],
        monkeypatch: pytest.MonkeyPatch) -> None:
    volume = _volume(admin, env.image['id'])
    location = _location(env, volume['id'])
    volumes_before = sorted(os.listdir(env.cloud.conf.volume.volumes_dir))

    def broken_write(*args: Any, **kwargs: Any) -> None:
        raise backend_base.VolumeBackendError(reason='disk on fire')

    monkeypatch.setattr(env.cloud.volumes.backend, 'copy_image_to_volume', broken_write)
    response = _reimage(admin, volume['id'], new_image['id'])

    # The flow runs in the request (as nova_lite's other volume flows), so the
    # failure is answered at once; the volume is left as cinder leaves it.
    assert response.status_int == 500
    assert 'disk on fire' in response.text
    shown = _show(admin, volume['id'])
    assert shown['status'] == 'error'
    assert shown['volume_image_metadata']['image_id'] == env.image['id']
    assert _location(env, volume['id']) == location and os.path.exists(location)
    assert sorted(os.listdir(env.cloud.conf.volume.volumes_dir)) == volumes_before
    assert _leftover_downloads(env) == []
