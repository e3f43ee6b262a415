"""``/v3/users/{user_id}/application_credentials``: create, list, show, delete.

A user creates application credentials for itself, on the project of its
token and with roles that token holds; a token issued by a restricted
application credential may not create another one.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common
from nova_lite.identity.rest import schemas as common_schemas

COLLECTION = '/v3/users/{user_id}/application_credentials'
ITEM = COLLECTION + '/{application_credential_id}'

_ROLE_REF = {'type': 'object', 'properties': {'id': common_schemas.ID,
                                              'name': common_schemas.NAME},
             'minProperties': 1, 'additionalProperties': False}
CREATE = {'type': 'object', 'required': ['application_credential'],
          'additionalProperties': False, 'properties': {'application_credential': {
              'type': 'object', 'required': ['name'], 'additionalProperties': False,
              'properties': {
                  'name': common_schemas.NAME,
                  'secret': {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 4096},
                  'description': common_schemas.DESCRIPTION,
                  'expires_at': {'type': ['string', 'null'], 'maxLength': 64},
                  'roles': {'type': 'array', 'items': _ROLE_REF, 'maxItems': 64},
                  'unrestricted': {'type': ['boolean', 'null']},
                  'access_rules': {'type': 'array', 'maxItems': 0},
              }}}}
QUERY = common_schemas.query({'name': common_schemas.NAME})


class ApplicationCredentialController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('POST', COLLECTION, self.create),
            ('GET', COLLECTION, self.index),
            ('GET', ITEM, self.show),
            ('DELETE', ITEM, self.delete),
        ]

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        body = {key: record[key] for key in ('id', 'name', 'description', 'expires_at',
                                             'project_id', 'user_id', 'unrestricted',
                                             'roles')}
        if 'secret' in record:
            body['secret'] = record['secret']
        body['access_rules'] = []
        body['links'] = {'self': f"{self._api.v3_url}/users/{record['user_id']}/"
                                 f"application_credentials/{record['id']}"}
        return body

    def create(self, req: wsgi.Request, user_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'identity:create_application_credential',
                                  {'user_id': user_id})
        spec = controller.read_body(req, CREATE)['application_credential']
        if ctx.user_id != user_id:
            raise exception.Forbidden(
                message='Application credentials are created by their own user.')
        info = self._api.identity.validate_token(ctx.auth_token or '')
        if 'project' not in info:
            raise exception.Forbidden(
                message='A project-scoped token is needed to create an application '
                        'credential.')
        delegated = info.get('application_credential')
        if delegated is not None and delegated['restricted']:
            raise exception.Forbidden(
                message='A restricted application credential cannot create another one.')
        record = self._api.identity.create_application_credential(
            user_id, info['project']['id'], spec['name'],
            held_role_ids={role['id'] for role in info['roles']},
            secret=spec.get('secret'), description=spec.get('description'),
            expires_at=spec.get('expires_at'), role_refs=spec.get('roles'),
            unrestricted=bool(spec.get('unrestricted')))
        return wsgi.json_response(201, {'application_credential': self._view(record)})

    def _user(self, user_id: str) -> None:
        try:
            self._api.identity.get_user(user_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='User', id=user_id) from None

    def index(self, req: wsgi.Request, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_application_credentials',
                                  {'user_id': user_id})
        params = controller.read_query(req, QUERY)
        self._user(user_id)
        records = self._api.identity.list_application_credentials(user_id,
                                                                  name=params.get('name'))
        return wsgi.json_response(200, {
            'application_credentials': [self._view(r) for r in records],
            'links': {'self': common.self_url(req, self._api), 'previous': None,
                      'next': None}})

    def _record(self, user_id: str, app_cred_id: str) -> dict[str, Any]:
        try:
            return self._api.identity.get_application_credential(user_id, app_cred_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='ApplicationCredential',
                                     id=app_cred_id) from None

    def show(self, req: wsgi.Request, user_id: str,
             application_credential_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_application_credential',
                                  {'user_id': user_id})
        record = self._record(user_id, application_credential_id)
        return wsgi.json_response(200, {'application_credential': self._view(record)})

    def delete(self, req: wsgi.Request, user_id: str,
               application_credential_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_application_credential',
                                  {'user_id': user_id})
        self._record(user_id, application_credential_id)
        self._api.identity.delete_application_credential(user_id, application_credential_id)
        return wsgi.json_response(204)
