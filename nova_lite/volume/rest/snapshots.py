"""``/v3/{project_id}/snapshots``: volume snapshots and their metadata (cinder v3.0).

Create and update answer cinder's plain snapshot body; show and the detail
list add the ``os-extended-snapshot-attributes`` fields (project, progress)
for callers the policy allows (the owner and admins). ``force`` lets a
snapshot be taken of an in-use volume; without it that is a 400 (from 3.66
no ``force`` is needed, and a false one is the 400). Bodies carry ``user_id``
from 3.41 and ``consumes_quota`` from 3.65.
"""

from __future__ import annotations

from typing import Any

import webob
from oslo_utils import strutils

from nova_lite.api import controller, paging, policy, query, routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import SnapshotStatus
from nova_lite.volume import snapshots
from nova_lite.volume.rest import listing, policies, schemas, scope, versions
from nova_lite.volume.rest import version_changes as changes

_TEXT: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 255}
EXTENDED = ('os-extended-snapshot-attributes:project_id',
            'os-extended-snapshot-attributes:progress')

CREATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'snapshot': {
        'type': 'object',
        'properties': {
            # null (or an unknown id) is cinder's 404 for the volume.
            'volume_id': {'type': ['string', 'null'], 'maxLength': 255},
            'name': _TEXT, 'description': _TEXT,
            'display_name': _TEXT, 'display_description': _TEXT,
            'force': {'type': ['boolean', 'string', 'null']},
            'metadata': schemas.METADATA['properties']['metadata'] | {
                'type': ['object', 'null']},
        },
        'required': ['volume_id'],
        'additionalProperties': False,
    }},
    'required': ['snapshot'],
    'additionalProperties': False,
}

UPDATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'snapshot': {
        'type': 'object',
        'properties': {'name': _TEXT, 'description': _TEXT,
                       'display_name': _TEXT, 'display_description': _TEXT},
        'minProperties': 1,
        'additionalProperties': False,
    }},
    'required': ['snapshot'],
    'additionalProperties': False,
}

LIST_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string', 'maxLength': 255},
        'status': {'enum': list(SnapshotStatus.ALL)},
        'volume_id': {'type': 'string', 'maxLength': 64},
        'all_tenants': {'type': 'string', 'maxLength': 16},
        'project_id': {'type': 'string', 'maxLength': 64},
        'limit': {'type': 'string', 'pattern': '^[0-9]{1,9}$'},
        'marker': {'type': 'string', 'maxLength': 64},
        'offset': {'type': 'string', 'pattern': '^[0-9]{1,9}$'},
        'sort': {'type': 'string', 'maxLength': 255},
        'sort_key': {'type': 'string', 'maxLength': 255},
        'sort_dir': {'enum': ['asc', 'desc']},
    },
}


def _text_field(spec: dict[str, Any], name: str) -> str | None:
    value = spec.get(name)
    return value if value is not None else spec.get(f'display_{name}')


def parse_force(value: Any) -> bool:
    """Cinder's ``force``: a boolean or a boolean string, else 400 naming it."""
    if value is None or isinstance(value, bool):
        return bool(value)
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as exc:
        raise exception.InvalidInput(field='snapshot.force',
                                     reason=f'{value!r} is not a boolean') from exc


SORT_KEYS = ('created_at', 'updated_at', 'id', 'name', 'size', 'status', 'volume_id')


