"""Single tags, deactivation, reserved names, owner changes and the configurable secure hash."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.image import image_tags
from nova_lite.image import manager as image_manager


def test_tags_one_at_a_time(images: image_manager.ImageManager,
                            member_ctx: nl_context.RequestContext,
                            other_ctx: nl_context.RequestContext,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    image = images.create_image(member_ctx, tags=['a'])
    assert images.tags.add_tag(member_ctx, image['id'], 'b')['tags'] == ['a', 'b']
    assert images.tags.add_tag(member_ctx, image['id'], 'a')['tags'] == ['a', 'b']
    assert images.tags.delete_tag(member_ctx, image['id'], 'a')['tags'] == ['b']
    with pytest.raises(exception.NotFound):
        images.tags.delete_tag(member_ctx, image['id'], 'a')
    with pytest.raises(exception.InvalidInput):
        images.tags.add_tag(member_ctx, image['id'], 'x' * 256)
    with pytest.raises(exception.NotFound):
        images.tags.add_tag(other_ctx, image['id'], 'c')
    monkeypatch.setattr(image_tags, 'MAX_TAGS', 1)
    with pytest.raises(exception.OverLimit):
        images.tags.add_tag(member_ctx, image['id'], 'c')
    assert images.get_image(member_ctx, image['id'])['tags'] == ['b']


def test_deactivate_and_reactivate(images: image_manager.ImageManager,
                                   member_ctx: nl_context.RequestContext,
                                   admin_ctx: nl_context.RequestContext) -> None:
    queued = images.create_image(member_ctx, disk_format='raw', container_format='bare')
    with pytest.raises(exception.Forbidden):
        images.deactivate_image(member_ctx, queued['id'])
    images.upload_image(member_ctx, queued['id'], iter([b'data']))
    assert images.deactivate_image(member_ctx, queued['id'])['status'] == 'deactivated'
    assert images.deactivate_image(member_ctx, queued['id'])['status'] == 'deactivated'
    with pytest.raises(exception.Forbidden):
        images.download_image(member_ctx, queued['id'])
    assert b''.join(images.download_image(admin_ctx, queued['id'])) == b'data'
    with pytest.raises(exception.InvalidState):
        images.get_location(member_ctx, queued['id'])
    assert images.reactivate_image(member_ctx, queued['id'])['status'] == 'active'
    assert images.reactivate_image(member_ctx, queued['id'])['status'] == 'active'
    assert b''.join(images.download_image(member_ctx, queued['id'])) == b'data'


@pytest.mark.parametrize('name', ['os_glance_foo', 'os_glance'])
def test_os_glance_names_are_reserved(images: image_manager.ImageManager,
                                      member_ctx: nl_context.RequestContext,
                                      name: str) -> None:
    with pytest.raises(exception.Forbidden):
        images.create_image(member_ctx, **{name: 'x'})
    image = images.create_image(member_ctx)
    with pytest.raises(exception.Forbidden):
        images.update_image(member_ctx, image['id'], **{name: 'x'})


def test_owner_changes_are_for_admins(images: image_manager.ImageManager,
                                      member_ctx: nl_context.RequestContext,
                                      admin_ctx: nl_context.RequestContext) -> None:
    image = images.create_image(member_ctx)
    with pytest.raises(exception.Forbidden):
        images.update_image(member_ctx, image['id'], owner='project-b')
    assert images.update_image(admin_ctx, image['id'], owner='project-b')['owner'] == \
        'project-b'


@pytest.mark.parametrize('algo', ['sha256', 'sha512', 'sha3_384'])
def test_secure_hash_follows_the_option(images: image_manager.ImageManager,
                                        member_ctx: nl_context.RequestContext,
                                        image_override: Callable[[str, Any], None],
                                        algo: str) -> None:
    image_override('hashing_algorithm', algo)
    image = images.create_image(member_ctx, disk_format='raw', container_format='bare')
    active = images.upload_image(member_ctx, image['id'], iter([b'abc', b'def']))
    assert active['os_hash_algo'] == algo
    assert active['os_hash_value'] == hashlib.new(algo, b'abcdef').hexdigest()
    assert active['checksum'] == hashlib.md5(b'abcdef', usedforsecurity=False).hexdigest()
    # The download is checked against the algorithm recorded at upload, even once the
    # option changed.
    image_override('hashing_algorithm', 'sha512' if algo != 'sha512' else 'sha256')
    assert b''.join(images.download_image(member_ctx, image['id'])) == b'abcdef'
