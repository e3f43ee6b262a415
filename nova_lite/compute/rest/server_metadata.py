"""``/servers/{id}/metadata``: a server's metadata items, read and changed as nova does.

``PUT`` replaces every item, ``POST`` adds to and overwrites them; the item form
``/metadata/{key}`` reads, sets (the body's one key must be the URL's) and
deletes one. Changes need the server active or stopped with no task running
(409 otherwise), and at most :data:`MAX_ITEMS` items (403, nova's quota error).
The fault-injection keys (``nova_lite:fail_at``...) are metadata like any other,
checked as at boot when fault injection is on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.common.states import VmState
from nova_lite.compute.rest import base, policies

# Nova's default metadata_items quota.
MAX_ITEMS = 128
# The states nova changes metadata in (its check_instance_state; no task either).
CHANGEABLE_IN = (VmState.ACTIVE, VmState.STOPPED)

_items: dict[str, Any] = {
    'type': 'object',
    'patternProperties': {'^.{1,255}$': {'type': 'string', 'maxLength': 255}},
    'additionalProperties': False,
}
metadata_request: dict[str, Any] = {
    'type': 'object', 'properties': {'metadata': _items},
    'required': ['metadata'], 'additionalProperties': False,
}
meta_item_request: dict[str, Any] = {
    'type': 'object',
    'properties': {'meta': {**_items, 'minProperties': 1, 'maxProperties': 1}},
    'required': ['meta'], 'additionalProperties': False,
}


def _within_limit(metadata: dict[str, str]) -> dict[str, str]:
    if len(metadata) > MAX_ITEMS:
        raise exception.Forbidden(
            message=f'Quota exceeded for metadata_items: Requested {len(metadata)}, '
                    f'but the limit is {MAX_ITEMS}. Maximum number of metadata items '
                    f'exceeds {MAX_ITEMS}')
    return metadata


class ServerMetadataHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._api = rest.services.compute_api
        self._instances = rest.services.instances

    def routes(self) -> list[routing.Route]:
        path = '/servers/{server_id}/metadata'
        return [
            ('GET', path, self.index),
            ('PUT', path, self.replace),
            ('POST', path, self.update),
            ('GET', path + '/{key}', self.show),
            ('PUT', path + '/{key}', self.set_item),
            ('DELETE', path + '/{key}', self.delete),
        ]

    def _server(self, req: wsgi.Request, server_id: str, rule: str) -> dict[str, Any]:
        instance = self._api.get_server(req.context, server_id)
        self.authorizer.authorize(req.context, rule, project_id=instance['project_id'])
        return instance

    def _change(self, req: wsgi.Request, server_id: str, rule: str,
                change: Callable[[dict[str, str]], dict[str, str]]) -> dict[str, str]:
        """Apply ``change`` to the server's metadata (under its row lock)."""
        instance = self._server(req, server_id, rule)

        def checked(current: dict[str, str]) -> dict[str, str]:
            changed = _within_limit(change(current))
            self._api.check_metadata(changed)
            return changed

        updated = self._instances.change_details(
            instance['id'], allowed_vm_states=CHANGEABLE_IN, metadata=checked)
        return dict(updated['metadata'])

    def index(self, req: wsgi.Request, server_id: str) -> webob.Response:
        instance = self._server(req, server_id, policies.SERVER_METADATA_INDEX)
        return wsgi.json_response(200, {'metadata': dict(instance['metadata'])})

    def replace(self, req: wsgi.Request, server_id: str) -> webob.Response:
        body = controller.read_body(req, metadata_request)
        _within_limit(body['metadata'])
        metadata = self._change(req, server_id, policies.SERVER_METADATA_UPDATE_ALL,
                                lambda _current: dict(body['metadata']))
        return wsgi.json_response(200, {'metadata': metadata})

    def update(self, req: wsgi.Request, server_id: str) -> webob.Response:
        body = controller.read_body(req, metadata_request)
        _within_limit(body['metadata'])
        metadata = self._change(req, server_id, policies.SERVER_METADATA_CREATE,
                                lambda current: {**current, **body['metadata']})
        return wsgi.json_response(200, {'metadata': metadata})

    def show(self, req: wsgi.Request, server_id: str, key: str) -> webob.Response:
        instance = self._server(req, server_id, policies.SERVER_METADATA_SHOW)
        if key not in instance['metadata']:
            raise exception.NotFound(message='Metadata item was not found')
        return wsgi.json_response(200, {'meta': {key: instance['metadata'][key]}})

    def set_item(self, req: wsgi.Request, server_id: str, key: str) -> webob.Response:
        body = controller.read_body(req, meta_item_request)
        if key not in body['meta']:
            raise exception.Invalid(message='Request body and URI mismatch')
        value = body['meta'][key]
        self._change(req, server_id, policies.SERVER_METADATA_UPDATE,
                     lambda current: {**current, key: value})
        return wsgi.json_response(200, {'meta': {key: value}})

    def delete(self, req: wsgi.Request, server_id: str, key: str) -> webob.Response:
        instance = self._server(req, server_id, policies.SERVER_METADATA_DELETE)
        if key not in instance['metadata']:
            raise exception.NotFound(message='Metadata item was not found')

        def without_key(current: dict[str, str]) -> dict[str, str]:
            if key not in current:  # deleted meanwhile
                raise exception.NotFound(message='Metadata item was not found')
            return {name: value for name, value in current.items() if name != key}

        self._change(req, server_id, policies.SERVER_METADATA_DELETE, without_key)
        return wsgi.json_response(204)
