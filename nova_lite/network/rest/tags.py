"""/v2.0/{collection}/{id}/tags: neutron's standard-attr-tag API, for every
collection of :mod:`nova_lite.network.taggable`.

``GET .../tags`` lists, ``PUT .../tags`` replaces all (``{"tags": [...]}``),
``DELETE .../tags`` removes all; ``GET``, ``PUT`` and ``DELETE .../tags/{tag}``
check (204 or 404), add (201) and remove one tag.
"""

from __future__ import annotations

import functools

import webob

from nova_lite.api import routing, wsgi
from nova_lite.network import taggable, tags
from nova_lite.network.rest import common


class TagsController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        result: list[routing.Route] = []
        for collection in sorted(taggable.TAGGABLE):
            path = f'{common.API_PATH}/{collection}/{{resource_id}}/tags'
            bound = functools.partial
            result += [('GET', path, bound(self.index, collection=collection)),
                       ('PUT', path, bound(self.update_all, collection=collection)),
                       ('DELETE', path, bound(self.delete_all, collection=collection)),
                       ('GET', f'{path}/{{tag}}', bound(self.show, collection=collection)),
                       ('PUT', f'{path}/{{tag}}', bound(self.update, collection=collection)),
                       ('DELETE', f'{path}/{{tag}}', bound(self.delete, collection=collection))]
        return result

    def _authorize(self, req: wsgi.Request, action: str, collection: str,
                   resource_id: str) -> None:
        """The caller must see the resource (else 404) and pass the rule on its owner."""
        owner = self._networks.tag_owner(req.context, collection, resource_id)
        self.authorizer.authorize(req.context, taggable.policy_name(action, collection),
                                  project_id=owner)

    def index(self, req: wsgi.Request, collection: str, resource_id: str) -> webob.Response:
        self._authorize(req, 'get', collection, resource_id)
        return wsgi.json_response(200, {'tags': self._networks.get_tags(
            req.context, collection, resource_id)})

    def show(self, req: wsgi.Request, collection: str, resource_id: str,
             tag: str) -> webob.Response:
        tags.check_tag(tag)
        self._authorize(req, 'get', collection, resource_id)
        self._networks.check_tag(req.context, collection, resource_id, tag)
        return wsgi.json_response(204)

    def update_all(self, req: wsgi.Request, collection: str,
                   resource_id: str) -> webob.Response:
        wanted = tags.check_tags(req.read_json(required=True))
        self._authorize(req, 'update', collection, resource_id)
        return wsgi.json_response(200, {'tags': self._networks.replace_tags(
            req.context, collection, resource_id, wanted)})

    def update(self, req: wsgi.Request, collection: str, resource_id: str,
               tag: str) -> webob.Response:
        tags.check_tag(tag)
        self._authorize(req, 'update', collection, resource_id)
        self._networks.add_tag(req.context, collection, resource_id, tag)
        return wsgi.json_response(201)

    def delete_all(self, req: wsgi.Request, collection: str,
                   resource_id: str) -> webob.Response:
        self._authorize(req, 'delete', collection, resource_id)
        self._networks.remove_tags(req.context, collection, resource_id)
        return wsgi.json_response(204)

    def delete(self, req: wsgi.Request, collection: str, resource_id: str,
               tag: str) -> webob.Response:
        tags.check_tag(tag)
        self._authorize(req, 'delete', collection, resource_id)
        self._networks.remove_tag(req.context, collection, resource_id, tag)
        return wsgi.json_response(204)
