"""``/os-aggregates`` (admins): host aggregates, their hosts, metadata and zone.

Ids are integers; 2.41 adds ``uuid`` to the bodies. The actions are
``add_host``, ``remove_host`` and ``set_metadata`` on
``POST /os-aggregates/{id}/action``.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.compute import aggregates
from nova_lite.compute.rest import admin_policies, base, version_changes
from nova_lite.compute.rest.api_version import Version, api_version

_name: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255,
                         'pattern': r'^\S(.*\S)?$'}
_zone: dict[str, Any] = {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255,
                         'pattern': r'^\S(.*\S)?$'}
_host: dict[str, Any] = {'type': 'object', 'properties': {'host': _name},
                         'required': ['host'], 'additionalProperties': False}


def _aggregate_body(required: list[str], min_properties: int = 0) -> dict[str, Any]:
    return {'type': 'object',
            'properties': {'aggregate': {
                'type': 'object', 'properties': {'name': _name, 'availability_zone': _zone},
                'required': required, 'minProperties': min_properties,
                'additionalProperties': False}},
            'required': ['aggregate'], 'additionalProperties': False}


create_request = _aggregate_body(['name'])
update_request = _aggregate_body([], 1)
action_request: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'add_host': _host, 'remove_host': _host,
        'set_metadata': {
            'type': 'object',
            'properties': {'metadata': {
                'type': 'object', 'minProperties': 1,
                'patternProperties': {'^[a-zA-Z0-9-_:. /]{1,255}$': {
                    'type': ['string', 'null'], 'maxLength': 255}},
                'additionalProperties': False}},
            'required': ['metadata'], 'additionalProperties': False},
    },
    'minProperties': 1, 'maxProperties': 1, 'additionalProperties': False,
}


def aggregate_view(aggregate: dict[str, Any], version: Version, *,
                   members: bool = True) -> dict[str, Any]:
    body = {'id': aggregate['id'], 'name': aggregate['name'],
            'availability_zone': aggregate['availability_zone'],
            'created_at': aggregate['created_at'], 'updated_at': aggregate['updated_at'],
            'deleted': False, 'deleted_at': None}
    if members:
        body.update(hosts=aggregate['hosts'], metadata=aggregate['metadata'])
    if version >= version_changes.AGGREGATE_UUID:
        body['uuid'] = aggregate['uuid']
    return body


def _id(aggregate_id: str) -> int:
    if not aggregate_id.isdigit():
        raise aggregates.not_found(aggregate_id)
    return int(aggregate_id)


class AggregatesHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._store = rest.services.admin_stores.aggregates

    def routes(self) -> list[routing.Route]:
        return [*routing.crud('/os-aggregates', 'aggregate_id', self),
                ('POST', '/os-aggregates/{aggregate_id}/action', self.action)]

    def _answer(self, req: wsgi.Request, aggregate: dict[str, Any],
                members: bool = True) -> webob.Response:
        return wsgi.json_response(200, {'aggregate': aggregate_view(
            aggregate, api_version(req), members=members)})

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.AGGREGATES_INDEX)
        version = api_version(req)
        return wsgi.json_response(200, {'aggregates': [
            aggregate_view(a, version) for a in self._store.list_aggregates()]})

    def create(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.AGGREGATES_CREATE)
        body = controller.read_body(req, create_request)['aggregate']
        created = self._store.create(body['name'], body.get('availability_zone'))
        return self._answer(req, created, members=False)

    def show(self, req: wsgi.Request, aggregate_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.AGGREGATES_SHOW)
        return self._answer(req, self._store.get(_id(aggregate_id)))

    def update(self, req: wsgi.Request, aggregate_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.AGGREGATES_UPDATE)
        body = controller.read_body(req, update_request)['aggregate']
        return self._answer(req, self._store.update(_id(aggregate_id), body))

    def delete(self, req: wsgi.Request, aggregate_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.AGGREGATES_DELETE)
        self._store.delete(_id(aggregate_id))
        return wsgi.json_response(200)

    def action(self, req: wsgi.Request, aggregate_id: str) -> webob.Response:
        body = controller.read_body(req, action_request)
        ctx = req.context
        if 'add_host' in body:
            self.authorizer.authorize(ctx, admin_policies.AGGREGATES_ADD_HOST)
            result = self._store.add_host(_id(aggregate_id), body['add_host']['host'])
        elif 'remove_host' in body:
            self.authorizer.authorize(ctx, admin_policies.AGGREGATES_REMOVE_HOST)
            result = self._store.remove_host(_id(aggregate_id), body['remove_host']['host'])
        else:
            self.authorizer.authorize(ctx, admin_policies.AGGREGATES_SET_METADATA)
            result = self._store.set_metadata(_id(aggregate_id),
                                              body['set_metadata']['metadata'])
        return self._answer(req, result)
