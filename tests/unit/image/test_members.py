"""Image members in the registry: who shares, who answers, who sees the image where."""

from __future__ import annotations

from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.api import paging
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.image import listing
from nova_lite.image import manager as image_manager
from nova_lite.image.backends import base as store_base


def _listed(images: image_manager.ImageManager, ctx: nl_context.RequestContext,
            **query: Any) -> list[str]:
    page = images.page_images(ctx, listing.ImageQuery(**query), paging.EVERYTHING)
    return [image['id'] for image in page.items]


def test_share_accept_reject_and_list(images: image_manager.ImageManager,
                                      member_ctx: nl_context.RequestContext,
                                      other_ctx: nl_context.RequestContext) -> None:
    image = images.create_image(member_ctx, name='shared')
    assert image['visibility'] == 'shared'
    with pytest.raises(exception.NotFound):
        images.get_image(other_ctx, image['id'])

    member = images.members.create_member(member_ctx, image['id'], 'project-b')
    assert (member['image_id'], member['member_id'], member['status']) == \
        (image['id'], 'project-b', 'pending')
    assert member['schema'] == '/v2/schemas/member'
    # A member sees the image whatever its answer, but lists it only once accepted.
    assert images.get_image(other_ctx, image['id'])['id'] == image['id']
    assert image['id'] not in _listed(images, other_ctx)
    assert _listed(images, other_ctx, visibility='shared', member_status='pending') == \
        [image['id']]

    accepted = images.members.update_member(other_ctx, image['id'], 'project-b', 'accepted')
    assert accepted['status'] == 'accepted'
    assert _listed(images, other_ctx) == [image['id']]
    images.members.update_member(other_ctx, image['id'], 'project-b', 'rejected')
    assert _listed(images, other_ctx) == []
    assert _listed(images, other_ctx, member_status='all') == [image['id']]

    # Made private, the image is the owner's alone again; shared again, the member is back.
    images.update_image(member_ctx, image['id'], visibility='private')
    with pytest.raises(exception.NotFound):
        images.get_image(other_ctx, image['id'])
    images.update_image(member_ctx, image['id'], visibility='shared')
    assert images.members.get_member(other_ctx, image['id'], 'project-b')['status'] == \
        'rejected'


def test_only_the_owner_manages_and_only_the_member_answers(
        images: image_manager.ImageManager, member_ctx: nl_context.RequestContext,
        other_ctx: nl_context.RequestContext, admin_ctx: nl_context.RequestContext) -> None:
    image = images.create_image(member_ctx, name='shared')
    images.members.create_member(member_ctx, image['id'], 'project-b')
    images.members.create_member(member_ctx, image['id'], 'project-c')
    with pytest.raises(exception.Conflict):
        images.members.create_member(member_ctx, image['id'], 'project-b')
    with pytest.raises(exception.Forbidden):
        images.members.create_member(other_ctx, image['id'], 'project-d')
    with pytest.raises(exception.Forbidden):
        images.members.update_member(member_ctx, image['id'], 'project-b', 'accepted')
    with pytest.raises(exception.InvalidInput):
        images.members.update_member(other_ctx, image['id'], 'project-b', 'maybe')
    with pytest.raises(exception.Forbidden):
        images.members.delete_member(other_ctx, image['id'], 'project-b')
    # A member sees its own membership only; others' are not found.
    assert [m['member_id'] for m in images.members.list_members(other_ctx, image['id'])] == \
        ['project-b']
    with pytest.raises(exception.NotFound):
        images.members.get_member(other_ctx, image['id'], 'project-c')
    assert sorted(m['member_id'] for m in images.members.list_members(
        member_ctx, image['id'])) == ['project-b', 'project-c']
    assert images.members.get_member(admin_ctx, image['id'], 'project-b')['status'] == \
        'pending'

    images.members.delete_member(member_ctx, image['id'], 'project-b')
    with pytest.raises(exception.NotFound):
        images.get_image(other_ctx, image['id'])
    with pytest.raises(exception.NotFound):
        images.members.delete_member(member_ctx, image['id'], 'project-b')


def test_only_shared_images_have_members(images: image_manager.ImageManager,
                                         member_ctx: nl_context.RequestContext) -> None:
    private = images.create_image(member_ctx, name='mine', visibility='private')
    with pytest.raises(exception.Forbidden):
        images.members.create_member(member_ctx, private['id'], 'project-b')
    with pytest.raises(exception.Forbidden):
        images.members.list_members(member_ctx, private['id'])
    with pytest.raises(exception.InvalidInput):
        images.members.create_member(
            member_ctx, images.create_image(member_ctx)['id'], 'x' * 256)


def test_member_limit_and_cascade_on_delete(images: image_manager.ImageManager,
                                            member_ctx: nl_context.RequestContext,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from nova_lite.image import members

    monkeypatch.setattr(members, 'MAX_MEMBERS', 2)
    image = images.create_image(member_ctx, name='shared')
    images.members.create_member(member_ctx, image['id'], 'p1')
    images.members.create_member(member_ctx, image['id'], 'p2')
    with pytest.raises(exception.OverLimit):
        images.members.create_member(member_ctx, image['id'], 'p3')
    images.delete_image(member_ctx, image['id'])
    again = images.create_image(member_ctx, id=image['id'], name='again')
    assert images.members.list_members(member_ctx, again['id']) == []


@pytest.mark.postgresql
def test_sharing_and_tag_filters_on_postgresql(
        conf: cfg.ConfigOpts, pg_db: db_api.Database, member_ctx: nl_context.RequestContext,
        other_ctx: nl_context.RequestContext) -> None:
    images = image_manager.ImageManager(conf, pg_db, store_base.load_store(conf))
    tagged = images.create_image(member_ctx, tags=['red', 'round'])
    images.create_image(member_ctx, tags=['red'])
    assert _listed(images, member_ctx, tags=('round',)) == [tagged['id']]
    assert _listed(images, member_ctx, tags=('red', 'round')) == [tagged['id']]
    images.members.create_member(member_ctx, tagged['id'], 'project-b')
    assert _listed(images, other_ctx, member_status='pending') == [tagged['id']]
    images.members.update_member(other_ctx, tagged['id'], 'project-b', 'accepted')
    assert _listed(images, other_ctx, tags=('red',)) == [tagged['id']]
    images.delete_image(member_ctx, tagged['id'])
    assert _listed(images, other_ctx, member_status='all') == []
