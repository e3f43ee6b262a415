"""Interoperable image import through the manager: staging, the import task, reverts."""

from __future__ import annotations

import hashlib
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
from tests.unit.image.conftest import store_files

DATA = os.urandom(200 * 1024 + 7)
GLANCE_DIRECT = {'method': {'name': 'glance-direct'}}


def _chunks(data: bytes, size: int = 32 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


def _failing_chunks() -> Iterator[bytes]:
    yield DATA[:1024]
    raise OSError('client went away')


def _staging_files(conf: cfg.ConfigOpts) -> list[str]:
    return sorted(os.listdir(conf.image.staging_dir)) if os.path.isdir(
        conf.image.staging_dir) else []


def _staged(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
            **fields: Any) -> dict[str, Any]:
    image = images.create_image(ctx, name='imported', disk_format='raw',
                                container_format='bare', **fields)
    images.imports.stage(ctx, image['id'], _chunks(DATA))
    return images.get_image(ctx, image['id'])


def test_glance_direct_import_activates_with_hashes(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts) -> None:
    staged = _staged(images, member_ctx)
    assert staged['status'] == 'uploading'
    assert _staging_files(conf) == [staged['id']]
    task_id = images.imports.start_import(member_ctx, staged['id'], GLANCE_DIRECT)
    images.imports.wait(timeout=30)
    image = images.get_image(member_ctx, staged['id'])
    assert image['status'] == 'active'
    assert image['size'] == len(DATA) == image['virtual_size']
    assert image['checksum'] == hashlib.md5(DATA).hexdigest()
    assert image['os_hash_algo'] == 'sha512'
    assert image['os_hash_value'] == hashlib.sha512(DATA).hexdigest()
    assert 'os_glance_import_task' not in image
    assert image['os_glance_importing_to_stores'] == ''
    assert image['os_glance_failed_import'] == ''
    assert _staging_files(conf) == []
    assert b''.join(images.download_image(member_ctx, image['id'])) == DATA
    [task] = images.tasks.for_image(member_ctx, image['id'])
    assert task['id'] == task_id
    assert task['status'] == 'success' and task['type'] == 'api_image_import'
    assert task['result'] == {'image_id': image['id']}
    assert task['request_id'] == member_ctx.request_id
    assert task['user_id'] == 'member-user' and task['owner'] == 'project-a'
    assert task['input']['import_req'] == GLANCE_DIRECT
    assert task['expires_at'] is not None


def test_stage_needs_a_queued_image(images: image_manager.ImageManager,
                                    member_ctx: nl_context.RequestContext) -> None:
    staged = _staged(images, member_ctx)
    with pytest.raises(exception.InvalidState):
        images.imports.stage(member_ctx, staged['id'], _chunks(b'again'))
    with pytest.raises(exception.InvalidState):
        images.upload_image(member_ctx, staged['id'], _chunks(b'upload'))


def test_failed_staging_leaves_nothing_and_the_image_queued(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts) -> None:
    image = images.create_image(member_ctx, name='x', disk_format='raw',
                                container_format='bare')
    with pytest.raises(OSError):
        images.imports.stage(member_ctx, image['id'], _failing_chunks())
    assert images.get_image(member_ctx, image['id'])['status'] == 'queued'
    assert [f for f in _staging_files(conf)] == []


def test_stage_of_another_projects_image_is_refused(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        other_ctx: nl_context.RequestContext) -> None:
    image = images.create_image(member_ctx, name='x', disk_format='raw',
                                container_format='bare', visibility='community')
    with pytest.raises(exception.Forbidden):
        images.imports.stage(other_ctx, image['id'], _chunks(DATA))
    assert images.get_image(member_ctx, image['id'])['status'] == 'queued'


@pytest.mark.parametrize('import_req, error', [
    ({'method': {'name': 'web-download', 'uri': 'file:///etc/passwd'}},
     exception.InvalidInput),
    ({'method': {'name': 'web-download', 'uri': 'http://example.com/x'}},
     exception.InvalidState),  # the image is uploading, not queued
    ({'method': {'name': 'glance-direct'}, 'stores': ['file', 'other']},
     exception.InvalidInput),
    ({'method': {'name': 'glance-direct'}, 'stores': ['other']},
     exception.InvalidInput),
])
def test_refused_imports_record_nothing(images: image_manager.ImageManager,
                                        member_ctx: nl_context.RequestContext,
                                        import_req: dict[str, Any],
                                        error: type[Exception]) -> None:
    staged = _staged(images, member_ctx)
    with pytest.raises(error):
        images.imports.start_import(member_ctx, staged['id'], import_req)
    assert images.get_image(member_ctx, staged['id'])['status'] == 'uploading'
    assert images.tasks.for_image(member_ctx, staged['id']) == []


def test_glance_direct_needs_staged_data(images: image_manager.ImageManager,
                                         member_ctx: nl_context.RequestContext) -> None:
    image = images.create_image(member_ctx, name='x', disk_format='raw',
                                container_format='bare')
    with pytest.raises(exception.InvalidState) as caught:
        images.imports.start_import(member_ctx, image['id'], GLANCE_DIRECT)
    assert caught.value.code == 409
    assert images.tasks.for_image(member_ctx, image['id']) == []


def test_copy_image_is_off_by_default(images: image_manager.ImageManager,
                                      member_ctx: nl_context.RequestContext) -> None:
    copy = {'method': {'name': 'copy-image'}, 'all_stores': True}
    staged = _staged(images, member_ctx)
    with pytest.raises(exception.InvalidInput) as caught:
        images.imports.start_import(member_ctx, staged['id'], copy)
    assert "'method'" in caught.value.message and 'not supported' in caught.value.message
    assert images.tasks.for_image(member_ctx, staged['id']) == []


def test_copy_image_with_a_single_store(images: image_manager.ImageManager,
                                        member_ctx: nl_context.RequestContext,
                                        image_override: Callable[[str, Any], None]) -> None:
    image_override('enabled_import_methods', ['glance-direct', 'copy-image'])
    copy = {'method': {'name': 'copy-image'}, 'all_stores': True}
    staged = _staged(images, member_ctx)
    with pytest.raises(exception.InvalidState):
        images.imports.start_import(member_ctx, staged['id'], copy)
    images.imports.start_import(member_ctx, staged['id'], GLANCE_DIRECT)
    images.imports.wait(timeout=30)
    with pytest.raises(exception.InvalidInput) as caught:
        images.imports.start_import(member_ctx, staged['id'], copy)
    assert 'multiple stores' in caught.value.message


def test_failed_import_reverts_to_queued_without_staged_or_stored_data(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, image_override: Callable[[str, Any], None]) -> None:
    staged = _staged(images, member_ctx)
    image_override('image_size_cap', 1024)  # the store now refuses the staged data
    task_id = images.imports.start_import(member_ctx, staged['id'], GLANCE_DIRECT)
    images.imports.wait(timeout=30)
    image = images.get_image(member_ctx, staged['id'])
    assert image['status'] == 'queued'
    assert image['os_glance_failed_import'] == 'file'
    assert 'os_glance_import_task' not in image
    assert _staging_files(conf) == [] and store_files(conf) == []
    task = images.tasks.get(member_ctx, task_id)
    assert task['status'] == 'failure' and 'size cap' in task['message']


def test_import_of_an_image_deleted_meanwhile_reverts_the_copy(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts, db: db_api.Database) -> None:
    staged = _staged(images, member_ctx)
    task_id, image_id, disk_format = images.imports._record_import(
        member_ctx, staged['id'], GLANCE_DIRECT)
    with db.session() as session:  # gone behind the import's back, staged file kept
        session.delete(session.get(models.Image, image_id))
    images.imports.run_import(task_id, image_id, disk_format)
    assert store_files(conf) == []  # copy-to-store reverted
    assert _staging_files(conf) == []
    with db.reader() as session:
        assert session.get(models.Image, image_id) is None
    assert images.tasks.get(member_ctx, task_id)['status'] == 'failure'


def test_deleting_a_staged_image_removes_its_staged_data(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        conf: cfg.ConfigOpts) -> None:
    staged = _staged(images, member_ctx)
    images.delete_image(member_ctx, staged['id'])
    assert _staging_files(conf) == []


def test_stage_host_is_recorded_when_configured(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        image_override: Callable[[str, Any], None]) -> None:
    image_override('worker_self_reference_url', 'http://worker-1:9292')
    staged = _staged(images, member_ctx)
    assert staged['os_glance_stage_host'] == 'http://worker-1:9292'


def test_os_glance_properties_are_reserved(images: image_manager.ImageManager,
                                           member_ctx: nl_context.RequestContext) -> None:
    with pytest.raises(exception.Forbidden):
        images.create_image(member_ctx, name='x', os_glance_foo='bar')
    image = images.create_image(member_ctx, name='x')
    with pytest.raises(exception.Forbidden):
        images.update_image(member_ctx, image['id'], os_glance_import_task='t')


def test_task_listing_is_per_project_for_members(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        other_ctx: nl_context.RequestContext, admin_ctx: nl_context.RequestContext) -> None:
    staged = _staged(images, member_ctx)
    task_id = images.imports.start_import(member_ctx, staged['id'], GLANCE_DIRECT)
    images.imports.wait(timeout=30)
    assert [t['id'] for t in images.tasks.list_tasks(member_ctx)] == [task_id]
    assert images.tasks.list_tasks(other_ctx) == []
    with pytest.raises(exception.NotFound):
        images.tasks.get(other_ctx, task_id)
    listed = images.tasks.list_tasks(admin_ctx, status='success')
    assert [t['id'] for t in listed] == [task_id]
    assert 'input' not in listed[0]
    assert images.tasks.list_tasks(admin_ctx, status='failure') == []


def test_stores_naming_the_one_store_is_accepted(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext) -> None:
    staged = _staged(images, member_ctx)
    task_id = images.imports.start_import(
        member_ctx, staged['id'], {**GLANCE_DIRECT, 'stores': ['file']})
    images.imports.wait(timeout=30)
    assert images.tasks.get(member_ctx, task_id)['status'] == 'success'
    assert images.get_image(member_ctx, staged['id'])['stores'] == 'file'
