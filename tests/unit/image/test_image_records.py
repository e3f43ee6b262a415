"""Image records: the glance v2 view, validation, visibility, update, delete, list."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.image import manager as image_manager
from tests.unit.image.conftest import count_images

PUBLIC_KEYS = {'id', 'name', 'status', 'disk_format', 'container_format', 'visibility', 'size',
               'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'min_disk',
               'min_ram', 'protected', 'owner', 'tags', 'created_at', 'updated_at',
               'os_hidden', 'file', 'self', 'schema'}


def test_create_view(images: image_manager.ImageManager,
                     member_ctx: nl_context.RequestContext) -> None:
    image = images.create_image(member_ctx, name='cirros', disk_format='qcow2',
                                container_format='bare', min_disk=1, min_ram=64,
                                tags=['x', 'y', 'x'],
                                **{'owner_specified.openstack.sha256': 'abc'})
    assert set(image) == PUBLIC_KEYS | {'owner_specified.openstack.sha256'}
    assert image['owner_specified.openstack.sha256'] == 'abc'
    assert uuid.UUID(image['id'])
    assert image['status'] == 'queued'
    assert image['visibility'] == 'shared'
    assert image['owner'] == member_ctx.project_id
    assert image['tags'] == ['x', 'y']
    assert (image['min_disk'], image['min_ram']) == (1, 64)
    assert image['protected'] is False and image['os_hidden'] is False
    assert image['created_at'].endswith('Z') and image['updated_at'] == image['created_at']
    assert image['self'] == f'/v2/images/{image["id"]}'
    assert image['file'] == f'/v2/images/{image["id"]}/file'
    assert image['schema'] == '/v2/schemas/image'
    assert images.get_image(member_ctx, image['id']) == image


def test_create_with_id_and_duplicate(images: image_manager.ImageManager, db: db_api.Database,
                                      member_ctx: nl_context.RequestContext) -> None:
    wanted = str(uuid.uuid4())
    assert images.create_image(member_ctx, id=wanted.upper())['id'] == wanted
    with pytest.raises(exception.Conflict) as raised:
        images.create_image(member_ctx, id=wanted)
    assert raised.value.code == 409
    assert count_images(db) == 1


@pytest.mark.parametrize('fields, field', [
    ({'disk_format': 'exe'}, 'disk_format'),
    ({'container_format': 'zip'}, 'container_format'),
    ({'min_disk': -1}, 'min_disk'),
    ({'min_ram': '512'}, 'min_ram'),
    ({'min_ram': True}, 'min_ram'),
    ({'min_disk': 2 ** 40}, 'min_disk'),
    ({'name': 'n' * 256}, 'name'),
    ({'name': 5}, 'name'),
    ({'visibility': 'everyone'}, 'visibility'),
    ({'protected': 'yes'}, 'protected'),
    ({'os_hidden': 1}, 'os_hidden'),
    ({'tags': 'abc'}, 'tags'),
    ({'tags': ['']}, 'tags'),
    ({'id': 'not-a-uuid'}, 'id'),
    ({'status': 'active'}, 'status'),
    ({'size': 5}, 'size'),
    ({'checksum': 'abc'}, 'checksum'),
    ({'location': 'file:///etc/passwd'}, 'location'),
    ({'self': '/x'}, 'self'),
    ({'hw_disk_bus': 5}, 'hw_disk_bus'),
    ({'k' * 256: 'v'}, 'k' * 256),
])
def test_create_rejects_bad_input(images: image_manager.ImageManager, db: db_api.Database,
                                  member_ctx: nl_context.RequestContext,
                                  fields: dict[str, Any], field: str) -> None:
    with pytest.raises(exception.InvalidInput) as raised:
        images.create_image(member_ctx, **{'name': 'bad', 'disk_format': 'raw', **fields})
    assert raised.value.code == 400
    assert field in str(raised.value)
    assert count_images(db) == 0


def test_only_admin_sets_owner(images: image_manager.ImageManager, db: db_api.Database,
                               admin_ctx: nl_context.RequestContext,
                               member_ctx: nl_context.RequestContext) -> None:
    with pytest.raises(exception.Forbidden):
        images.create_image(member_ctx, owner='project-b')
    assert count_images(db) == 0
    assert images.create_image(admin_ctx, owner='project-b')['owner'] == 'project-b'


def test_too_many_properties(images: image_manager.ImageManager, db: db_api.Database,
                             member_ctx: nl_context.RequestContext) -> None:
    props = {f'p{i}': 'v' for i in range(image_manager.MAX_PROPERTIES + 1)}
    with pytest.raises(exception.OverLimit):
        images.create_image(member_ctx, **props)
    assert count_images(db) == 0


@pytest.mark.parametrize('image_id', [str(uuid.uuid4()), 'cirros', '', None, 42,
                                      '../../etc/passwd'])
def test_unknown_or_malformed_ids_are_404(images: image_manager.ImageManager,
                                          db: db_api.Database,
                                          member_ctx: nl_context.RequestContext,
                                          image_id: Any) -> None:
    images.create_image(member_ctx, name='cirros', disk_format='raw', container_format='bare')
    calls = [lambda: images.get_image(member_ctx, image_id),
             lambda: images.get_location(member_ctx, image_id),
             lambda: images.update_image(member_ctx, image_id, name='x'),
             lambda: images.delete_image(member_ctx, image_id),
             lambda: images.upload_image(member_ctx, image_id, iter([b'x'])),
             lambda: images.download_image(member_ctx, image_id)]
    for call in calls:
        with pytest.raises(exception.NotFound) as raised:
            call()
        assert raised.value.code == 404
    assert count_images(db) == 1
    assert images.list_images(member_ctx)[0]['status'] == 'queued'


def test_visibility_across_projects(images: image_manager.ImageManager,
                                    admin_ctx: nl_context.RequestContext,
                                    member_ctx: nl_context.RequestContext,
                                    other_ctx: nl_context.RequestContext) -> None:
    made = {vis: images.create_image(member_ctx, name=vis, visibility=vis)['id']
            for vis in image_manager.VISIBILITIES}
    theirs = images.create_image(other_ctx, name='theirs', visibility='private')['id']
    for vis in ('private', 'shared'):
        with pytest.raises(exception.NotFound):
            images.get_image(other_ctx, made[vis])
        with pytest.raises(exception.NotFound):
            images.delete_image(other_ctx, made[vis])
        with pytest.raises(exception.NotFound):
            images.update_image(other_ctx, made[vis], name='stolen')
    for vis in ('public', 'community'):
        assert images.get_image(other_ctx, made[vis])['visibility'] == vis
        with pytest.raises(exception.Forbidden) as raised:
            images.update_image(other_ctx, made[vis], name='stolen')
        assert raised.value.code == 403
        with pytest.raises(exception.Forbidden):
            images.delete_image(other_ctx, made[vis])
    assert {i['id'] for i in images.list_images(other_ctx)} == {
        made['public'], made['community'], theirs}
    assert {i['id'] for i in images.list_images(member_ctx)} == set(made.values())
    assert {i['id'] for i in images.list_images(admin_ctx)} == {*made.values(), theirs}
    assert images.get_image(admin_ctx, theirs)['owner'] == 'project-b'
    assert images.get_image(member_ctx, made['private'])['name'] == 'private'


def test_update(images: image_manager.ImageManager,
                member_ctx: nl_context.RequestContext) -> None:
    image = images.create_image(member_ctx, name='old', disk_format='raw',
                                container_format='bare', hw_disk_bus='ide', keep='me')
    updated = images.update_image(member_ctx, image['id'], name='new', min_disk=2, min_ram=128,
                                  protected=True, tags=['t'], visibility='public',
                                  os_hidden=True, disk_format='qcow2', hw_disk_bus='virtio',
                                  hw_vif_model=None, keep=None, added='yes')
    assert updated['name'] == 'new'
    assert (updated['min_disk'], updated['min_ram']) == (2, 128)
    assert updated['protected'] is True and updated['os_hidden'] is True
    assert updated['tags'] == ['t'] and updated['visibility'] == 'public'
    assert updated['disk_format'] == 'qcow2'
    assert updated['hw_disk_bus'] == 'virtio' and updated['added'] == 'yes'
    assert 'keep' not in updated and 'hw_vif_model' not in updated
    assert images.get_image(member_ctx, image['id']) == updated


@pytest.mark.parametrize('changes', [
    {'min_ram': -5}, {'status': 'active'}, {'id': str(uuid.uuid4())},
    {'size': 1}, {'protected': 'true'}, {'disk_format': 'exe'}, {'prop': 7},
    {'name': 'fine', 'visibility': 'bogus'}])
def test_update_rejects_bad_input(images: image_manager.ImageManager,
                                  member_ctx: nl_context.RequestContext,
                                  changes: dict[str, Any]) -> None:
    image = images.create_image(member_ctx, name='same', disk_format='raw')
    with pytest.raises(exception.InvalidInput) as raised:
        images.update_image(member_ctx, image['id'], **changes)
    assert raised.value.code == 400
    assert images.get_image(member_ctx, image['id']) == image


def test_formats_fixed_once_uploaded(images: image_manager.ImageManager,
                                     member_ctx: nl_context.RequestContext) -> None:
    image = images.create_image(member_ctx, disk_format='raw', container_format='bare')
    active = images.upload_image(member_ctx, image['id'], iter([b'bytes']))
    with pytest.raises(exception.Forbidden):
        images.update_image(member_ctx, image['id'], disk_format='qcow2')
    assert images.update_image(member_ctx, image['id'], disk_format='raw') == active


def test_protected_image_cannot_be_deleted(images: image_manager.ImageManager,
                                           db: db_api.Database,
                                           member_ctx: nl_context.RequestContext) -> None:
    image = images.create_image(member_ctx, protected=True)
    with pytest.raises(exception.Forbidden) as raised:
        images.delete_image(member_ctx, image['id'])
    assert raised.value.code == 403
    assert count_images(db) == 1
    images.update_image(member_ctx, image['id'], protected=False)
    images.delete_image(member_ctx, image['id'])
    assert count_images(db) == 0
    with pytest.raises(exception.NotFound):
        images.get_image(member_ctx, image['id'])


def test_list_filters_and_paging(images: image_manager.ImageManager,
                                 member_ctx: nl_context.RequestContext) -> None:
    ids = [images.create_image(member_ctx, name=f'img{i}', disk_format='raw',
                               container_format='bare')['id'] for i in range(5)]
    images.upload_image(member_ctx, ids[0], iter([b'x']))
    images.update_image(member_ctx, ids[1], os_hidden=True)
    assert [i['id'] for i in images.list_images(member_ctx, name='img3')] == [ids[3]]
    assert images.list_images(member_ctx, name='nope') == []
    assert [i['id'] for i in images.list_images(member_ctx, status='active')] == [ids[0]]
    assert {i['id'] for i in images.list_images(
        member_ctx, ids=[ids[2], ids[4], 'junk', str(uuid.uuid4())])} == {ids[2], ids[4]}
    assert images.list_images(member_ctx, ids=[]) == []
    assert ids[1] not in {i['id'] for i in images.list_images(member_ctx, os_hidden=False)}
    assert [i['id'] for i in images.list_images(member_ctx, visibility='shared')] != []
    everything = [i['id'] for i in images.list_images(member_ctx)]
    assert sorted(everything) == sorted(ids)
    pages: list[str] = []
    marker = None
    while page := images.list_images(member_ctx, limit=2, marker=marker):
        assert len(page) <= 2
        pages += [i['id'] for i in page]
        marker = page[-1]['id']
    assert pages == everything


@pytest.mark.parametrize('filters, field', [
    ({'limit': -1}, 'limit'), ({'limit': 'ten'}, 'limit'),
    ({'marker': str(uuid.uuid4())}, 'marker'), ({'marker': 'bad'}, 'marker'),
    ({'ids': 'abc'}, 'id'), ({'name': 5}, 'name'), ({'visibility': 'x'}, 'visibility'),
    ({'os_hidden': 'no'}, 'os_hidden')])
def test_list_rejects_bad_filters(images: image_manager.ImageManager,
                                  member_ctx: nl_context.RequestContext,
                                  filters: dict[str, Any], field: str) -> None:
    with pytest.raises(exception.InvalidInput, match=field):
        images.list_images(member_ctx, **filters)
