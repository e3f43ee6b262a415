"""The web-download import method against a local HTTP server: fetch, filtering, failures."""

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
from nova_lite.db.models import image as models
from nova_lite.image import manager as image_manager
from nova_lite.image import staging, web_download
from tests.unit.image.conftest import store_files
from tests.unit.image.http_source import HttpSource, http_source  # noqa: F401

DATA = os.urandom(300 * 1024 + 11)
Override = Callable[[str, Any], None]


def _web(uri: str) -> dict[str, Any]:
    return {'method': {'name': 'web-download', 'uri': uri}}


def _staging_files(conf: cfg.ConfigOpts) -> list[str]:
    return sorted(os.listdir(conf.image.staging_dir)) if os.path.isdir(
        conf.image.staging_dir) else []


@pytest.fixture
def source(http_source: HttpSource, image_override: Override) -> HttpSource:  # noqa: F811
    """The server with DATA, its port allowed by the import filtering."""
    http_source.data = DATA
    image_override('import_allowed_ports', [80, 443, http_source.port])
    return http_source


def _queued(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
            disk_format: str = 'raw') -> str:
    return str(images.create_image(ctx, name='web', disk_format=disk_format,
                                   container_format='bare')['id'])


def _import_and_wait(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
                     image_id: str, uri: str) -> dict[str, Any]:
    task_id = images.imports.start_import(ctx, image_id, _web(uri))
    images.imports.wait(timeout=30)
    return images.tasks.get(ctx, task_id)


def test_web_download_is_enabled_by_default(images: image_manager.ImageManager) -> None:
    assert images.imports.enabled_methods() == ['glance-direct', 'web-download',
                                                'glance-download']


