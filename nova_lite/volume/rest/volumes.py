"""``/v3/{project_id}/volumes``: create, list, show, update and delete volumes."""

from __future__ import annotations

from typing import Any

import webob
from oslo_config import cfg
from oslo_utils import strutils

from nova_lite.api import policy, validation, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.volume.rest import policies, schemas, scope, views
from nova_lite.wiring import services as api_services

MAX_PAGE = 1000


def _text_field(spec: dict[str, Any], name: str) -> str | None:
    """``name``, or its pre-v2 alias ``display_name`` (null means absent)."""
    value = spec.get(name)
    return value if value is not None else spec.get(f'display_{name}')


class VolumesController:
    """The volume routes, acting through the volume manager."""

    def __init__(self, conf: cfg.ConfigOpts, services: api_services.ApiServices,
                 authorizer: policy.Authorizer, volume_views: views.VolumeViews) -> None:
        self._conf = conf
        self._services = services
        self._authorizer = authorizer
        self._views = volume_views

    def _context(self, req: wsgi.Request, project_id: str,
                 rule: str) -> nl_context.RequestContext:
        return scope.authorized_context(req, project_id, self._services.identity,
                                        self._authorizer, rule)

    def _allowed(self, ctx: nl_context.RequestContext, rule: str) -> bool:
        try:
            self._authorizer.authorize(ctx, rule, {'project_id': ctx.project_id or ''})
        except exception.Forbidden:
            return False
        return True

    def _detail(self, ctx: nl_context.RequestContext, volume: dict[str, Any],
                project_id: str) -> dict[str, Any]:
        return self._views.detail(volume, project_id, show_admin_fields=self._allowed(
            ctx, policies.HOST_ATTRIBUTE))

    @staticmethod
    def _volume_type(value: str | None) -> str | None:
        if value is None:
            return None
        if value in (views.DEFAULT_TYPE_NAME, views.DEFAULT_TYPE_ID):
            return views.DEFAULT_TYPE_NAME
        raise exception.NotFound(f'Volume type with name or id {value} could not be found.',
                                 resource='Volume type', id=value)

    def _checked_zone(self, value: str | None) -> str | None:
        if value is not None and value != self._conf.default_availability_zone:
            raise exception.InvalidInput(field='volume.availability_zone',
                                         reason=f'availability zone {value!r} is invalid')
        return value

    # -- routes ------------------------------------------------------------

    def create(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.CREATE)
        body = req.read_json()
        validation.validate(schemas.CREATE, body)
        spec: dict[str, Any] = body['volume']
        for field, source in schemas.UNSUPPORTED_SOURCES.items():
            if spec.get(field) is not None:
                raise exception.InvalidInput(
                    field=f'volume.{field}',
                    reason=f'creating a volume from {source} is not supported')
        if spec.get('multiattach'):
            raise exception.InvalidInput(field='volume.multiattach',
                                         reason='multiattach volumes are not supported')
        volume = self._services.volumes.create_volume(
            ctx, int(spec['size']), name=_text_field(spec, 'name'),
            description=_text_field(spec, 'description'), metadata=spec.get('metadata'),
            availability_zone=self._checked_zone(spec.get('availability_zone')),
            volume_type=self._volume_type(spec.get('volume_type')))
        return wsgi.json_response(202, {'volume': self._detail(ctx, volume, project_id)})

    def _listed(self, req: wsgi.Request, project_id: str,
                path_suffix: str) -> tuple[nl_context.RequestContext, dict[str, Any]]:
        ctx = self._context(req, project_id, policies.GET_ALL)
        try:
            params = dict(req.GET)
        except UnicodeDecodeError:
            raise exception.InvalidInput(field='<query>',
                                         reason='the query string is not UTF-8') from None
        query = {key: params[key] for key in schemas.LIST_PARAMS if key in params}
        validation.validate(schemas.LIST_QUERY, query)
        volumes = self._services.volumes.list_volumes(
            ctx, name=query.get('name'), status=query.get('status'))
        every_project = (strutils.bool_from_string(query.get('all_tenants', 'false'))
                         and self._allowed(ctx, policies.ALL_PROJECTS))
        owner = query.get('project_id') if every_project else ctx.project_id
        if owner is not None:
            volumes = [v for v in volumes if v['os-vol-tenant-attr:tenant_id'] == owner]
        if 'user_id' in query:
            volumes = [v for v in volumes if v['user_id'] == query['user_id']]
        if 'marker' in query:
            ids = [volume['id'] for volume in volumes]
            if query['marker'] not in ids:
                raise exception.InvalidInput(field='marker',
                                             reason=f'no volume {query["marker"]} listed')
            volumes = volumes[ids.index(query['marker']) + 1:]
        result: dict[str, Any] = {'volumes': volumes}
        if 'limit' in query:
            limit = min(int(query['limit']), MAX_PAGE)
            result['volumes'] = volumes[:limit]
            more = 0 < limit < len(volumes)
            result['volumes_links'] = (self._views.next_link(
                project_id, path_suffix, params, volumes[limit - 1]['id'])
                if more else [])
        return ctx, result

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        _, result = self._listed(req, project_id, '')
        result['volumes'] = [self._views.summary(v, project_id) for v in result['volumes']]
        return wsgi.json_response(200, result)

    def detail(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx, result = self._listed(req, project_id, '/detail')
        result['volumes'] = [self._detail(ctx, v, project_id) for v in result['volumes']]
        return wsgi.json_response(200, result)

    def show(self, req: wsgi.Request, project_id: str, volume_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.GET)
        volume = self._services.volumes.get_volume(ctx, volume_id)
        return wsgi.json_response(200, {'volume': self._detail(ctx, volume, project_id)})

    def update(self, req: wsgi.Request, project_id: str, volume_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.UPDATE)
        body = req.read_json()
        validation.validate(schemas.UPDATE, body)
        spec: dict[str, Any] = body['volume']
        changes = {key.removeprefix('display_'): value for key, value in spec.items()
                   if key.startswith('display_')}
        changes.update({key: value for key, value in spec.items()
                        if not key.startswith('display_')})
        volume = self._services.volumes.update_volume(ctx, volume_id, changes)
        return wsgi.json_response(200, {'volume': self._detail(ctx, volume, project_id)})

    def delete(self, req: wsgi.Request, project_id: str, volume_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.DELETE)
        self._services.volumes.delete_volume(ctx, volume_id)
        return wsgi.json_response(202)
