"""``/v3/auth/*``: issue (password or token method), validate, check and revoke tokens;
the caller's catalog and projects.

An invalid, expired or revoked subject token (``X-Subject-Token``) is a 404, as
keystone answers; a bad caller token (``X-Auth-Token``) is a 401.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, schemas, views

SUPPORTED_METHODS = ('password', 'token')


def _scope_args(scope: dict[str, Any] | None) -> dict[str, Any]:
    if not scope:
        return {}
    project = scope['project']
    domain = project.get('domain') or {}
    return {'project_id': project.get('id'), 'project_name': project.get('name'),
            'project_domain_id': domain.get('id'), 'project_domain_name': domain.get('name')}


def _method(identity: dict[str, Any]) -> str:
    methods = identity['methods']
    unsupported = [m for m in methods if m not in SUPPORTED_METHODS]
    if unsupported:
        raise exception.NotAuthorized(
            f'Attempted to authenticate with an unsupported method: {unsupported[0]}.')
    if len(methods) != 1:
        raise exception.InvalidInput(field='auth.identity.methods',
                                     reason='give one method: password or token')
    method = methods[0]
    if method not in identity:
        raise exception.InvalidInput(field=f'auth.identity.{method}',
                                     reason=f'the {method} method needs its section')
    return method


class TokenController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('POST', '/v3/auth/tokens', self.issue),
            ('GET', '/v3/auth/tokens', self.validate),
            ('HEAD', '/v3/auth/tokens', self.check),
            ('DELETE', '/v3/auth/tokens', self.revoke),
            ('GET', '/v3/auth/catalog', self.catalog),
            ('GET', '/v3/auth/projects', self.projects),
        ]

    def issue(self, req: wsgi.Request) -> webob.Response:
        auth = controller.read_body(req, schemas.AUTH)['auth']
        identity = auth['identity']
        method = _method(identity)
        scope = _scope_args(auth.get('scope'))
        try:
            if method == 'password':
                user = identity['password']['user']
                domain = user.get('domain') or {}
                info = self._api.identity.authenticate(
                    password=user['password'], user_id=user.get('id'),
                    user_name=user.get('name'), user_domain_id=domain.get('id'),
                    user_domain_name=domain.get('name'), **scope)
            else:
                info = self._api.identity.rescope_token(identity['token']['id'], **scope)
        except exception.InvalidInput as exc:
            if exc.kwargs.get('field') != 'scope':
                raise
            # No scope and no default project: keystone would issue an unscoped
            # token; nova_lite's tokens are always project-scoped.
            raise exception.NotAuthorized(
                'A project scope is required: the user has no default project.') from None
        return wsgi.json_response(
            201, views.token(info, with_catalog=not common.flag(req, 'nocatalog')),
            headers={'X-Subject-Token': info['token']})

    def _subject(self, req: wsgi.Request, rule: str) -> dict[str, Any]:
        ctx = req.context
        subject = req.headers.get('X-Subject-Token')
        if not subject:
            raise exception.InvalidInput(field='X-Subject-Token', reason='header is required')
        try:
            info = self._api.identity.validate_token(subject)
        except exception.NotAuthorized as exc:
            raise exception.NotFound(f'Could not find token: {exc.message}',
                                     resource='Token', id='') from None
        self.authorizer.authorize(ctx, rule, {'token_user_id': info['user']['id']})
        return info

    def validate(self, req: wsgi.Request) -> webob.Response:
        info = self._subject(req, 'identity:validate_token')
        return wsgi.json_response(
            200, views.token(info, with_catalog=not common.flag(req, 'nocatalog')),
            headers={'X-Subject-Token': info['token']})

    def check(self, req: wsgi.Request) -> webob.Response:
        info = self._subject(req, 'identity:validate_token')
        response = wsgi.json_response(200, headers={'X-Subject-Token': info['token']})
        response.content_type = 'application/json'
        return response

    def revoke(self, req: wsgi.Request) -> webob.Response:
        info = self._subject(req, 'identity:revoke_token')
        self._api.identity.revoke_token(info['token'])
        return wsgi.json_response(204)

    def catalog(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        return wsgi.json_response(200, {
            'catalog': (self._api.identity.get_catalog(ctx.project_id)
                        if ctx.project_id is not None else []),
            'links': {'self': common.self_url(req, self._api), 'previous': None,
                      'next': None}})

    def projects(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        projects = self._api.identity.list_projects(user_id=ctx.user_id)
        return wsgi.json_response(200, views.collection(
            'projects', [views.project(self._api.v3_url, p) for p in projects if p['enabled']],
            common.self_url(req, self._api)))
