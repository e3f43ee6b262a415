"""``/v3/projects/{project_id}/tags``: list, replace, delete all; one tag's
add (201), check (GET/HEAD, 204) and delete."""

from __future__ import annotations

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, schemas

TAG_PATH = '/v3/projects/{project_id}/tags/{tag}'
TAGS_BODY = {'type': 'object', 'required': ['tags'], 'additionalProperties': False,
             'properties': {'tags': schemas.TAGS}}


class ProjectTagController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('GET', '/v3/projects/{project_id}/tags', self.index),
            ('PUT', '/v3/projects/{project_id}/tags', self.replace),
            ('DELETE', '/v3/projects/{project_id}/tags', self.delete_all),
            ('PUT', TAG_PATH, self.add),
            ('GET', TAG_PATH, self.check),
            ('HEAD', TAG_PATH, self.check),
            ('DELETE', TAG_PATH, self.delete),
        ]

    def _authorize(self, req: wsgi.Request, rule: str, project_id: str) -> None:
        ctx = req.context
        try:
            self._api.identity.get_project(project_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='Project', id=project_id) from None
        target = {'project_id': project_id,
                  'caller_has_role': str(self._api.has_role(ctx.user_id, project_id))}
        if not self._api.authorizer.allowed(ctx, 'identity:get_project_tags', target):
            raise exception.NotFound(resource='Project', id=project_id)
        self.authorizer.authorize(ctx, rule, target)

    def _tags_response(self, status: int, project_id: str) -> webob.Response:
        return wsgi.json_response(status, {'tags': self._api.admin.tags.list_tags(project_id)})

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self._authorize(req, 'identity:get_project_tags', project_id)
        return self._tags_response(200, project_id)

    def replace(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self._authorize(req, 'identity:update_project_tags', project_id)
        tags = controller.read_body(req, TAGS_BODY)['tags']
        self._api.admin.tags.set_tags(project_id, tags)
        return self._tags_response(200, project_id)

    def delete_all(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self._authorize(req, 'identity:update_project_tags', project_id)
        self._api.admin.tags.set_tags(project_id, [])
        return wsgi.json_response(204)

    def add(self, req: wsgi.Request, project_id: str, tag: str) -> webob.Response:
        self._authorize(req, 'identity:update_project_tags', project_id)
        self._api.admin.tags.add_tag(project_id, tag)
        return wsgi.json_response(
            201, headers={'Location': f'{self._api.v3_url}/projects/{project_id}/tags/{tag}'})

    def check(self, req: wsgi.Request, project_id: str, tag: str) -> webob.Response:
        self._authorize(req, 'identity:get_project_tags', project_id)
        if not self._api.admin.tags.has_tag(project_id, tag):
            raise exception.NotFound(resource='Tag', id=tag)
        return wsgi.json_response(204)

    def delete(self, req: wsgi.Request, project_id: str, tag: str) -> webob.Response:
        self._authorize(req, 'identity:update_project_tags', project_id)
        self._api.admin.tags.delete_tag(project_id, tag)
        return wsgi.json_response(204)
