"""``/os-volumes`` and ``/os-snapshots``: nova's block storage proxies (2.1 to 2.35).

Volumes and snapshots are listed, shown, created and deleted through the
block storage service with the caller's token, printed in nova's camelCase
views; a volume created with ``snapshot_id`` is made from that snapshot, and a
snapshot of an in-use volume needs ``force``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import webob
from oslo_utils import strutils

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import base, version_changes
from nova_lite.compute.rest import proxy_policies as policies

_text: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 255}
volume_create_request: dict[str, Any] = {
    'type': 'object',
    'properties': {'volume': {
        'type': 'object',
        'properties': {
            'size': {'type': ['integer', 'string'], 'pattern': '^[0-9]+$', 'minimum': 1},
            'display_name': _text, 'display_description': _text,
            'volume_type': _text, 'availability_zone': _text,
            'snapshot_id': _text,
            'metadata': {'type': 'object', 'additionalProperties': {'type': 'string',
                                                                    'maxLength': 255}},
        },
        'required': ['size'],
        'additionalProperties': False,
    }},
    'required': ['volume'],
    'additionalProperties': False,
}
_count: dict[str, Any] = {'type': 'string', 'pattern': '^[0-9]{1,9}$'}
volumes_query: dict[str, Any] = {'type': 'object',
                                 'properties': {'limit': _count, 'offset': _count}}
snapshot_create_request: dict[str, Any] = {
    'type': 'object',
    'properties': {'snapshot': {
        'type': 'object',
        'properties': {
            'volume_id': {'type': 'string', 'minLength': 1, 'maxLength': 255},
            'display_name': _text, 'display_description': _text,
            'force': {'type': ['boolean', 'string']},
        },
        'required': ['volume_id'],
    }},
    'required': ['snapshot'],
}


def snapshot_view(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot as nova's os-snapshots prints it."""
    return {'id': snapshot['id'], 'volumeId': snapshot['volume_id'],
            'status': snapshot['status'], 'size': snapshot['size'],
            'createdAt': snapshot.get('created_at'),
            'displayName': snapshot.get('name'),
            'displayDescription': snapshot.get('description')}


def _force(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return bool(value)
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as exc:
        raise exception.InvalidInput(field='force',
                                     reason=f'{value!r} is not a boolean') from exc


def volume_view(volume: Mapping[str, Any]) -> dict[str, Any]:
    """A volume as nova's os-volumes prints it (``[{}]`` when it is not attached)."""
    attachments = [{'id': volume['id'], 'volumeId': volume['id'],
                    'serverId': item.get('server_id'), 'device': item.get('device') or ''}
                   for item in volume.get('attachments') or [] if item.get('server_id')]
    return {
        'id': volume['id'], 'status': volume['status'], 'size': volume['size'],
        'availabilityZone': volume.get('availability_zone') or '',
        'createdAt': volume.get('created_at'),
        'displayName': volume.get('name'), 'displayDescription': volume.get('description'),
        'volumeType': volume.get('volume_type'), 'snapshotId': volume.get('snapshot_id'),
        'metadata': dict(volume.get('metadata') or {}),
        'attachments': attachments or [{}],
    }


class VolumeProxiesHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._volumes = rest.services.volume_proxy

    def routes(self) -> list[routing.Route]:
        return [
            ('GET', '/os-volumes', self.index),
            ('GET', '/os-volumes/detail', self.index),  # the same view, as nova
            ('POST', '/os-volumes', self.create),
            ('GET', '/os-volumes/{volume_id}', self.show),
            ('DELETE', '/os-volumes/{volume_id}', self.delete),
            ('DELETE', '/os-volumes', base.empty_id),  # DELETE /os-volumes/: no id
            ('GET', '/os-snapshots', self.snapshots),
            ('GET', '/os-snapshots/detail', self.snapshots),
            ('POST', '/os-snapshots', self.create_snapshot),
            ('GET', '/os-snapshots/{snapshot_id}', self.snapshot),
            ('DELETE', '/os-snapshots/{snapshot_id}', self.delete_snapshot),
            ('DELETE', '/os-snapshots', base.empty_id),
        ]

    def _allowed(self, req: wsgi.Request, rule: str) -> None:
        base.removed_at(req, version_changes.PROXY_APIS_REMOVED)
        self.authorizer.authorize(req.context, rule)

    def index(self, req: wsgi.Request) -> webob.Response:
        self._allowed(req, policies.VOLUMES_LIST)
        base.reject_empty_id(req)
        params = controller.read_query(req, volumes_query)  # nova's offset paging
        offset = int(params.get('offset', 0))
        volumes = self._volumes.list_volumes(req.context)[offset:]
        if 'limit' in params:
            volumes = volumes[:int(params['limit'])]
        return wsgi.json_response(200, {'volumes': [volume_view(v) for v in volumes]})

    def show(self, req: wsgi.Request, volume_id: str) -> webob.Response:
        self._allowed(req, policies.VOLUMES_SHOW)
        return wsgi.json_response(200, {
            'volume': volume_view(self._volumes.get_volume(req.context, volume_id))})

    def create(self, req: wsgi.Request) -> webob.Response:
        self._allowed(req, policies.VOLUMES_CREATE)
        volume = controller.read_body(req, volume_create_request)['volume']
        size = int(volume['size'])
        if size < 1:
            raise exception.InvalidInput(field='size', reason='must be at least 1 GiB')
        create = self._volumes.create_volume
        if volume.get('snapshot_id'):
            create = functools.partial(self._volumes.create_volume_from_snapshot,
                                       snapshot_id=volume['snapshot_id'])
        created = create(
            req.context, size=size, name=volume.get('display_name'),
            description=volume.get('display_description'), metadata=volume.get('metadata'),
            availability_zone=volume.get('availability_zone'),
            volume_type=volume.get('volume_type'))
        return wsgi.json_response(200, {'volume': volume_view(created)})

    def delete(self, req: wsgi.Request, volume_id: str) -> webob.Response:
        self._allowed(req, policies.VOLUMES_DELETE)
        self._volumes.delete_volume(req.context, volume_id)
        return wsgi.json_response(202)

    def snapshots(self, req: wsgi.Request) -> webob.Response:
        self._allowed(req, policies.SNAPSHOTS_LIST)
        base.reject_empty_id(req)
        return wsgi.json_response(200, {'snapshots': [
            snapshot_view(snap) for snap in self._volumes.list_snapshots(req.context)]})

    def snapshot(self, req: wsgi.Request, snapshot_id: str) -> webob.Response:
        self._allowed(req, policies.SNAPSHOTS_LIST)
        snapshot = self._volumes.get_snapshot(req.context, snapshot_id)
        return wsgi.json_response(200, {'snapshot': snapshot_view(snapshot)})

    def delete_snapshot(self, req: wsgi.Request, snapshot_id: str) -> webob.Response:
        self._allowed(req, policies.SNAPSHOTS_DELETE)
        self._volumes.delete_snapshot(req.context, snapshot_id)
        return wsgi.json_response(202)

    def create_snapshot(self, req: wsgi.Request) -> webob.Response:
        self._allowed(req, policies.SNAPSHOTS_CREATE)
        snapshot = controller.read_body(req, snapshot_create_request)['snapshot']
        created = self._volumes.create_snapshot(
            req.context, snapshot['volume_id'], name=snapshot.get('display_name'),
            description=snapshot.get('display_description'),
            force=_force(snapshot.get('force')))
        return wsgi.json_response(200, {'snapshot': snapshot_view(created)})
