"""``/v3/{project_id}/group_snapshots``: snapshots of whole volume groups (3.14+).

Create, list, show and delete are project routes; ``POST
/group_snapshots/{id}/action`` with ``reset_status`` is an admin's, from
3.19. Bodies carry ``project_id`` from 3.58, as in cinder.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, query, routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.volume import group_snapshots
from nova_lite.volume.rest import min_version, policies, scope
from nova_lite.volume.rest.groups import LIST_QUERY, visible_body

_TEXT: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 255}
CREATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'group_snapshot': {
        'type': 'object',
        'properties': {'group_id': {'type': 'string', 'minLength': 1, 'maxLength': 255},
                       'name': _TEXT, 'description': _TEXT},
        'required': ['group_id'],
        'additionalProperties': False,
    }},
    'required': ['group_snapshot'],
    'additionalProperties': False,
}
ACTION: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'reset_status': {'type': 'object',
                         'properties': {'status': {'type': 'string', 'maxLength': 32}},
                         'required': ['status'], 'additionalProperties': False},
    },
    'required': ['reset_status'],
    'additionalProperties': False,
}


class GroupSnapshotsController(scope.VolumeController):
    """The group snapshot routes, acting through the volume manager."""

    @property
    def _store(self) -> group_snapshots.GroupSnapshots:
        return self._services.volumes.group_snapshots

    def _ctx(self, req: wsgi.Request, project_id: str, rule: str,
             version: tuple[int, int] = min_version.GROUP_SNAPSHOTS
             ) -> nl_context.RequestContext:
        min_version.require(req, version)
        return self._context(req, project_id, rule)

    def create(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_SNAPSHOT_CREATE)
        spec: dict[str, Any] = controller.read_body(req, CREATE)['group_snapshot']
        created = self._store.create(ctx, spec['group_id'], name=spec.get('name'),
                                     description=spec.get('description'))
        return wsgi.json_response(202, {'group_snapshot': {
            key: created[key] for key in ('id', 'name', 'group_type_id')}})

    def _listed(self, req: wsgi.Request, project_id: str) -> list[dict[str, Any]]:
        ctx = self._ctx(req, project_id, policies.GROUP_SNAPSHOT_GET_ALL)
        wanted = controller.read_query(req, LIST_QUERY)
        every_project = (query.flag(wanted, 'all_tenants', query.CINDER_BOOLEAN)
                         and self.authorizer.allowed(ctx, policies.ALL_PROJECTS))
        found = self._store.list_group_snapshots(
            ctx, project_id=wanted.get('project_id') if every_project else ctx.project_id)
        found.reverse()  # newest first, as cinder
        return found

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return wsgi.json_response(200, {'group_snapshots': [
            {'id': snap['id'], 'name': snap['name']}
            for snap in self._listed(req, project_id)]})

    def detail(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return wsgi.json_response(200, {'group_snapshots': [
            visible_body(req, snap) for snap in self._listed(req, project_id)]})

    def show(self, req: wsgi.Request, project_id: str,
             group_snapshot_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_SNAPSHOT_GET)
        return wsgi.json_response(200, {'group_snapshot': visible_body(
            req, self._store.get(ctx, group_snapshot_id))})

    def delete(self, req: wsgi.Request, project_id: str,
               group_snapshot_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_SNAPSHOT_DELETE)
        self._store.delete(ctx, group_snapshot_id)
        return wsgi.json_response(202)

    def action(self, req: wsgi.Request, project_id: str,
               group_snapshot_id: str) -> webob.Response:
        ctx = self._ctx(req, project_id, policies.GROUP_SNAPSHOT_RESET_STATUS,
                        min_version.GROUP_SNAPSHOT_RESET_STATUS)
        body: dict[str, Any] = controller.read_body(req, ACTION)
        self._store.reset_status(ctx, group_snapshot_id, body['reset_status']['status'])
        return wsgi.json_response(202)


def routes(snaps: GroupSnapshotsController) -> list[routing.Route]:
    """The group snapshot routes (``detail`` before its ``{group_snapshot_id}`` sibling)."""
    return [
        ('GET', '/group_snapshots/detail', snaps.detail),
        *routing.crud('/group_snapshots', 'group_snapshot_id', snaps),
        ('POST', '/group_snapshots/{group_snapshot_id}/action', snaps.action),
    ]
