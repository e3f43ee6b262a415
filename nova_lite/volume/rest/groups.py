"""``/v3/{project_id}/groups``: generic volume groups (microversion 3.13+).

Create, list, show and update (name, description, ``add_volumes`` and
``remove_volumes``, each a comma-separated list of volume ids) are project
routes; ``POST /groups/{id}/action`` deletes (``delete``, with
``delete-volumes``) or, for admins from 3.20, resets the status
(``reset_status``); ``POST /groups/action`` with ``create-from-src`` (3.14+)
makes a group from a group snapshot or another group. Bodies carry
``project_id`` from 3.58, as in cinder.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, query, routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.volume import groups
from nova_lite.volume.rest import min_version, policies, scope

LIST_VOLUME_VERSION = (3, 25)
REPLICATION_VERSION = (3, 38)
PROJECT_ID_VERSION = (3, 58)
REPLICATION_DISABLED = 'disabled'
_TEXT: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 255}
_ID: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_ID_LIST: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 65535}

CREATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'group': {
        'type': 'object',
        'properties': {
            'group_type': _ID,
            'volume_types': {'type': 'array', 'minItems': 1, 'maxItems': 64,
                             'items': _ID},
            'name': _TEXT, 'description': _TEXT, 'availability_zone': _TEXT,
        },
        'required': ['group_type', 'volume_types'],
        'additionalProperties': False,
    }},
    'required': ['group'],
    'additionalProperties': False,
}
UPDATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'group': {
        'type': 'object',
        'properties': {'name': _TEXT, 'description': _TEXT,
                       'add_volumes': _ID_LIST, 'remove_volumes': _ID_LIST},
        'minProperties': 1,
        'additionalProperties': False,
    }},
    'required': ['group'],
    'additionalProperties': False,
}
CREATE_FROM_SRC: dict[str, Any] = {
    'type': 'object',
    'properties': {'create-from-src': {
        'type': 'object',
        'properties': {'group_snapshot_id': {**_ID, 'type': ['string', 'null']},
                       'source_group_id': {**_ID, 'type': ['string', 'null']},
                       'name': _TEXT, 'description': _TEXT},
        'additionalProperties': False,
    }},
    'required': ['create-from-src'],
    'additionalProperties': False,
}
ACTION: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'delete': {'type': ['object', 'null'],
                   'properties': {'delete-volumes': {'type': ['boolean', 'string']}},
                   'additionalProperties': False},
        'reset_status': {'type': 'object',
                         'properties': {'status': {'type': 'string', 'maxLength': 32}},
                         'required': ['status'], 'additionalProperties': False},
    },
    'minProperties': 1, 'maxProperties': 1,
    'additionalProperties': False,
}
LIST_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {'all_tenants': {'type': 'string', 'maxLength': 16},
                   'project_id': {'type': 'string', 'maxLength': 64}},
}
SHOW_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {'list_volume': {'type': 'string', 'maxLength': 16}},
}


def id_list(value: str | None) -> list[str]:
    """The ids of a comma-separated ``add_volumes`` / ``remove_volumes`` value."""
    return [item.strip() for item in (value or '').split(',') if item.strip()]


def visible_body(req: wsgi.Request, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` without ``project_id`` below 3.58."""
    if min_version.at_least(req, PROJECT_ID_VERSION):
        return body
    return {key: value for key, value in body.items() if key != 'project_id'}


def group_body(req: wsgi.Request, group: dict[str, Any]) -> dict[str, Any]:
    """A group as the request's microversion shows it: member ``volumes`` only from
    3.25 with ``list_volume=true``, ``replication_status`` from 3.38."""
    body = visible_body(req, group)
    wanted = controller.read_query(req, SHOW_QUERY)
    listed = (min_version.at_least(req, LIST_VOLUME_VERSION)
              and query.flag(wanted, 'list_volume', query.CINDER_BOOLEAN))
    if not listed:
        body = {key: value for key, value in body.items() if key != 'volumes'}
    if min_version.at_least(req, REPLICATION_VERSION):
        body['replication_status'] = REPLICATION_DISABLED
    return body