@pytest.mark.parametrize('path', ['/image', '/stream', '/redirect'])
def test_web_download_activates_the_image(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, source: HttpSource, path: str) -> None:
    image_id = _queued(images, member_ctx)
    task = _import_and_wait(images, member_ctx, image_id, source.url(path))
    assert task['status'] == 'success', task['message']
    assert task['input']['import_req'] == _web(source.url(path))
    image = images.get_image(member_ctx, image_id)
    assert image['status'] == 'active'
    assert image['size'] == len(DATA) == image['virtual_size']
    assert image['checksum'] == hashlib.md5(DATA).hexdigest()
    assert image['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert image['os_glance_failed_import'] == '' and 'os_glance_import_task' not in image
    assert b''.join(images.download_image(member_ctx, image_id)) == DATA
    assert _staging_files(conf) == []
    assert set(source.accept_encodings) == {'identity'}  # the bytes as kept, not re-encoded


def test_the_image_is_importing_while_the_download_runs(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        source: HttpSource, db: db_api.Database) -> None:
    image_id = _queued(images, member_ctx)
    task_id, _, disk_format = images.imports._record_import(
        member_ctx, image_id, _web(source.url('/image')))
    image = images.get_image(member_ctx, image_id)
    assert image['status'] == 'importing' and image['os_glance_import_task'] == task_id
    assert source.requests == []  # nothing fetched at import time
    images.imports.run_import(task_id, image_id, disk_format, uri=source.url('/image'))
    assert images.get_image(member_ctx, image_id)['status'] == 'active'


@pytest.mark.parametrize('uri, overrides, words', [
    ('ftp://127.0.0.1/x', {}, "scheme 'ftp'"),
    ('http://127.0.0.1:8080/x', {}, 'port 8080'),
    ('http://127.0.0.1:8080/x', {'import_allowed_ports': [], 'import_disallowed_ports': [8080]},
     'port 8080'),
    ('http://internal.example/x', {'import_disallowed_hosts': ['internal.example']},
     "host 'internal.example'"),
    ('http://elsewhere.example/x', {'import_allowed_hosts': ['images.example'],
                                    'import_disallowed_hosts': ['images.example']},
     "host 'elsewhere.example'"),
    ('/no/scheme', {}, 'no scheme'),
    ('http:///no-host', {}, 'no host'),
    ('http://127.0.0.1:99999/x', {}, 'not a valid URI'),
    ('', {}, 'needs the URI'),
])
def test_a_uri_refused_by_the_filtering_is_400_and_records_nothing(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        image_override: Override, uri: str, overrides: dict[str, Any], words: str) -> None:
    for name, value in overrides.items():
        image_override(name, value)
    image_id = _queued(images, member_ctx)
    with pytest.raises(exception.InvalidInput) as caught:
        images.imports.start_import(member_ctx, image_id, _web(uri))
    assert caught.value.code == 400
    assert "'method.uri'" in caught.value.message and words in caught.value.message
    assert images.get_image(member_ctx, image_id)['status'] == 'queued'
    assert images.tasks.for_image(member_ctx, image_id) == []


def test_an_allow_list_wins_over_its_deny_list(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        source: HttpSource, image_override: Override) -> None:
    image_override('import_allowed_hosts', ['127.0.0.1'])
    image_override('import_disallowed_hosts', ['127.0.0.1'])
    image_override('import_disallowed_schemes', ['http'])
    image_id = _queued(images, member_ctx)
    assert _import_and_wait(images, member_ctx, image_id,
                            source.url('/image'))['status'] == 'success'


def _assert_failed_cleanly(images: image_manager.ImageManager,
                           ctx: nl_context.RequestContext, conf: cfg.ConfigOpts,
                           image_id: str, task: dict[str, Any], words: str) -> None:
    assert task['status'] == 'failure' and words in task['message'], task['message']
    image = images.get_image(ctx, image_id)
    assert image['status'] == 'queued'
    assert image['os_glance_failed_import'] == 'file'
    assert 'os_glance_import_task' not in image and image['size'] is None
    assert _staging_files(conf) == [] and store_files(conf) == []


def test_a_404_source_fails_the_import(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, source: HttpSource) -> None:
    image_id = _queued(images, member_ctx)
    task = _import_and_wait(images, member_ctx, image_id, source.url('/missing'))
    _assert_failed_cleanly(images, member_ctx, conf, image_id, task, 'answered 404')


@pytest.mark.parametrize('path', ['/image', '/stream'])
def test_a_source_over_the_size_cap_fails_without_a_partial_file(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, source: HttpSource, image_override: Override,
        path: str) -> None:
    image_override('image_size_cap', 100 * 1024)
    image_id = _queued(images, member_ctx)
    task = _import_and_wait(images, member_ctx, image_id, source.url(path))
    _assert_failed_cleanly(images, member_ctx, conf, image_id, task, 'size cap')


def test_a_truncated_body_fails_the_import(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, source: HttpSource) -> None:
    image_id = _queued(images, member_ctx)
    task = _import_and_wait(images, member_ctx, image_id, source.url('/truncated'))
    _assert_failed_cleanly(images, member_ctx, conf, image_id, task, 'Could not download')


def test_a_redirect_to_a_refused_uri_fails(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, source: HttpSource) -> None:
    image_id = _queued(images, member_ctx)
    task = _import_and_wait(images, member_ctx, image_id, source.url('/redirect-away'))
    _assert_failed_cleanly(images, member_ctx, conf, image_id, task, 'port 1 is not allowed')
    assert source.requests == ['/redirect-away']


def test_too_many_redirects_fail(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, source: HttpSource, image_override: Override) -> None:
    image_override('web_download_max_redirects', 0)
    image_id = _queued(images, member_ctx)
    task = _import_and_wait(images, member_ctx, image_id, source.url('/redirect'))
    _assert_failed_cleanly(images, member_ctx, conf, image_id, task, 'too many redirects')


def test_a_silent_source_times_out(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, source: HttpSource, image_override: Override) -> None:
    image_override('web_download_timeout', 0.5)
    image_id = _queued(images, member_ctx)
    task = _import_and_wait(images, member_ctx, image_id, source.url('/slow'))
    _assert_failed_cleanly(images, member_ctx, conf, image_id, task, 'timed out')


def test_an_unreachable_source_fails(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, source: HttpSource, image_override: Override) -> None:
    image_override('import_allowed_ports', [])
    image_id = _queued(images, member_ctx)
    task = _import_and_wait(images, member_ctx, image_id, 'http://127.0.0.1:1/x')
    _assert_failed_cleanly(images, member_ctx, conf, image_id, task, 'Could not download')


def test_a_failure_after_the_download_removes_the_staged_data(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, db: db_api.Database, source: HttpSource) -> None:
    image_id = _queued(images, member_ctx)
    task_id, _, disk_format = images.imports._record_import(
        member_ctx, image_id, _web(source.url('/image')))
    with db.session() as session:  # deleted behind the import's back: activate fails
        session.delete(session.get(models.Image, image_id))
    images.imports.run_import(task_id, image_id, disk_format, uri=source.url('/image'))
    assert source.requests == ['/image']  # the data was downloaded, then reverted
    assert _staging_files(conf) == [] and store_files(conf) == []
    assert images.tasks.get(member_ctx, task_id)['status'] == 'failure'


def test_web_download_needs_a_queued_image(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        source: HttpSource) -> None:
    image_id = _queued(images, member_ctx)
    images.imports.stage(member_ctx, image_id, iter([b'staged']))
    with pytest.raises(exception.InvalidState) as caught:
        images.imports.start_import(member_ctx, image_id, _web(source.url('/image')))
    assert caught.value.code == 409 and 'web-download' in caught.value.message
    assert images.tasks.for_image(member_ctx, image_id) == []


def test_web_download_can_be_disabled(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        source: HttpSource, image_override: Override) -> None:
    image_override('enabled_import_methods', ['glance-direct'])
    image_id = _queued(images, member_ctx)
    with pytest.raises(exception.InvalidInput) as caught:
        images.imports.start_import(member_ctx, image_id, _web(source.url('/image')))
    assert 'not supported' in caught.value.message
    assert source.requests == []


def test_download_task_revert_removes_what_it_staged(
        conf: cfg.ConfigOpts, source: HttpSource) -> None:
    area = staging.StagingArea(conf)
    task = web_download.DownloadToStaging(conf, area, conf.image.image_size_cap)
    task.execute('img-1', source.url('/image'))
    assert _staging_files(conf) == ['img-1']
    assert b''.join(area.get(area.location_of('img-1'))) == DATA
    task.revert('img-1', result=None, flow_failures={})
    assert _staging_files(conf) == []
