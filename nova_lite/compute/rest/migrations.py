"""``GET /os-migrations`` (admin): the resizes of servers, as Nova lists its migrations;
``GET /servers/{id}/migrations`` (2.23): a server's live migrations in progress
(always none here: nova_lite does no live migration)."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import action_policies, base
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import Version, api_version

_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {name: {'type': 'string'} for name in (
        'host', 'status', 'instance_uuid', 'migration_type', 'source_compute', 'user_id',
        'project_id', 'hidden')},
}


def _type_id(flavor_id: str) -> int | None:
    """Nova shows a flavor's integer (database) id; nova_lite's numeric flavor ids
    are shown as it, others as null."""
    return int(flavor_id) if flavor_id.isdigit() else None


def migration_view(migration: dict[str, Any], version: Version) -> dict[str, Any]:
    body: dict[str, Any] = {
        'id': migration['id'], 'status': migration['status'],
        'instance_uuid': migration['instance_uuid'],
        'source_node': migration['source_compute'],
        'source_compute': migration['source_compute'],
        'dest_node': migration['dest_compute'], 'dest_compute': migration['dest_compute'],
        'dest_host': None,
        'old_instance_type_id': _type_id(migration['old_flavor_id']),
        'new_instance_type_id': _type_id(migration['new_flavor_id']),
        'created_at': migration['created_at'], 'updated_at': migration['updated_at'],
    }
    if version >= changes.MIGRATION_TYPE:
        body['migration_type'] = migration['migration_type']
    if version >= changes.MIGRATION_UUID:
        body['uuid'] = migration['uuid']
    if version >= changes.MIGRATION_USER_PROJECT:
        body['user_id'] = migration['user_id']
        body['project_id'] = migration['project_id']
    return body


class MigrationsHandler(base.ComputeController):
    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-migrations', self.index),
                ('GET', '/servers/{server_id}/migrations', self.server_migrations)]

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, action_policies.MIGRATIONS_INDEX)
        params = controller.read_query(req, _QUERY)
        version = api_version(req)
        store = self._rest.services.migrations
        found = [] if store is None else store.list(
            instance_id=params.get('instance_uuid'), status=params.get('status'),
            host=params.get('host') or params.get('source_compute'),
            migration_type=(params.get('migration_type')
                            if version >= changes.MIGRATION_TYPE else None),
            project_id=(params.get('project_id')
                        if version >= changes.MIGRATION_USER_PROJECT else None))
        if version >= changes.MIGRATION_USER_PROJECT and params.get('user_id'):
            found = [m for m in found if m['user_id'] == params['user_id']]
        return wsgi.json_response(200, {'migrations': [migration_view(m, version)
                                                       for m in found]})

    def server_migrations(self, req: wsgi.Request, server_id: str) -> webob.Response:
        if api_version(req) < changes.MIGRATION_TYPE:
            raise exception.NotFound(resource='Resource', id=req.path)
        ctx = req.context
        instance = self._rest.services.compute_api.get_server(ctx, server_id)
        self.authorizer.authorize(ctx, action_policies.SERVER_MIGRATIONS_INDEX,
                                  project_id=instance['project_id'])
        return wsgi.json_response(200, {'migrations': []})
