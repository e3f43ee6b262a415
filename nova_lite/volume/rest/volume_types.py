"""The volume type routes: ``/types``, their extra specs and project access.

Listing and showing follow the caller's visibility (private types only for
admins and the projects given access); everything else is admin-only by
policy, as in cinder.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.volume.rest import policies, scope

_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': r'\S'}
_DESCRIPTION = {'type': ['string', 'null'], 'maxLength': 255}
_BOOL = {'type': ['boolean', 'string'], 'enum': [True, False, 'true', 'false', 'True',
                                                  'False']}
_SPECS = {'type': 'object', 'maxProperties': 128,
          'propertyNames': {'minLength': 1, 'maxLength': 255},
          'additionalProperties': {'type': 'string', 'maxLength': 255}}
PUBLIC = 'os-volume-type-access:is_public'

CREATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'volume_type': {
        'type': 'object',
        'properties': {'name': _NAME, 'description': _DESCRIPTION, PUBLIC: _BOOL,
                       'extra_specs': _SPECS},
        'required': ['name'],
    }},
    'required': ['volume_type'],
}
UPDATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'volume_type': {
        'type': 'object',
        'properties': {'name': _NAME, 'description': _DESCRIPTION, 'is_public': _BOOL},
        'minProperties': 1,
    }},
    'required': ['volume_type'],
}
EXTRA_SPECS: dict[str, Any] = {
    'type': 'object', 'properties': {'extra_specs': {**_SPECS, 'minProperties': 1}},
    'required': ['extra_specs'],
}
ONE_SPEC: dict[str, Any] = {**_SPECS, 'minProperties': 1, 'maxProperties': 1}
_PROJECT = {'type': 'object', 'properties': {'project': {'type': 'string', 'minLength': 1,
                                                         'maxLength': 255}},
            'required': ['project']}
ACTION: dict[str, Any] = {
    'type': 'object',
    'properties': {'addProjectAccess': _PROJECT, 'removeProjectAccess': _PROJECT},
    'minProperties': 1, 'maxProperties': 1, 'additionalProperties': False,
}
LIST_QUERY: dict[str, Any] = {'type': 'object', 'properties': {
    'is_public': {'type': 'string', 'enum': ['true', 'false', 'True', 'False', 'None',
                                             'none', 'all']}}}


def _flag(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    return str(value).lower() == 'true'


class VolumeTypesController(scope.VolumeController):
    """Volume types through the volume manager's type store."""

    # -- types -------------------------------------------------------------

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPES)
        wanted = controller.read_query(req, LIST_QUERY)
        raw = wanted.get('is_public', 'true' if not ctx.is_admin else 'None')
        is_public = None if raw.lower() in ('none', 'all') else _flag(raw)
        if not ctx.is_admin:
            is_public = None  # a project sees public types and those shared with it
        types = self._services.volumes.types.list_types(ctx, is_public)
        return wsgi.json_response(200, {'volume_types': [self._trim(ctx, t) for t in types]})

    def show(self, req: wsgi.Request, project_id: str, type_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPES)
        volume_type = self._services.volumes.types.get(ctx, type_id)
        return wsgi.json_response(200, {'volume_type': self._trim(ctx, volume_type)})

    def _trim(self, ctx: nl_context.RequestContext,
              volume_type: dict[str, Any]) -> dict[str, Any]:
        """As cinder: qos_specs_id only for those its policy lets see it (admins)."""
        if not self.authorizer.allowed(ctx, policies.TYPE_QOS_ID):
            volume_type.pop('qos_specs_id', None)
        return volume_type

    def create(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPES_MANAGE)
        spec = controller.read_body(req, CREATE)['volume_type']
        name = spec['name'].strip()
        created = self._services.volumes.types.create(
            ctx, name, description=spec.get('description'),
            is_public=_flag(spec.get(PUBLIC, True)) is not False,
            extra_specs=spec.get('extra_specs'))
        created.pop('qos_specs_id', None)  # cinder's create view has no qos_specs_id
        return wsgi.json_response(200, {'volume_type': created})

    def update(self, req: wsgi.Request, project_id: str, type_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPES_MANAGE)
        spec = dict(controller.read_body(req, UPDATE)['volume_type'])
        if 'is_public' in spec:
            spec['is_public'] = _flag(spec['is_public'])
        if 'name' in spec:
            spec['name'] = spec['name'].strip()
        updated = self._services.volumes.types.update(ctx, type_id, spec)
        # cinder's update view: no access flag, no qos_specs_id
        for key in (PUBLIC, 'qos_specs_id'):
            updated.pop(key, None)
        return wsgi.json_response(200, {'volume_type': updated})

    def delete(self, req: wsgi.Request, project_id: str, type_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPES_MANAGE)
        self._services.volumes.types.delete(ctx, type_id)
        return wsgi.json_response(202)

    # -- extra specs -------------------------------------------------------

    def list_specs(self, req: wsgi.Request, project_id: str,
                   type_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPE_EXTRA_SPECS)
        specs = self._services.volumes.types.extra_specs(ctx, type_id)
        return wsgi.json_response(200, {'extra_specs': specs})

    def create_specs(self, req: wsgi.Request, project_id: str,
                     type_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPE_EXTRA_SPECS)
        specs = controller.read_body(req, EXTRA_SPECS)['extra_specs']
        self._services.volumes.types.set_extra_specs(ctx, type_id, specs)
        return wsgi.json_response(200, {'extra_specs': specs})

    def show_spec(self, req: wsgi.Request, project_id: str, type_id: str,
                  key: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPE_EXTRA_SPECS)
        specs = self._services.volumes.types.extra_specs(ctx, type_id)
        if key not in specs:
            raise exception.NotFound(resource='Volume Type extra spec', id=key)
        return wsgi.json_response(200, {key: specs[key]})

    def update_spec(self, req: wsgi.Request, project_id: str, type_id: str,
                    key: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPE_EXTRA_SPECS)
        body = controller.read_body(req, ONE_SPEC)
        if key not in body:
            raise exception.InvalidInput(field=key, reason='the body must set the key '
                                                           'named in the URL')
        self._services.volumes.types.set_extra_specs(ctx, type_id, body)
        return wsgi.json_response(200, body)

    def delete_spec(self, req: wsgi.Request, project_id: str, type_id: str,
                    key: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPE_EXTRA_SPECS)
        self._services.volumes.types.delete_extra_spec(ctx, type_id, key)
        return wsgi.json_response(202)

    # -- project access ----------------------------------------------------

    def list_access(self, req: wsgi.Request, project_id: str,
                    type_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPE_ACCESS)
        access = self._services.volumes.types.access(ctx, type_id)
        return wsgi.json_response(200, {'volume_type_access': access})

    def action(self, req: wsgi.Request, project_id: str, type_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TYPE_ACCESS_MANAGE)
        body = controller.read_body(req, ACTION)
        ((name, spec),) = body.items()
        add = name == 'addProjectAccess'
        project = spec['project']
        self._services.volumes.types.set_access(ctx, type_id, project, add=add)
        return wsgi.json_response(202)


def routes(types: VolumeTypesController) -> list[routing.Route]:
    return [
        *routing.crud('/types', 'type_id', types),
        ('GET', '/types/{type_id}/extra_specs', types.list_specs),
        ('POST', '/types/{type_id}/extra_specs', types.create_specs),
        ('GET', '/types/{type_id}/extra_specs/{key}', types.show_spec),
        ('PUT', '/types/{type_id}/extra_specs/{key}', types.update_spec),
        ('DELETE', '/types/{type_id}/extra_specs/{key}', types.delete_spec),
        ('GET', '/types/{type_id}/os-volume-type-access', types.list_access),
        ('POST', '/types/{type_id}/action', types.action),
    ]