class SnapshotsController(scope.VolumeController):
    """The snapshot routes, acting through the volume manager's snapshots."""

    def __init__(self, services: scope.VolumeServices, authorizer: policy.Authorizer,
                 public_url: str) -> None:
        super().__init__(services, authorizer)
        self._base = public_url.rstrip('/')

    @property
    def _snapshots(self) -> snapshots.VolumeSnapshots:
        return self._services.volumes.snapshots

    @staticmethod
    def _plain(req: wsgi.Request, snapshot: dict[str, Any]) -> dict[str, Any]:
        body = {key: value for key, value in snapshot.items()
                if key not in EXTENDED and key != 'user_id'}
        if versions.at_least(req, changes.SNAPSHOT_USER_ID):
            body['user_id'] = snapshot.get('user_id')
        if versions.at_least(req, changes.CONSUMES_QUOTA):
            body['consumes_quota'] = True
        return body

    def _detail(self, req: wsgi.Request, ctx: nl_context.RequestContext,
                snapshot: dict[str, Any]) -> dict[str, Any]:
        body = self._plain(req, snapshot)
        if self.authorizer.allowed(ctx, policies.SNAPSHOT_ATTRIBUTES):
            body.update({key: snapshot[key] for key in EXTENDED})
        return body

    # -- routes ------------------------------------------------------------

    def create(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_CREATE)
        spec: dict[str, Any] = controller.read_body(req, CREATE)['snapshot']
        if spec['volume_id'] is None:
            raise exception.NotFound('Volume None could not be found.', resource='Volume',
                                     id=None)
        snapshot = self._snapshots.create(
            ctx, spec['volume_id'], name=_text_field(spec, 'name'),
            description=_text_field(spec, 'description'), metadata=spec.get('metadata'),
            force=self._force(req, spec.get('force')))
        return wsgi.json_response(202, {'snapshot': self._plain(req, snapshot)})

    @staticmethod
    def _force(req: wsgi.Request, value: Any) -> bool:
        """Whether an in-use volume may be snapshotted: from 3.66 always, and there
        an explicit false ``force`` is refused, as cinder does."""
        force = parse_force(value)
        if not versions.at_least(req, changes.SNAPSHOT_IN_USE):
            return force
        if value is not None and not force:
            raise exception.InvalidInput(
                field='snapshot.force',
                reason='from microversion 3.66 it may only be true (or left out)')
        return True

    def _listed(self, req: wsgi.Request, project_id: str, path_suffix: str,
                rule: str) -> tuple[nl_context.RequestContext, dict[str, Any]]:
        ctx = self._context(req, project_id, rule)
        params = query.last_values(req)
        wanted = controller.read_query(req, LIST_QUERY)
        request = paging.page_request(wanted, paging.CINDER_PAGING)
        every_project = (query.flag(wanted, 'all_tenants', query.CINDER_BOOLEAN)
                         and self.authorizer.allowed(ctx, policies.ALL_PROJECTS))
        found = self._snapshots.list(
            ctx, name=wanted.get('name'), status=wanted.get('status'),
            volume_id=wanted.get('volume_id'),
            project_id=wanted.get('project_id') if every_project else ctx.project_id)
        if any(key in wanted for key in ('sort', 'sort_key', 'sort_dir')):
            found = listing.sorted_items(found, wanted, SORT_KEYS)
        else:  # newest first, as cinder (the manager lists oldest first, to the microsecond)
            found.reverse()
        offset = int(wanted.get('offset', 0))
        page = listing.page(found[offset:], request)
        result: dict[str, Any] = {'snapshots': page.items}
        if request.paged:
            url = f'{self._base}/v3/{project_id}/snapshots{path_suffix}'
            result['snapshots_links'] = paging.links(page, url, params.items())
        return ctx, result

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        _, result = self._listed(req, project_id, '', policies.SNAPSHOTS)
        result['snapshots'] = [self._plain(req, snap) for snap in result['snapshots']]
        return wsgi.json_response(200, result)

    def detail(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx, result = self._listed(req, project_id, '/detail', policies.SNAPSHOTS)
        result['snapshots'] = [self._detail(req, ctx, snap) for snap in result['snapshots']]
        return wsgi.json_response(200, result)

    def show(self, req: wsgi.Request, project_id: str, snapshot_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_GET)
        snapshot = self._snapshots.get(ctx, snapshot_id)
        return wsgi.json_response(200, {'snapshot': self._detail(req, ctx, snapshot)})

    def update(self, req: wsgi.Request, project_id: str, snapshot_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_UPDATE)
        spec: dict[str, Any] = controller.read_body(req, UPDATE)['snapshot']
        changes = {key.removeprefix('display_'): value for key, value in spec.items()
                   if key.startswith('display_')}
        changes.update({key: value for key, value in spec.items()
                        if not key.startswith('display_')})
        snapshot = self._snapshots.update(ctx, snapshot_id, changes)
        return wsgi.json_response(200, {'snapshot': self._plain(req, snapshot)})

    def delete(self, req: wsgi.Request, project_id: str, snapshot_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_DELETE)
        self._snapshots.delete(ctx, snapshot_id)
        return wsgi.json_response(202)

    # -- metadata ----------------------------------------------------------

    def metadata_index(self, req: wsgi.Request, project_id: str,
                       snapshot_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_GET_METADATA)
        return wsgi.json_response(200, {
            'metadata': self._snapshots.get(ctx, snapshot_id)['metadata']})

    def metadata_show(self, req: wsgi.Request, project_id: str, snapshot_id: str,
                      key: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_GET_METADATA)
        metadata = self._snapshots.get(ctx, snapshot_id)['metadata']
        if key not in metadata:
            raise exception.NotFound(resource='Metadata key', id=key)
        return wsgi.json_response(200, {'meta': {key: metadata[key]}})

    def _write(self, req: wsgi.Request, project_id: str, snapshot_id: str, *,
               merge: bool) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_UPDATE_METADATA)
        body: dict[str, Any] = controller.read_body(req, schemas.METADATA)
        snapshot = self._snapshots.update(ctx, snapshot_id, {'metadata': body['metadata']},
                                          merge_metadata=merge)
        return wsgi.json_response(200, {'metadata': snapshot['metadata']})

    def metadata_create(self, req: wsgi.Request, project_id: str,
                        snapshot_id: str) -> webob.Response:
        return self._write(req, project_id, snapshot_id, merge=True)

    def metadata_replace(self, req: wsgi.Request, project_id: str,
                         snapshot_id: str) -> webob.Response:
        return self._write(req, project_id, snapshot_id, merge=False)

    def metadata_update_item(self, req: wsgi.Request, project_id: str, snapshot_id: str,
                             key: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_UPDATE_METADATA)
        body: dict[str, Any] = controller.read_body(req, META_ITEM)
        if list(body['meta']) != [key]:
            raise exception.InvalidInput(field='meta',
                                         reason='must hold exactly the key in the URL')
        self._snapshots.update(ctx, snapshot_id, {'metadata': body['meta']},
                               merge_metadata=True)
        return wsgi.json_response(200, {'meta': body['meta']})

    def metadata_delete(self, req: wsgi.Request, project_id: str, snapshot_id: str,
                        key: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.SNAPSHOT_DELETE_METADATA)
        self._snapshots.update(ctx, snapshot_id, {}, delete_metadata_key=key)
        return wsgi.json_response(200)


META_ITEM: dict[str, Any] = {
    'type': 'object',
    'properties': {'meta': {**schemas.METADATA['properties']['metadata'],
                            'minProperties': 1, 'maxProperties': 1}},
    'required': ['meta'],
    'additionalProperties': False,
}


def routes(snaps: SnapshotsController) -> list[routing.Route]:
    """The snapshot routes (``/snapshots/detail`` before its ``{snapshot_id}`` sibling)."""
    meta = '/snapshots/{snapshot_id}/metadata'
    return [
        ('GET', '/snapshots/detail', snaps.detail),
        ('GET', '/snapshots', snaps.index),
        ('POST', '/snapshots', snaps.create),
        ('GET', '/snapshots/{snapshot_id}', snaps.show),
        ('PUT', '/snapshots/{snapshot_id}', snaps.update),
        ('DELETE', '/snapshots/{snapshot_id}', snaps.delete),
        ('GET', meta, snaps.metadata_index),
        ('POST', meta, snaps.metadata_create),
        ('PUT', meta, snaps.metadata_replace),
        ('GET', meta + '/{key}', snaps.metadata_show),
        ('PUT', meta + '/{key}', snaps.metadata_update_item),
        ('DELETE', meta + '/{key}', snaps.metadata_delete),
    ]
