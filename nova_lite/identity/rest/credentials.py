"""``/v3/credentials`` (create, list, show, update, delete) and a user's EC2
credentials (``/v3/users/{user_id}/credentials/OS-EC2``).

A user manages its own credentials; an admin (or a system reader, for reads)
anyone's. A list shows only the credentials the caller may read.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, schemas

EC2_COLLECTION = '/v3/users/{user_id}/credentials/OS-EC2'
EC2_ITEM = EC2_COLLECTION + '/{access}'
_TYPE = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_BLOB = {'type': 'string', 'minLength': 1, 'maxLength': 65535}




CREATE = schemas.closed_envelope('credential', {'user_id': schemas.ID, 'type': _TYPE,
                                                'blob': _BLOB,
                                                'project_id': schemas.NULLABLE_ID},
                                 ('user_id', 'type', 'blob'))
UPDATE = schemas.closed_envelope('credential', {'type': _TYPE, 'blob': _BLOB,
                                                'project_id': schemas.ID, 'user_id': schemas.ID})
EC2_CREATE = {'type': 'object', 'required': ['tenant_id'], 'additionalProperties': False,
              'properties': {'tenant_id': schemas.ID}}
QUERY = schemas.query({'user_id': schemas.ID, 'type': _TYPE})


class CredentialController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('POST', '/v3/credentials', self.create),
            ('GET', '/v3/credentials', self.index),
            ('GET', '/v3/credentials/{credential_id}', self.show),
            ('PATCH', '/v3/credentials/{credential_id}', self.update),
            ('DELETE', '/v3/credentials/{credential_id}', self.delete),
            ('POST', EC2_COLLECTION, self.create_ec2),
            ('GET', EC2_COLLECTION, self.index_ec2),
            ('GET', EC2_ITEM, self.show_ec2),
            ('DELETE', EC2_ITEM, self.delete_ec2),
        ]

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        return {**record, 'links': {'self': f"{self._api.v3_url}/credentials/{record['id']}"}}

    def create(self, req: wsgi.Request) -> webob.Response:
        spec = controller.read_body(req, CREATE)['credential']
        self.authorizer.authorize(req.context, 'identity:create_credential',
                                  {'user_id': spec['user_id']})
        record = self._api.identity.create_credential(
            spec['user_id'], spec['type'], spec['blob'], project_id=spec.get('project_id'))
        return wsgi.json_response(201, {'credential': self._view(record)})

    def index(self, req: wsgi.Request) -> webob.Response:
        params = controller.read_query(req, QUERY)
        ctx = req.context
        records = [r for r in self._api.identity.list_credentials(
            user_id=params.get('user_id'), cred_type=params.get('type'))
            if self.authorizer.allowed(ctx, 'identity:list_credentials',
                                       {'user_id': r['user_id']})]
        return wsgi.json_response(200, {
            'credentials': [self._view(r) for r in records],
            'links': {'self': common.self_url(req, self._api), 'previous': None,
                      'next': None}})

    def _owned(self, req: wsgi.Request, rule: str, credential_id: str) -> dict[str, Any]:
        """The credential if ``rule`` allows the caller on it; 404 otherwise."""
        record = self._api.identity.get_credential(credential_id)
        if not self.authorizer.allowed(req.context, rule, {'user_id': record['user_id']}):
            raise exception.NotFound(resource='Credential', id=credential_id)
        return record

    def show(self, req: wsgi.Request, credential_id: str) -> webob.Response:
        record = self._owned(req, 'identity:get_credential', credential_id)
        return wsgi.json_response(200, {'credential': self._view(record)})

    def update(self, req: wsgi.Request, credential_id: str) -> webob.Response:
        spec = controller.read_body(req, UPDATE)['credential']
        record = self._owned(req, 'identity:update_credential', credential_id)
        if spec.get('user_id', record['user_id']) != record['user_id']:
            raise exception.InvalidInput(field='user_id',
                                         reason="a credential's owner cannot change")
        record = self._api.identity.update_credential(
            credential_id, blob=spec.get('blob'), cred_type=spec.get('type'),
            project_id=spec.get('project_id'))
        return wsgi.json_response(200, {'credential': self._view(record)})

    def delete(self, req: wsgi.Request, credential_id: str) -> webob.Response:
        self._owned(req, 'identity:delete_credential', credential_id)
        self._api.identity.delete_credential(credential_id)
        return wsgi.json_response(204)

    # EC2 -----------------------------------------------------------------------------

    def _ec2_view(self, record: dict[str, Any]) -> dict[str, Any]:
        return {**record, 'links': {'self': f"{self._api.v3_url}/users/{record['user_id']}"
                                             f"/credentials/OS-EC2/{record['access']}"}}

    def create_ec2(self, req: wsgi.Request, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:ec2_create_credential',
                                  {'user_id': user_id})
        spec = controller.read_body(req, EC2_CREATE)
        record = self._api.identity.create_ec2_credential(user_id, spec['tenant_id'])
        return wsgi.json_response(201, {'credential': self._ec2_view(record)})

    def index_ec2(self, req: wsgi.Request, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:ec2_list_credentials',
                                  {'user_id': user_id})
        records = self._api.identity.list_ec2_credentials(user_id)
        return wsgi.json_response(200, {
            'credentials': [self._ec2_view(r) for r in records],
            'links': {'self': common.self_url(req, self._api), 'previous': None,
                      'next': None}})

    def show_ec2(self, req: wsgi.Request, user_id: str, access: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:ec2_get_credential',
                                  {'user_id': user_id})
        record = self._api.identity.get_ec2_credential(user_id, access)
        return wsgi.json_response(200, {'credential': self._ec2_view(record)})

    def delete_ec2(self, req: wsgi.Request, user_id: str, access: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:ec2_delete_credential',
                                  {'user_id': user_id})
        self._api.identity.delete_ec2_credential(user_id, access)
        return wsgi.json_response(204)
