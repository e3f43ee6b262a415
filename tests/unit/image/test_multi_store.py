"""Multiple image stores through the manager: two file stores in temporary directories."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import manager as image_manager
from nova_lite.image import store_import
from nova_lite.image.backends import multi

DATA = os.urandom(100 * 1024 + 3)
Override = Callable[[str, Any], None]


def _chunks(data: bytes = DATA, size: int = 16 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def _dirs(conf: cfg.ConfigOpts) -> dict[str, str]:
    return {sid: os.path.join(conf.state_path, f'store-{sid}') for sid in ('alpha', 'beta')}


def _files(path: str) -> list[str]:
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


@pytest.fixture
def two_stores(conf: cfg.ConfigOpts, image_override: Override) -> dict[str, str]:
    """Stores alpha (weight 10, the default) and beta (weight 20, so listed first)."""
    dirs = _dirs(conf)
    image_override('stores', ['alpha:file', 'beta:file'])
    image_override('default_store', 'alpha')
    image_override('store_datadirs', dirs)
    image_override('store_weights', {'alpha': '10', 'beta': '20'})
    return dirs


@pytest.fixture
def mimages(conf: cfg.ConfigOpts, db: db_api.Database,
            two_stores: dict[str, str]) -> image_manager.ImageManager:
    return image_manager.ImageManager(conf, db, multi.load_stores(conf))


def _uploaded(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
              store_id: str | None = None) -> dict[str, Any]:
    image = images.create_image(ctx, name='img', disk_format='raw', container_format='bare')
    return images.upload_image(ctx, image['id'], _chunks(), store_id)


def _staged(images: image_manager.ImageManager, ctx: nl_context.RequestContext) -> str:
    image = images.create_image(ctx, name='img', disk_format='raw', container_format='bare')
    images.imports.stage(ctx, image['id'], _chunks())
    return str(image['id'])


def _import(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
            image_id: str, **req: Any) -> dict[str, Any]:
    method = req.pop('method', 'glance-direct')
    task_id = images.imports.start_import(ctx, image_id, {'method': {'name': method}, **req})
    images.imports.wait(timeout=30)
    return images.tasks.get(ctx, task_id)


def _read(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
          image_id: str) -> bytes:
    return b''.join(images.download_image(ctx, image_id))


# -- configuration -------------------------------------------------------------------

def test_stores_listed_heaviest_first(conf: cfg.ConfigOpts,
                                      two_stores: dict[str, str]) -> None:
    stores = multi.load_stores(conf)
    assert stores.multi and stores.ids == ['beta', 'alpha']
    assert stores.default_id == 'alpha'
    assert [(i.id, i.weight, i.default) for i in stores.infos] == [
        ('beta', 20, False), ('alpha', 10, True)]


def test_single_store_by_default(conf: cfg.ConfigOpts) -> None:
    stores = multi.load_stores(conf)
    assert not stores.multi and stores.ids == ['file'] and stores.default_id == 'file'


@pytest.mark.parametrize('option, value, message', [
    ('stores', ['alpha'], 'not an id:plugin pair'),
    ('stores', ['alpha:file', 'alpha:file'], 'named twice'),
    ('default_store', 'gamma', 'default_store'),
    ('store_weights', {'alpha': 'heavy'}, 'not an integer'),
    ('store_weights', {'gamma': '1'}, 'unknown stores: gamma'),
    ('store_datadirs', {'alpha': '/tmp/same', 'beta': '/tmp/same'}, "another store's"),
])
def test_bad_store_configuration(conf: cfg.ConfigOpts, two_stores: dict[str, str],
                                 image_override: Override, option: str, value: Any,
                                 message: str) -> None:
    image_override(option, value)
    with pytest.raises(exception.NovaLiteError, match=message):
        multi.load_stores(conf)


def test_copy_image_offered_only_with_several_stores(
        conf: cfg.ConfigOpts, db: db_api.Database, mimages: image_manager.ImageManager,
        image_override: Override) -> None:
    assert mimages.imports.enabled_methods() == ['glance-direct', 'web-download', 'copy-image',
                                                 'glance-download']
    image_override('stores', [])
    single = image_manager.ImageManager(conf, db, multi.load_stores(conf))
    assert single.imports.enabled_methods() == ['glance-direct', 'web-download',
                                                'glance-download']


# -- upload, download, delete --------------------------------------------------------

def test_upload_goes_to_the_default_store(mimages: image_manager.ImageManager,
                                          member_ctx: nl_context.RequestContext,
                                          two_stores: dict[str, str]) -> None:
    image = _uploaded(mimages, member_ctx)
    assert image['stores'] == 'alpha'
    assert _files(two_stores['alpha']) == [image['id']]
    assert _files(two_stores['beta']) == []


def test_upload_to_a_named_store(mimages: image_manager.ImageManager,
                                 member_ctx: nl_context.RequestContext,
                                 two_stores: dict[str, str]) -> None:
    image = _uploaded(mimages, member_ctx, 'beta')
    assert image['stores'] == 'beta'
    assert _files(two_stores['beta']) == [image['id']]
    assert _read(mimages, member_ctx, image['id']) == DATA


def test_upload_to_an_unknown_store_is_refused(mimages: image_manager.ImageManager,
                                               member_ctx: nl_context.RequestContext) -> None:
    image = mimages.create_image(member_ctx, disk_format='raw', container_format='bare')
    with pytest.raises(exception.InvalidInput, match='X-Image-Meta-Store'):
        mimages.upload_image(member_ctx, image['id'], _chunks(), 'gamma')
    assert mimages.get_image(member_ctx, image['id'])['status'] == 'queued'


def test_delete_image_removes_every_copy(mimages: image_manager.ImageManager,
                                         member_ctx: nl_context.RequestContext,
                                         admin_ctx: nl_context.RequestContext,
                                         two_stores: dict[str, str]) -> None:
    image = _uploaded(mimages, member_ctx)
    _import(mimages, admin_ctx, image['id'], method='copy-image', all_stores=True)
    assert mimages.get_image(member_ctx, image['id'])['stores'] == 'beta,alpha'
    mimages.delete_image(member_ctx, image['id'])
    assert _files(two_stores['alpha']) == [] and _files(two_stores['beta']) == []


def test_download_reads_the_heaviest_store_then_the_next(
        mimages: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        admin_ctx: nl_context.RequestContext, two_stores: dict[str, str]) -> None:
    image = _uploaded(mimages, member_ctx)
    _import(mimages, admin_ctx, image['id'], method='copy-image', all_stores=True)
    assert mimages.get_location(member_ctx, image['id']).endswith(
        os.path.join('store-beta', image['id']))
    os.unlink(os.path.join(two_stores['beta'], image['id']))
    assert _read(mimages, member_ctx, image['id']) == DATA
    os.unlink(os.path.join(two_stores['alpha'], image['id']))
    mimages.cache.evict(image['id'])  # the read above filled the image cache
    with pytest.raises(exception.ImageCorrupt):
        _read(mimages, member_ctx, image['id'])


def test_plain_location_of_an_older_image_stays_readable(
        mimages: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        db: db_api.Database) -> None:
    image = _uploaded(mimages, member_ctx, 'beta')
    with db.session() as session:
        row = session.get(models.Image, image['id'])
        assert row is not None
        plain = json.loads(row.location or '')[0][1]
        row.location = plain
    assert mimages.stores.decode(plain) == {'beta': plain}
    assert _read(mimages, member_ctx, image['id']) == DATA


def test_single_store_keeps_the_plain_location(images: image_manager.ImageManager,
                                               member_ctx: nl_context.RequestContext,
                                               db: db_api.Database) -> None:
    image = _uploaded(images, member_ctx)
    assert image['stores'] == 'file'
    with db.reader() as session:
        row = session.get(models.Image, image['id'])
        assert row is not None and (row.location or '').startswith('file://')


# -- import -------------------------------------------------------------------------

def test_import_to_all_stores(mimages: image_manager.ImageManager,
                              member_ctx: nl_context.RequestContext,
                              two_stores: dict[str, str], conf: cfg.ConfigOpts) -> None:
    image_id = _staged(mimages, member_ctx)
    task = _import(mimages, member_ctx, image_id, all_stores=True)
    assert task['status'] == 'success'
    image = mimages.get_image(member_ctx, image_id)
    assert image['status'] == 'active' and image['stores'] == 'beta,alpha'
    assert image['os_glance_importing_to_stores'] == ''
    assert image['os_glance_failed_import'] == ''
    assert 'os_glance_import_task' not in image
    assert image['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert _files(two_stores['alpha']) == [image_id] == _files(two_stores['beta'])
    assert _files(conf.image.staging_dir) == []


def test_import_to_named_stores(mimages: image_manager.ImageManager,
                                member_ctx: nl_context.RequestContext,
                                two_stores: dict[str, str]) -> None:
    image_id = _staged(mimages, member_ctx)
    _import(mimages, member_ctx, image_id, stores=['beta'])
    image = mimages.get_image(member_ctx, image_id)
    assert image['status'] == 'active' and image['stores'] == 'beta'
    assert _files(two_stores['alpha']) == []


def test_import_without_stores_uses_the_default(mimages: image_manager.ImageManager,
                                                member_ctx: nl_context.RequestContext) -> None:
    image_id = _staged(mimages, member_ctx)
    _import(mimages, member_ctx, image_id)
    assert mimages.get_image(member_ctx, image_id)['stores'] == 'alpha'


@pytest.mark.parametrize('req, message', [
    ({'stores': ['gamma']}, 'unknown stores: gamma'),
    ({'stores': ['alpha'], 'all_stores': True}, 'all_stores'),
])
def test_bad_import_stores_are_refused(mimages: image_manager.ImageManager,
                                       member_ctx: nl_context.RequestContext,
                                       req: dict[str, Any], message: str) -> None:
    image_id = _staged(mimages, member_ctx)
    with pytest.raises(exception.InvalidInput, match=message):
        mimages.imports.start_import(member_ctx, image_id,
                                     {'method': {'name': 'glance-direct'}, **req})
    assert mimages.get_image(member_ctx, image_id)['status'] == 'uploading'


def _break_store(conf: cfg.ConfigOpts, image_override: Override,
                 two_stores: dict[str, str], store_id: str) -> None:
    """Point ``store_id`` at a regular file, so writing to it fails."""
    broken = os.path.join(conf.state_path, 'not-a-dir')
    os.makedirs(conf.state_path, exist_ok=True)
    with open(broken, 'w', encoding='utf-8') as handle:
        handle.write('x')
    image_override('store_datadirs', {**two_stores, store_id: broken})


def test_failed_store_reverts_all_when_all_must_succeed(
        conf: cfg.ConfigOpts, db: db_api.Database, image_override: Override,
        member_ctx: nl_context.RequestContext, two_stores: dict[str, str]) -> None:
    _break_store(conf, image_override, two_stores, 'alpha')
    images = image_manager.ImageManager(conf, db, multi.load_stores(conf))
    image_id = _staged(images, member_ctx)
    task = _import(images, member_ctx, image_id, all_stores=True)
    assert task['status'] == 'failure'
    image = images.get_image(member_ctx, image_id)
    assert image['status'] == 'queued' and 'stores' not in image
    assert image['os_glance_failed_import'] == 'alpha'
    assert image['os_glance_importing_to_stores'] == ''
    assert _files(two_stores['beta']) == []  # beta's copy was removed again
    assert _files(conf.image.staging_dir) == []


def test_failed_store_tolerated_when_not_all_must_succeed(
        conf: cfg.ConfigOpts, db: db_api.Database, image_override: Override,
        member_ctx: nl_context.RequestContext, two_stores: dict[str, str]) -> None:
    _break_store(conf, image_override, two_stores, 'beta')
    images = image_manager.ImageManager(conf, db, multi.load_stores(conf))
    image_id = _staged(images, member_ctx)
    task = _import(images, member_ctx, image_id, all_stores=True,
                   all_stores_must_succeed=False)
    assert task['status'] == 'success'
    image = images.get_image(member_ctx, image_id)
    assert image['status'] == 'active' and image['stores'] == 'alpha'
    assert image['os_glance_failed_import'] == 'beta'
    assert _read(images, member_ctx, image_id) == DATA


def test_copy_image_copies_to_missing_stores(mimages: image_manager.ImageManager,
                                             member_ctx: nl_context.RequestContext,
                                             admin_ctx: nl_context.RequestContext,
                                             two_stores: dict[str, str]) -> None:
    image = _uploaded(mimages, member_ctx)
    task = _import(mimages, admin_ctx, image['id'], method='copy-image', all_stores=True,
                   all_stores_must_succeed=False)
    assert task['status'] == 'success'
    copied = mimages.get_image(member_ctx, image['id'])
    assert copied['status'] == 'active' and copied['stores'] == 'beta,alpha'
    assert copied['os_glance_importing_to_stores'] == ''
    assert copied['os_glance_failed_import'] == ''
    assert _files(two_stores['beta']) == [image['id']]
    with pytest.raises(exception.InvalidInput, match='already in every store'):
        mimages.imports.start_import(admin_ctx, image['id'],
                                     {'method': {'name': 'copy-image'}, 'all_stores': True})


def test_copy_image_needs_an_active_image_and_stores(
        mimages: image_manager.ImageManager, member_ctx: nl_context.RequestContext) -> None:
    queued = mimages.create_image(member_ctx, disk_format='raw', container_format='bare')
    with pytest.raises(exception.InvalidState):
        mimages.imports.start_import(member_ctx, queued['id'],
                                     {'method': {'name': 'copy-image'}, 'all_stores': True})
    image = _uploaded(mimages, member_ctx)
    with pytest.raises(exception.InvalidInput, match='stores or all_stores'):
        mimages.imports.start_import(member_ctx, image['id'],
                                     {'method': {'name': 'copy-image'}})


def test_failed_copy_keeps_the_image_active(
        conf: cfg.ConfigOpts, db: db_api.Database, image_override: Override,
        member_ctx: nl_context.RequestContext, two_stores: dict[str, str]) -> None:
    _break_store(conf, image_override, two_stores, 'beta')
    images = image_manager.ImageManager(conf, db, multi.load_stores(conf))
    image = _uploaded(images, member_ctx)
    task = _import(images, member_ctx, image['id'], method='copy-image', stores=['beta'])
    assert task['status'] == 'failure'
    after = images.get_image(member_ctx, image['id'])
    assert after['status'] == 'active' and after['stores'] == 'alpha'
    assert after['os_glance_failed_import'] == 'beta'
    assert 'os_glance_import_task' not in after


# -- delete from a store ---------------------------------------------------------------

def test_delete_from_store(mimages: image_manager.ImageManager,
                           member_ctx: nl_context.RequestContext,
                           admin_ctx: nl_context.RequestContext,
                           two_stores: dict[str, str]) -> None:
    image = _uploaded(mimages, member_ctx)
    _import(mimages, admin_ctx, image['id'], method='copy-image', all_stores=True)
    mimages.delete_from_store(admin_ctx, 'beta', image['id'])
    assert mimages.get_image(member_ctx, image['id'])['stores'] == 'alpha'
    assert _files(two_stores['beta']) == []
    with pytest.raises(exception.NotFound):
        mimages.delete_from_store(admin_ctx, 'beta', image['id'])
    with pytest.raises(exception.Conflict, match='last copy'):
        mimages.delete_from_store(admin_ctx, 'alpha', image['id'])
    with pytest.raises(exception.NotFound):
        mimages.delete_from_store(admin_ctx, 'gamma', image['id'])
    assert _read(mimages, member_ctx, image['id']) == DATA


def test_image_deleted_mid_import_leaves_no_copy(
        mimages: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        db: db_api.Database, two_stores: dict[str, str]) -> None:
    image = mimages.create_image(member_ctx, disk_format='raw', container_format='bare')
    with db.session() as session:
        row = session.get(models.Image, image['id'])
        assert row is not None
        row.status = 'importing'
        row.properties = {'os_glance_import_task': 'task-1'}
    opened: list[int] = []

    def open_source() -> Iterator[bytes]:
        opened.append(1)
        if len(opened) == 2:  # the image goes while its second copy is written
            mimages.delete_image(member_ctx, image['id'])
        return _chunks()

    runner = store_import.StoreImport(db, mimages.stores, 1 << 30)
    plan = store_import.Plan(('beta', 'alpha'), True, False)
    with pytest.raises(exception.NotFound):
        runner.run('task-1', image['id'], 'raw', plan, open_source)
    assert len(opened) == 2
    assert _files(two_stores['alpha']) == [] and _files(two_stores['beta']) == []
