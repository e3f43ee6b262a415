"""web-download into several stores: the data is staged first, then written to each."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.db import api as db_api
from nova_lite.image import manager as image_manager
from nova_lite.image.backends import multi
from tests.unit.image.http_source import HttpSource, http_source  # noqa: F401

DATA = os.urandom(64 * 1024 + 5)
Override = Callable[[str, Any], None]


@pytest.fixture
def stores_and_source(conf: cfg.ConfigOpts, db: db_api.Database, image_override: Override,
                      http_source: HttpSource,  # noqa: F811
                      ) -> tuple[image_manager.ImageManager, HttpSource, dict[str, str]]:
    dirs = {sid: os.path.join(conf.state_path, f'store-{sid}') for sid in ('alpha', 'beta')}
    image_override('stores', ['alpha:file', 'beta:file'])
    image_override('default_store', 'alpha')
    image_override('store_datadirs', dirs)
    image_override('store_weights', {'alpha': '10', 'beta': '20'})
    http_source.data = DATA
    image_override('import_allowed_ports', [80, 443, http_source.port])
    return image_manager.ImageManager(conf, db, multi.load_stores(conf)), http_source, dirs


def _staged_files(conf: cfg.ConfigOpts) -> list[str]:
    path = conf.image.staging_dir
    return sorted(os.listdir(path)) if os.path.isdir(path) else []


def _import(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
            uri: str) -> tuple[str, dict[str, Any]]:
    image_id = str(images.create_image(ctx, name='web', disk_format='raw',
                                       container_format='bare')['id'])
    task_id = images.imports.start_import(
        ctx, image_id, {'method': {'name': 'web-download', 'uri': uri}, 'all_stores': True})
    images.imports.wait(timeout=30)
    return image_id, images.tasks.get(ctx, task_id)


def test_web_download_to_all_stores(
        stores_and_source: tuple[image_manager.ImageManager, HttpSource, dict[str, str]],
        member_ctx: nl_context.RequestContext, conf: cfg.ConfigOpts) -> None:
    images, source, dirs = stores_and_source
    assert images.imports.enabled_methods() == ['glance-direct', 'web-download',
                                                'copy-image', 'glance-download']
    image_id, task = _import(images, member_ctx, source.url('/image'))
    assert task['status'] == 'success', task['message']
    image = images.get_image(member_ctx, image_id)
    assert image['status'] == 'active' and image['stores'] == 'beta,alpha'
    assert image['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert all(len(os.listdir(path)) == 1 for path in dirs.values())
    assert b''.join(images.download_image(member_ctx, image_id)) == DATA
    assert _staged_files(conf) == []


def test_a_failed_download_leaves_nothing_in_any_store(
        stores_and_source: tuple[image_manager.ImageManager, HttpSource, dict[str, str]],
        member_ctx: nl_context.RequestContext, conf: cfg.ConfigOpts) -> None:
    images, source, dirs = stores_and_source
    image_id, task = _import(images, member_ctx, source.url('/missing'))
    assert task['status'] == 'failure'
    image = images.get_image(member_ctx, image_id)
    assert image['status'] == 'queued' and image['os_glance_failed_import']
    assert all(not os.path.isdir(p) or os.listdir(p) == [] for p in dirs.values())
    assert _staged_files(conf) == []
