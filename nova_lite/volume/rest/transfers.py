"""``/os-volume-transfer``: offer a volume to another project, and accept it.

The auth key appears only in the create answer; the accepting project sends
it back in ``POST /os-volume-transfer/{id}/accept`` (a wrong key is a 400).
From 3.55 the same API is also ``/volume-transfers``, whose create takes
``no_snapshots`` (the snapshots stay behind); from 3.57 transfer bodies name
the source and destination projects and whether the transfer was accepted;
from 3.59 their lists sort (``sort``, ``sort_key``/``sort_dir``) and page
(``limit``, ``marker``).
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, paging, routing, wsgi
from nova_lite.volume.rest import listing, policies, scope, versions
from nova_lite.volume.rest import version_changes as changes

_UUID = {'type': 'string', 'minLength': 1, 'maxLength': 36}
CREATE: dict[str, Any] = {
    'type': 'object',
    'properties': {'transfer': {
        'type': 'object',
        'properties': {'volume_id': _UUID,
                       'name': {'type': ['string', 'null'], 'maxLength': 255},
                       'no_snapshots': {'type': 'boolean'}},
        'required': ['volume_id'],
    }},
    'required': ['transfer'],
}
ACCEPT: dict[str, Any] = {
    'type': 'object',
    'properties': {'accept': {
        'type': 'object',
        'properties': {'auth_key': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
        'required': ['auth_key'],
    }},
    'required': ['accept'],
}
LIST_QUERY: dict[str, Any] = {'type': 'object', 'properties': {
    'all_tenants': {'type': 'string'},
    'limit': {'type': 'string', 'pattern': '^[0-9]{1,9}$'},
    'marker': {'type': 'string', 'maxLength': 64},
    'sort': {'type': 'string', 'maxLength': 255},
    'sort_key': {'type': 'string', 'maxLength': 255},
    'sort_dir': {'enum': ['asc', 'desc']}}}
SORT_KEYS = ('created_at', 'id', 'name', 'volume_id')
COLLECTION = '/os-volume-transfer'
NEW_COLLECTION = '/volume-transfers'


class TransfersController(scope.VolumeController):
    """Volume transfers through the volume manager's transfer store."""

    def __init__(self, services: scope.VolumeServices, authorizer: Any,
                 public_url: str) -> None:
        super().__init__(services, authorizer)
        self._base = f'{public_url.rstrip("/")}/v3'

    def _view(self, req: wsgi.Request, project_id: str, transfer: dict[str, Any], *,
              detail: bool) -> dict[str, Any]:
        href = f'{self._base}/{project_id}{COLLECTION}/{transfer["id"]}'
        body = {'id': transfer['id'], 'name': transfer['name'],
                'volume_id': transfer['volume_id'],
                'links': [{'rel': 'self', 'href': href},
                          {'rel': 'bookmark', 'href': href.replace('/v3/', '/', 1)}]}
        if not detail:
            return body
        body['created_at'] = transfer['created_at']
        if versions.at_least(req, changes.VOLUME_TRANSFERS_API):
            body['no_snapshots'] = transfer['no_snapshots']
        if versions.at_least(req, changes.TRANSFER_PROJECTS):
            body.update(source_project_id=transfer['source_project_id'],
                        destination_project_id=transfer.get('destination_project_id'),
                        accepted=bool(transfer.get('accepted')))
        return body

    def create(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TRANSFER_CREATE)
        spec = controller.read_body(req, CREATE)['transfer']
        no_snapshots = bool(spec.get('no_snapshots')) and versions.at_least(
            req, changes.VOLUME_TRANSFERS_API)
        created = self._services.volumes.transfers.create(
            ctx, spec['volume_id'], spec.get('name'), no_snapshots=no_snapshots)
        body = self._view(req, project_id, created, detail=True)
        body['auth_key'] = created['auth_key']
        return wsgi.json_response(202, {'transfer': body})

    def _list(self, req: wsgi.Request, project_id: str, *, detail: bool) -> webob.Response:
        ctx = self._context(req, project_id, policies.TRANSFER_GET_ALL)
        wanted = controller.read_query(req, LIST_QUERY)
        everyone = wanted.get('all_tenants', '0')
        found = self._services.volumes.transfers.list_transfers(
            ctx, all_projects=everyone.lower() in ('1', 'true', 'yes'))
        if versions.at_least(req, changes.TRANSFER_LIST_PAGING):
            if any(key in wanted for key in ('sort', 'sort_key', 'sort_dir')):
                found = listing.sorted_items(found, wanted, SORT_KEYS)
            found = listing.page(found, paging.page_request(wanted, paging.CINDER_PAGING)).items
        return wsgi.json_response(200, {'transfers': [
            self._view(req, project_id, transfer, detail=detail) for transfer in found]})

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return self._list(req, project_id, detail=False)

    def detail(self, req: wsgi.Request, project_id: str) -> webob.Response:
        return self._list(req, project_id, detail=True)

    def show(self, req: wsgi.Request, project_id: str, transfer_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TRANSFER_GET)
        found = self._services.volumes.transfers.get(ctx, transfer_id)
        return wsgi.json_response(200, {'transfer': self._view(req, project_id, found,
                                                               detail=True)})

    def delete(self, req: wsgi.Request, project_id: str, transfer_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TRANSFER_DELETE)
        self._services.volumes.transfers.delete(ctx, transfer_id)
        return wsgi.json_response(202)

    def accept(self, req: wsgi.Request, project_id: str, transfer_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.TRANSFER_ACCEPT)
        auth_key = controller.read_body(req, ACCEPT)['accept']['auth_key']
        accepted = self._services.volumes.transfers.accept(ctx, transfer_id, auth_key)
        return wsgi.json_response(202, {'transfer': self._view(req, project_id, accepted,
                                                               detail=False)})


def _collection_routes(collection: str,
                       transfers: TransfersController) -> list[routing.Route]:
    return [
        ('GET', f'{collection}/detail', transfers.detail),  # before the member route
        *routing.crud(collection, 'transfer_id', transfers),
        ('POST', f'{collection}/{{transfer_id}}/accept', transfers.accept),
    ]


def routes(transfers: TransfersController) -> list[routing.Route]:
    """``/os-volume-transfer`` at every version, ``/volume-transfers`` from 3.55."""
    return [
        *_collection_routes(COLLECTION, transfers),
        *((method, path, versions.since(changes.VOLUME_TRANSFERS_API, handler))
          for method, path, handler in _collection_routes(NEW_COLLECTION, transfers)),
    ]
