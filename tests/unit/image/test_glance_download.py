"""The glance-download import method against a fake identity API and remote image service."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.image import manager as image_manager
from nova_lite.image.backends import multi
from tests.unit.image.conftest import store_files
from tests.unit.image.glance_remote import TOKEN, RemoteGlance, remote_glance  # noqa: F401

DATA = os.urandom(200 * 1024 + 7)
REMOTE_ID = '36d4b546-64a2-4bb9-bdd0-ba676aa48f2c'
Override = Callable[[str, Any], None]


@pytest.fixture
def ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='member-user', project_id='project-a',
                                     roles=['member', 'reader'], auth_token=TOKEN)


@pytest.fixture
def remote(remote_glance: RemoteGlance, conf: cfg.ConfigOpts) -> RemoteGlance:  # noqa: F811
    """The fake serves the identity API too: the image service finds it as its identity."""
    conf.set_override('identity_port', remote_glance.port, group='api')
    conf.set_override('public_base_url', 'http://127.0.0.1', group='identity')
    remote_glance.add(REMOTE_ID, DATA, hw_cpu_cores='5', os_distro='rhel', speed='88mph',
                      os_glance_import_task='theirs', **{'trait:STORAGE_DISK_SSD': 'required'})
    return remote_glance


def _req(image_id: str = REMOTE_ID, region: str = 'RegionTwo',
         interface: str = 'public') -> dict[str, Any]:
    return {'method': {'name': 'glance-download', 'glance_image_id': image_id,
                       'glance_region': region, 'glance_service_interface': interface}}


def _queued(images: image_manager.ImageManager, ctx: nl_context.RequestContext) -> str:
    return str(images.create_image(ctx, name='dst', disk_format='iso', container_format='ovf',
                                   hw_cpu_cores='1', os_distro='windows', mine='kept')['id'])


def _import(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
            image_id: str, req: dict[str, Any]) -> dict[str, Any]:
    task_id = images.imports.start_import(ctx, image_id, req)
    images.imports.wait(timeout=30)
    return images.tasks.get(ctx, task_id)


def _staged(conf: cfg.ConfigOpts) -> list[str]:
    path = conf.image.staging_dir
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def _assert_untouched(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
                      image_id: str, conf: cfg.ConfigOpts) -> None:
    image = images.get_image(ctx, image_id)
    assert image['status'] == 'queued'
    assert (image['disk_format'], image['container_format']) == ('iso', 'ovf')
    assert (image['hw_cpu_cores'], image['os_distro'], image['mine']) == ('1', 'windows',
                                                                          'kept')
    assert 'trait:STORAGE_DISK_SSD' not in image and 'os_glance_import_task' not in image
    assert _staged(conf) == [] and store_files(conf) == []


def test_glance_download_is_enabled_by_default(images: image_manager.ImageManager) -> None:
    assert images.imports.enabled_methods() == ['glance-direct', 'web-download',
                                                'glance-download']


def test_glance_download_imports_data_formats_and_chosen_properties(
        images: image_manager.ImageManager, ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, remote: RemoteGlance) -> None:
    image_id = _queued(images, ctx)
    task = _import(images, ctx, image_id, _req())
    assert task['status'] == 'success', task['message']
    image = images.get_image(ctx, image_id)
    assert image['status'] == 'active'
    assert (image['disk_format'], image['container_format']) == ('raw', 'bare')
    assert image['hw_cpu_cores'] == '5' and image['os_distro'] == 'rhel'
    assert image['trait:STORAGE_DISK_SSD'] == 'required'
    assert image['mine'] == 'kept'  # a local property the remote lacks stays
    assert 'speed' not in image and 'os_glance_import_task' not in image
    assert image['size'] == len(DATA) == image['virtual_size']
    assert image['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert b''.join(images.download_image(ctx, image_id)) == DATA
    assert _staged(conf) == []
    assert remote.requests == ['/v3/auth/tokens', f'/v2/images/{REMOTE_ID}',
                               f'/v2/images/{REMOTE_ID}/file']


def test_the_copied_properties_follow_the_option(
        images: image_manager.ImageManager, ctx: nl_context.RequestContext,
        image_override: Override, remote: RemoteGlance) -> None:
    image_override('glance_download_properties', ['spe'])
    image_id = _queued(images, ctx)
    assert _import(images, ctx, image_id, _req())['status'] == 'success'
    image = images.get_image(ctx, image_id)
    assert image['speed'] == '88mph'
    assert (image['hw_cpu_cores'], image['os_distro']) == ('1', 'windows')


@pytest.mark.parametrize('bad', ['foo', '', '36d4b546-64a2-4bb9-bdd0'])
def test_an_id_not_like_a_uuid_is_400_at_once(
        images: image_manager.ImageManager, ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, bad: str) -> None:
    image_id = _queued(images, ctx)
    with pytest.raises(exception.InvalidInput) as caught:
        images.imports.start_import(ctx, image_id, _req(bad))
    assert 'image id does not look like a UUID' in caught.value.message
    assert 'glance_image_id' in caught.value.message
    assert images.tasks.for_image(ctx, image_id) == []
    _assert_untouched(images, ctx, image_id, conf)


def test_an_image_not_queued_is_409(images: image_manager.ImageManager,
                                    ctx: nl_context.RequestContext,
                                    remote: RemoteGlance) -> None:
    image_id = _queued(images, ctx)
    assert _import(images, ctx, image_id, _req())['status'] == 'success'
    with pytest.raises(exception.InvalidState) as caught:
        images.imports.start_import(ctx, image_id, _req())
    assert caught.value.code == 409


@pytest.mark.parametrize('region,interface', [('not a region', 'public'),
                                              ('RegionTwo', 'not an interface')])
def test_no_endpoint_for_the_region_fails_the_task(
        images: image_manager.ImageManager, ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, remote: RemoteGlance, region: str, interface: str) -> None:
    image_id = _queued(images, ctx)
    task = _import(images, ctx, image_id, _req(region=region, interface=interface))
    assert task['status'] == 'failure'
    assert 'no image endpoint' in task['message'] and repr(region) in task['message']
    _assert_untouched(images, ctx, image_id, conf)
    assert remote.requests == ['/v3/auth/tokens']


def test_a_missing_remote_image_fails_the_task(
        images: image_manager.ImageManager, ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, remote: RemoteGlance) -> None:
    image_id = _queued(images, ctx)
    missing = '00000000-1111-2222-3333-444455556666'
    task = _import(images, ctx, image_id, _req(missing))
    assert task['status'] == 'failure' and f'no image {missing}' in task['message']
    _assert_untouched(images, ctx, image_id, conf)


def test_a_remote_image_not_active_fails_the_task(
        images: image_manager.ImageManager, ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, remote: RemoteGlance) -> None:
    remote.images[REMOTE_ID]['status'] = 'queued'
    image_id = _queued(images, ctx)
    task = _import(images, ctx, image_id, _req())
    assert task['status'] == 'failure' and 'not active' in task['message']
    _assert_untouched(images, ctx, image_id, conf)


@pytest.mark.parametrize('breakage', ['truncated', 'hash', 'size_cap'])
def test_a_failed_download_restores_the_metadata_and_leaves_no_file(
        images: image_manager.ImageManager, ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, image_override: Override, remote: RemoteGlance,
        breakage: str) -> None:
    if breakage == 'truncated':
        remote.truncate = True
    elif breakage == 'hash':
        remote.images[REMOTE_ID]['os_hash_value'] = hashlib.sha512(b'other').hexdigest()
    else:
        image_override('image_size_cap', len(DATA) - 1)
    image_id = _queued(images, ctx)
    task = _import(images, ctx, image_id, _req())
    assert task['status'] == 'failure'
    _assert_untouched(images, ctx, image_id, conf)
    assert remote.requests[-1] == f'/v2/images/{REMOTE_ID}/file'


def test_glance_download_into_several_stores(
        conf: cfg.ConfigOpts, db: db_api.Database, ctx: nl_context.RequestContext,
        image_override: Override, remote: RemoteGlance) -> None:
    dirs = {sid: os.path.join(conf.state_path, f'store-{sid}') for sid in ('alpha', 'beta')}
    image_override('stores', ['alpha:file', 'beta:file'])
    image_override('store_datadirs', dirs)
    images = image_manager.ImageManager(conf, db, multi.load_stores(conf))
    assert images.imports.enabled_methods()[-1] == 'glance-download'
    image_id = _queued(images, ctx)
    task = _import(images, ctx, image_id, {**_req(), 'all_stores': True})
    assert task['status'] == 'success', task['message']
    image = images.get_image(ctx, image_id)
    assert sorted(image['stores'].split(',')) == ['alpha', 'beta']
    assert image['os_distro'] == 'rhel' and image['disk_format'] == 'raw'
    assert all(os.listdir(d) == [image_id] for d in dirs.values())
    assert _staged(conf) == []


def test_a_failed_multi_store_download_restores_the_metadata(
        conf: cfg.ConfigOpts, db: db_api.Database, ctx: nl_context.RequestContext,
        image_override: Override, remote: RemoteGlance) -> None:
    dirs = {sid: os.path.join(conf.state_path, f'store-{sid}') for sid in ('alpha', 'beta')}
    image_override('stores', ['alpha:file', 'beta:file'])
    image_override('store_datadirs', dirs)
    images = image_manager.ImageManager(conf, db, multi.load_stores(conf))
    remote.truncate = True
    image_id = _queued(images, ctx)
    task = _import(images, ctx, image_id, {**_req(), 'all_stores': True})
    assert task['status'] == 'failure'
    image = images.get_image(ctx, image_id)
    assert image['status'] == 'queued' and image['os_distro'] == 'windows'
    assert image['disk_format'] == 'iso'
    assert _staged(conf) == []
    assert all(not os.path.isdir(d) or os.listdir(d) == [] for d in dirs.values())
