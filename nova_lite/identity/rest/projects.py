"""``/v3/projects``: create, list, show, update, delete; a user's projects.

Lists take keystone's filters: ``name``, ``domain_id``, ``enabled``,
``parent_id`` (project_hierarchy.py) and the tag filters ``tags``, ``tags-any``, ``not-tags``,
``not-tags-any``. Domains appear as projects with ``is_domain`` true
(domain_projects.py).

A project the caller may not see is answered 404, like an unknown one, so
``GET /v3/projects/<name>`` (the clients' name lookup) is always a 404.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity import bootstrap, project_tags
from nova_lite.identity.rest import common, domain_projects, schemas, views

_FILTERS = common.filters_of('name', 'domain_id', 'enabled', 'parent_id')


class ProjectController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('POST', '/v3/projects', self.create),
            ('GET', '/v3/projects', self.index),
            ('GET', '/v3/projects/{project_id}', self.show),
            ('PATCH', '/v3/projects/{project_id}', self.update),
            ('DELETE', '/v3/projects/{project_id}', self.delete),
            ('GET', '/v3/users/{user_id}/projects', self.user_projects),
        ]

    def __init__(self, api: common.IdentityApi) -> None:
        super().__init__(api)
        self._domains = domain_projects.DomainProjects(api)

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        return {'project': views.project(self._api.v3_url, record)}

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'identity:create_project')
        spec = controller.read_body(req, schemas.PROJECT_CREATE)['project']
        if spec.get('is_domain'):
            return wsgi.json_response(201, self._view(self._domains.create(spec)))
        record = self._api.admin.projects.create_project(
            spec['name'], spec.get('domain_id'), description=spec.get('description') or '',
            enabled=spec.get('enabled', True) is not False, tags=spec.get('tags'),
            parent_id=spec.get('parent_id'),
            default_domain_id=(getattr(ctx, 'project_domain_id', None)
                               or bootstrap.DEFAULT_DOMAIN_ID))
        return wsgi.json_response(201, self._view(record))

    def _listed(self, req: wsgi.Request, records: list[dict[str, Any]]) -> webob.Response:
        """``records`` with their tags, filtered by the query (tags filters too)."""
        params = controller.read_query(req, schemas.PROJECT_QUERY)
        records = common.filtered(self._api.admin.hierarchy.with_parents(records), params,
                                  _FILTERS)
        tags = self._api.admin.tags.tags_by_project(r['id'] for r in records)
        records = [{**r, 'tags': tags.get(r['id'], [])} for r in records]
        records = [r for r in records if project_tags.matches(r['tags'], params)]
        return wsgi.json_response(200, views.collection(
            'projects', [views.project(self._api.v3_url, r) for r in records],
            common.self_url(req, self._api)))

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_projects')
        if common.flag(req, 'is_domain'):
            return self._listed(req, self._domains.listing())
        return self._listed(req, self._api.identity.list_projects())

    def _visible(self, req: wsgi.Request, project_id: str) -> dict[str, Any]:
        ctx = req.context
        try:
            record = self._api.identity.get_project(project_id)
        except exception.InvalidInput:  # not an id at all: not found either
            raise exception.NotFound(resource='Project', id=project_id) from None
        except exception.NotFound:
            domain = self._domains.find(project_id)
            if domain is None or not self.authorizer.allowed(ctx, 'identity:list_projects'):
                raise
            return domain
        target = {'project_id': record['id'],
                  'caller_has_role': str(self._api.has_role(ctx.user_id, record['id']))}
        if not self.authorizer.allowed(ctx, 'identity:get_project', target):
            raise exception.NotFound(resource='Project', id=project_id)
        (record,) = self._api.admin.hierarchy.with_parents([record])
        return {**record, 'tags': self._api.admin.tags.list_tags(record['id'])}

    def show(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return wsgi.json_response(200, self._view(self._visible(req, project_id)))

    def update(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_project')
        spec = controller.read_body(req, schemas.PROJECT_UPDATE)['project']
        if self._visible(req, project_id).get('is_domain'):
            return wsgi.json_response(200, self._view(self._domains.update(project_id, spec)))
        record = self._api.admin.projects.update_project(project_id, spec)
        return wsgi.json_response(200, self._view(record))

    def delete(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_project')
        if self._visible(req, project_id).get('is_domain'):
            self._api.admin.domains.delete_domain(project_id,
                                                  protected=(bootstrap.DEFAULT_DOMAIN_ID,))
            return wsgi.json_response(204)
        self._api.admin.hierarchy.check_leaf(project_id)
        self._api.identity.delete_project(project_id)
        return wsgi.json_response(204)

    def user_projects(self, req: wsgi.Request, user_id: str) -> webob.Response:
        ctx = req.context
        if not self.authorizer.allowed(ctx, 'identity:list_user_projects', {'user_id': user_id}):
            raise exception.NotFound(resource='User', id=user_id)
        try:
            self._api.identity.get_user(user_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='User', id=user_id) from None
        return self._listed(req, self._api.identity.list_projects(user_id=user_id))