class GroupsController(scope.VolumeController):
    """The group routes, acting through the volume manager's groups."""

    @property
    def _groups(self) -> groups.VolumeGroups:
        return self._services.volumes.groups

    def _ctx(self, req: wsgi.Request, project_id: str, rule: str,
             version: tuple[int, int] = min_version.GROUPS) -> nl_context.RequestContext:
        min_version.require(req, version)
        return self._context(req, project_id, rule)

    def create(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_CREATE)
        spec: dict[str, Any] = controller.read_body(req, CREATE)['group']
        created = self._groups.create(
            ctx, spec['group_type'], spec['volume_types'], name=spec.get('name'),
            description=spec.get('description'),
            availability_zone=spec.get('availability_zone'))
        return wsgi.json_response(202, {'group': {'id': created['id'],
                                                  'name': created['name']}})

    def _listed(self, req: wsgi.Request, project_id: str) -> list[dict[str, Any]]:
        ctx = self._ctx(req, project_id, policies.GROUP_GET_ALL)
        wanted = controller.read_query(req, LIST_QUERY)
        every_project = (query.flag(wanted, 'all_tenants', query.CINDER_BOOLEAN)
                         and self.authorizer.allowed(ctx, policies.ALL_PROJECTS))
        found = self._groups.list_groups(
            ctx, project_id=wanted.get('project_id') if every_project else ctx.project_id)
        found.reverse()  # newest first, as cinder
        return found

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return wsgi.json_response(200, {'groups': [
            {'id': group['id'], 'name': group['name']}
            for group in self._listed(req, project_id)]})

    def detail(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return wsgi.json_response(200, {'groups': [
            group_body(req, group) for group in self._listed(req, project_id)]})

    def show(self, req: wsgi.Request, project_id: str, group_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_GET)
        return wsgi.json_response(200, {'group': group_body(
            req, self._groups.get(ctx, group_id))})

    def update(self, req: wsgi.Request, project_id: str, group_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_UPDATE)
        spec: dict[str, Any] = controller.read_body(req, UPDATE)['group']
        add, remove = id_list(spec.get('add_volumes')), id_list(spec.get('remove_volumes'))
        changes: dict[str, Any] = {key: spec[key] for key in ('name', 'description')
                                   if key in spec}
        if not (changes or add or remove):
            raise exception.InvalidInput(
                field='group', reason='name, description, add_volumes and remove_volumes '
                                      'cannot all be empty')
        overlap = sorted(set(add) & set(remove))
        if overlap:
            raise exception.InvalidInput(field='group.add_volumes',
                                         reason=f'volume {overlap[0]} is also in '
                                                'remove_volumes')
        self._groups.update(ctx, group_id, changes=changes, add_volumes=add,
                            remove_volumes=remove)
        return wsgi.json_response(202)

    def create_from_src(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_CREATE_FROM_SRC,
                        min_version.GROUP_SNAPSHOTS)
        spec: dict[str, Any] = controller.read_body(req, CREATE_FROM_SRC)['create-from-src']
        created = self._groups.create_from_source(
            ctx, group_snapshot_id=spec.get('group_snapshot_id'),
            source_group_id=spec.get('source_group_id'), name=spec.get('name'),
            description=spec.get('description'))
        return wsgi.json_response(202, {'group': {'id': created['id'],
                                                  'name': created['name']}})

    def action(self, req: wsgi.Request, project_id: str, group_id: str) -> webob.Response:
        min_version.require(req, min_version.GROUPS)
        body: dict[str, Any] = controller.read_body(req, ACTION)
        if 'reset_status' in body:
            ctx = self._ctx(req, project_id, policies.GROUP_RESET_STATUS,
                            min_version.GROUP_RESET_STATUS)
            self._groups.reset_status(ctx, group_id, body['reset_status']['status'])
            return wsgi.json_response(202)
        ctx = self._ctx(req, project_id, policies.GROUP_DELETE)
        flag = (body['delete'] or {}).get('delete-volumes', False)
        delete_volumes = (query.parse_bool(flag, 'delete.delete-volumes',
                                           query.NEUTRON_BOOLEAN)
                          if isinstance(flag, str) else bool(flag))
        self._groups.delete(ctx, group_id, delete_volumes=delete_volumes)
        return wsgi.json_response(202)


def routes(grps: GroupsController) -> list[routing.Route]:
    """The group routes (``/groups/detail`` before its ``{group_id}`` sibling)."""
    return [
        ('GET', '/groups/detail', grps.detail),
        ('POST', '/groups/action', grps.create_from_src),
        *routing.crud('/groups', 'group_id', grps),
        ('POST', '/groups/{group_id}/action', grps.action),
    ]
