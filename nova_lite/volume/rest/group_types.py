"""``/v3/{project_id}/group_types``: group types and their group specs (3.11+).

Listing and showing are open to every project reader (private types only to
admins); creating, updating, deleting and the ``group_specs`` routes are
admin-only, as in cinder. A type body carries ``group_specs`` only for callers
the policy lets see them. Below microversion 3.11 every route is a 404.
"""

from __future__ import annotations

from typing import Any

import webob
from oslo_utils import strutils

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.volume import group_types
from nova_lite.volume.rest import listing, min_version, policies, scope

_NAME = {'type': 'string', 'minLength': 1, 'maxLength': 255, 'pattern': r'\S'}
_DESCRIPTION = {'type': ['string', 'null'], 'maxLength': 255}
_PUBLIC = {'type': ['boolean', 'string']}
_SPECS: dict[str, Any] = {
    'type': 'object', 'maxProperties': 128,
    'propertyNames': {'minLength': 1, 'maxLength': 255},
    'additionalProperties': {'type': 'string', 'maxLength': 255},
}
CREATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'group_type': {
        'type': 'object',
        'properties': {'name': _NAME, 'description': _DESCRIPTION, 'is_public': _PUBLIC,
                       'group_specs': _SPECS},
        'required': ['name'],
        'additionalProperties': False,
    }},
    'required': ['group_type'],
    'additionalProperties': False,
}
UPDATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'group_type': {
        'type': 'object',
        'properties': {'name': {**_NAME, 'type': ['string', 'null']},
                       'description': _DESCRIPTION, 'is_public': _PUBLIC},
        'minProperties': 1,
        'additionalProperties': False,
    }},
    'required': ['group_type'],
    'additionalProperties': False,
}
SPECS: dict[str, Any] = {
    'type': 'object',
    'properties': {'group_specs': {**_SPECS, 'minProperties': 1}},
    'required': ['group_specs'],
    'additionalProperties': False,
}
SPEC_ITEM: dict[str, Any] = {**_SPECS, 'minProperties': 1, 'maxProperties': 1}
LIST_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'is_public': {'type': 'string', 'maxLength': 16},
        'sort': {'type': 'string', 'maxLength': 255},
        'sort_key': {'type': 'string', 'maxLength': 255},
        'sort_dir': {'enum': ['asc', 'desc']},
    },
}
SORT_KEYS = ('id', 'name', 'description', 'is_public')


