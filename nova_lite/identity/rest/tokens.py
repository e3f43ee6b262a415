"""``/v3/auth/*``: issue (password, token or application_credential method),
validate, check and revoke tokens; the caller's catalog, projects, domains and
system.

An invalid, expired or revoked subject token (``X-Subject-Token``) is a 404, as
keystone answers; a bad caller token (``X-Auth-Token``) is a 401.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity.rest import common, schemas, views

SUPPORTED_METHODS = ('password', 'token', 'application_credential')


def _scope_args(scope: dict[str, Any] | str | None) -> dict[str, Any]:
    if scope == 'unscoped':
        return {'unscoped': True}
    if not scope:
        return {}
    assert isinstance(scope, dict)  # the schema allows a dict or 'unscoped'
    if 'system' in scope:
        return {'system': True}
    if 'domain' in scope:
        raise exception.NotAuthorized('Domain-scoped tokens are not supported; scope the '
                                      'token to a project or the system.')
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
                                     reason='give one method: password, token or '
                                            'application_credential')
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
            ('GET', '/v3/auth/domains', self.domains),
            ('GET', '/v3/auth/system', self.system),
        ]

    def issue(self, req: wsgi.Request) -> webob.Response:
        auth = controller.read_body(req, schemas.AUTH)['auth']
        identity = auth['identity']
        method = _method(identity)
        scope = _scope_args(auth.get('scope'))
        identity_api = self._api.identity
        if method == 'password':
            user = identity['password']['user']
            domain = user.get('domain') or {}
            info = identity_api.authenticate(
                password=user['password'], user_id=user.get('id'),
                user_name=user.get('name'), user_domain_id=domain.get('id'),
                user_domain_name=domain.get('name'), **scope)
        elif method == 'token':
            info = identity_api.rescope_token(identity['token']['id'], **scope)
        else:
            info = self._app_cred_auth(identity['application_credential'], scope)
        return wsgi.json_response(
            201, views.token(info, with_catalog=not common.flag(req, 'nocatalog')),
            headers={'X-Subject-Token': info['token']})

    def _app_cred_auth(self, spec: dict[str, Any], scope: dict[str, Any]) -> dict[str, Any]:
        if scope:
            raise exception.InvalidInput(
                field='auth.scope',
                reason='an application credential is scoped to its own project')
        user = spec.get('user') or {}
        domain = user.get('domain') or {}
        return self._api.identity.authenticate_app_cred(
            secret=spec['secret'], app_cred_id=spec.get('id'), name=spec.get('name'),
            user_id=user.get('id'), user_name=user.get('name'),
            user_domain_id=domain.get('id'), user_domain_name=domain.get('name'))

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
        if ctx.project_id is None and ctx.system_scope != 'all':
            raise exception.Forbidden(message='An unscoped token has no catalog.')
        return wsgi.json_response(200, {
            'catalog': self._api.identity.get_catalog(ctx.project_id),
            'links': {'self': common.self_url(req, self._api), 'previous': None,
                      'next': None}})

    def projects(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        projects = self._api.identity.list_projects(user_id=ctx.user_id)
        return wsgi.json_response(200, views.collection(
            'projects', [views.project(self._api.v3_url, p) for p in projects if p['enabled']],
            common.self_url(req, self._api)))

    def domains(self, req: wsgi.Request) -> webob.Response:
        """The domains the caller holds a role on, directly or through a group."""
        ctx = req.context
        domain_ids = self._api.admin.grants.domain_ids_for_user(ctx.user_id or '')
        domains = [d for d in self._api.identity.list_domains()
                   if d['id'] in domain_ids and d['enabled']]
        return wsgi.json_response(200, views.collection(
            'domains', [views.domain(self._api.v3_url, d) for d in domains],
            common.self_url(req, self._api)))

    def system(self, req: wsgi.Request) -> webob.Response:
        """``[{"all": true}]`` when the caller holds a role on the system."""
        held = self._api.identity.list_system_roles(req.context.user_id or '')
        return wsgi.json_response(200, {
            'system': [{'all': True}] if held else [],
            'links': {'self': common.self_url(req, self._api), 'previous': None,
                      'next': None}})
