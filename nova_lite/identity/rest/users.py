"""``/v3/users``: create, list, show, update, delete; a user's own password change.

Users keep keystone's email, description and extra attributes; a user made
without a password cannot authenticate.

A user may read itself; any other user it may not see is a 404, like an
unknown one (``GET /v3/users/<name>`` is the clients' name lookup).
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity import bootstrap
from nova_lite.identity.rest import common, schemas, views

_FILTERS = common.filters_of('name', 'domain_id', 'enabled')


class UserController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('POST', '/v3/users', self.create),
            ('GET', '/v3/users', self.index),
            ('GET', '/v3/users/{user_id}', self.show),
            ('PATCH', '/v3/users/{user_id}', self.update),
            ('DELETE', '/v3/users/{user_id}', self.delete),
            ('POST', '/v3/users/{user_id}/password', self.change_password),
        ]

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        return {'user': views.user(self._api.v3_url, record)}

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'identity:create_user')
        spec = controller.read_body(req, schemas.USER_CREATE)['user']
        domain_id = (spec.get('domain_id') or getattr(ctx, 'project_domain_id', None)
                     or bootstrap.DEFAULT_DOMAIN_ID)
        record = self._api.admin.users.create_user(domain_id, spec)
        return wsgi.json_response(201, self._view(record))

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_users')
        params = controller.read_query(req, schemas.USER_QUERY)
        records = self._api.admin.users.with_attributes(
            common.filtered(self._api.identity.list_users(), params, _FILTERS))
        return wsgi.json_response(200, views.collection(
            'users', [views.user(self._api.v3_url, r) for r in records],
            common.self_url(req, self._api)))

    def _visible(self, req: wsgi.Request, user_id: str) -> dict[str, Any]:
        if not self.authorizer.allowed(req.context, 'identity:get_user', {'user_id': user_id}):
            raise exception.NotFound(resource='User', id=user_id)
        try:
            return self._api.admin.users.get_user(user_id)
        except exception.InvalidInput:  # not an id at all: not found either
            raise exception.NotFound(resource='User', id=user_id) from None

    def show(self, req: wsgi.Request, user_id: str) -> webob.Response:
        return wsgi.json_response(200, self._view(self._visible(req, user_id)))

    def update(self, req: wsgi.Request, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_user')
        spec = controller.read_body(req, schemas.USER_UPDATE)['user']
        current = self._visible(req, user_id)
        # A client may send back the whole user: its id and domain must not change.
        for field in ('id', 'domain_id'):
            if field in spec and spec[field] != current[field]:
                raise exception.InvalidInput(field=f'user.{field}', reason='cannot be changed')
        record = self._api.admin.users.update_user(user_id, spec)
        return wsgi.json_response(200, self._view(record))

    def delete(self, req: wsgi.Request, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_user')
        self._visible(req, user_id)
        self._api.identity.delete_user(user_id)
        return wsgi.json_response(204)

    def change_password(self, req: wsgi.Request, user_id: str) -> webob.Response:
        """A password change given the original (401 if it is wrong); every token
        of the user is revoked. As keystone, the original password is the authority."""
        self.authorizer.authorize(req.context, 'identity:change_password',
                                  {'user_id': user_id})
        spec = controller.read_body(req, schemas.USER_PASSWORD)['user']
        try:
            self._api.identity.get_user(user_id)
        except exception.InvalidInput:
            raise exception.NotFound(resource='User', id=user_id) from None
        self._api.admin.users.change_password(user_id, spec['original_password'],
                                              spec['password'])
        return wsgi.json_response(204)