def parse_is_public(value: Any, field: str) -> bool | None:
    """Cinder's ``is_public``: a boolean (string); ``none`` means either (None)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() == 'none':
        return None
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as exc:
        raise exception.InvalidInput(field=field,
                                     reason=f'{value!r} is not a boolean') from exc


class GroupTypesController(scope.VolumeController):
    """Group types through the volume manager's group type store."""

    @property
    def _store(self) -> group_types.GroupTypes:
        return self._services.volumes.group_types

    def _ctx(self, req: wsgi.Request, project_id: str,
             rule: str | None) -> nl_context.RequestContext:
        min_version.require(req, min_version.GROUP_TYPES)
        if rule is None:  # readable by every caller of the project
            return scope.project_context(req, project_id, self._services.identity)
        return self._context(req, project_id, rule)

    def _shown(self, ctx: nl_context.RequestContext, kind: dict[str, Any]) -> dict[str, Any]:
        if self.authorizer.allowed(ctx, policies.GROUP_TYPE_SPECS_ACCESS):
            return kind
        return {key: value for key, value in kind.items() if key != 'group_specs'}

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, None)
        wanted = controller.read_query(req, LIST_QUERY)
        is_public = (parse_is_public(wanted['is_public'], 'is_public')
                     if 'is_public' in wanted else True)
        found = self._store.list_types(ctx, is_public=is_public if ctx.is_admin else True)
        if any(key in wanted for key in ('sort', 'sort_key', 'sort_dir')):
            found = listing.sorted_items(found, wanted, SORT_KEYS)
        return wsgi.json_response(200, {'group_types': [self._shown(ctx, kind)
                                                        for kind in found]})

    def show(self, req: wsgi.Request, project_id: str, group_type_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, None)
        return wsgi.json_response(200, {'group_type': self._shown(
            ctx, self._store.get(ctx, group_type_id))})

    def default(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, None)
        return wsgi.json_response(200, {'group_type': self._shown(
            ctx, self._store.get_default(ctx))})

    def create(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_TYPES_CREATE)
        spec: dict[str, Any] = controller.read_body(req, CREATE)['group_type']
        is_public = parse_is_public(spec.get('is_public', True), 'group_type.is_public')
        created = self._store.create(
            ctx, spec['name'].strip(), description=spec.get('description'),
            is_public=True if is_public is None else is_public,
            group_specs=spec.get('group_specs'))
        return wsgi.json_response(202, {'group_type': created})

    def update(self, req: wsgi.Request, project_id: str, group_type_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_TYPES_UPDATE)
        spec: dict[str, Any] = dict(controller.read_body(req, UPDATE)['group_type'])
        if 'is_public' in spec:
            spec['is_public'] = parse_is_public(spec['is_public'], 'group_type.is_public')
        if isinstance(spec.get('name'), str):
            spec['name'] = spec['name'].strip()
        updated = self._store.update(ctx, group_type_id, spec)
        return wsgi.json_response(200, {'group_type': updated})

    def delete(self, req: wsgi.Request, project_id: str, group_type_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_TYPES_DELETE)
        self._store.delete(ctx, group_type_id)
        return wsgi.json_response(202)

    # -- group_specs ---------------------------------------------------------

    def specs_index(self, req: wsgi.Request, project_id: str,
                    group_type_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_TYPE_SPECS_GET_ALL)
        return wsgi.json_response(200, {'group_specs': self._store.specs(ctx, group_type_id)})

    def specs_create(self, req: wsgi.Request, project_id: str,
                     group_type_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_TYPE_SPECS_CREATE)
        values = controller.read_body(req, SPECS)['group_specs']
        return wsgi.json_response(202, {'group_specs': self._store.set_specs(
            ctx, group_type_id, values)})

    def specs_show(self, req: wsgi.Request, project_id: str, group_type_id: str,
                   key: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_TYPE_SPECS_GET)
        specs = self._store.specs(ctx, group_type_id)
        if key not in specs:
            raise group_types.GroupTypeSpecNotFound(id=group_type_id, key=key)
        return wsgi.json_response(200, {key: specs[key]})

    def specs_update(self, req: wsgi.Request, project_id: str, group_type_id: str,
                     key: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_TYPE_SPECS_UPDATE)
        body: dict[str, str] = controller.read_body(req, SPEC_ITEM)
        if list(body) != [key]:
            raise exception.InvalidInput(field=key,
                                         reason='the body must hold exactly the key in the URL')
        return wsgi.json_response(200, self._store.set_specs(ctx, group_type_id, body))

    def specs_delete(self, req: wsgi.Request, project_id: str, group_type_id: str,
                     key: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_TYPE_SPECS_DELETE)
        self._store.delete_spec(ctx, group_type_id, key)
        return wsgi.json_response(202)


def routes(kinds: GroupTypesController) -> list[routing.Route]:
    """The group type routes (``/group_types/default`` before its ``{id}`` sibling)."""
    specs = '/group_types/{group_type_id}/group_specs'
    return [
        ('GET', '/group_types/default', kinds.default),
        *routing.crud('/group_types', 'group_type_id', kinds),
        ('GET', specs, kinds.specs_index),
        ('POST', specs, kinds.specs_create),
        ('GET', specs + '/{key}', kinds.specs_show),
        ('PUT', specs + '/{key}', kinds.specs_update),
        ('DELETE', specs + '/{key}', kinds.specs_delete),
    ]
