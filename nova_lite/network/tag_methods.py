"""The tag part of the network manager: the tags of one resource of a
:mod:`taggable` collection, each call in one transaction."""

from __future__ import annotations

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.network import taggable, tags


class TagMethods:
    """Mixed into NetworkManager. The API checks its policy against
    :meth:`tag_owner` before a change; a resource the caller cannot see is a 404."""

    db: db_api.Database

    def tag_owner(self, ctx: nl_context.RequestContext, collection: str,
                  resource_id: str) -> str | None:
        """The project owning the resource (404 if the caller cannot see it)."""
        with self.db.reader() as session:
            return taggable.lookup(collection).owner(session, ctx, resource_id)

    def get_tags(self, ctx: nl_context.RequestContext, collection: str,
                 resource_id: str) -> list[str]:
        with self.db.reader() as session:
            taggable.lookup(collection).owner(session, ctx, resource_id)
            return tags.of(session, [resource_id]).get(resource_id, [])

    def check_tag(self, ctx: nl_context.RequestContext, collection: str,
                  resource_id: str, tag: str) -> None:
        """Nothing if the resource has ``tag``, else 404."""
        tags.check_tag(tag)
        with self.db.reader() as session:
            taggable.lookup(collection).owner(session, ctx, resource_id)
            if not tags.has(session, resource_id, tag):
                raise exception.NotFound(resource='Tag', id=tag)

    def replace_tags(self, ctx: nl_context.RequestContext, collection: str,
                     resource_id: str, new_tags: list[str]) -> list[str]:
        """Make ``new_tags`` the resource's only tags; the resource's tags after."""
        checked = tags.check_tags({'tags': new_tags})
        with self.db.session() as session:
            taggable.lookup(collection).owner(session, ctx, resource_id)
            tags.replace(session, resource_id, checked)
            return checked

    def add_tag(self, ctx: nl_context.RequestContext, collection: str,
                resource_id: str, tag: str) -> None:
        tags.check_tag(tag)
        with self.db.session() as session:
            taggable.lookup(collection).owner(session, ctx, resource_id)
            tags.add(session, resource_id, tag)

    def remove_tag(self, ctx: nl_context.RequestContext, collection: str,
                   resource_id: str, tag: str) -> None:
        """Untag the resource; 404 if it does not have ``tag``."""
        tags.check_tag(tag)
        with self.db.session() as session:
            taggable.lookup(collection).owner(session, ctx, resource_id)
            if not tags.remove(session, resource_id, tag):
                raise exception.NotFound(resource='Tag', id=tag)

    def remove_tags(self, ctx: nl_context.RequestContext, collection: str,
                    resource_id: str) -> None:
        with self.db.session() as session:
            taggable.lookup(collection).owner(session, ctx, resource_id)
            tags.forget(session, [resource_id])
