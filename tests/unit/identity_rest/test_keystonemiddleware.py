"""keystonemiddleware's auth_token, for real, against the identity API over HTTP.

The identity app is served by cheroot on a free loopback port; a tiny app
behind ``nova_lite.api.auth.with_keystone_auth`` must see a Confirmed identity
for a user token and 'Invalid' for a tampered or revoked one.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
import webob
import webob.dec
from cheroot import wsgi as cheroot_wsgi
from keystoneauth1 import loading as ks_loading
from keystonemiddleware import auth_token
from oslo_config import cfg

from nova_lite.api import auth as api_auth
from nova_lite.api import wsgi
from nova_lite.db import api as db_api
from nova_lite.identity import bootstrap
from nova_lite.identity import rest as identity_rest
from tests.unit.identity_rest.conftest import (
    ADMIN_PASSWORD,
    SERVICE_PASSWORD,
    Client,
    build_services,
)


@pytest.fixture
def served(conf: cfg.ConfigOpts, db: db_api.Database) -> Iterator[dict[str, Any]]:
    """The identity API on http://127.0.0.1:<free port>, its catalog pointing there."""
    services = build_services(conf, db)
    bootstrap.bootstrap(services.identity, password=ADMIN_PASSWORD,
                        service_password=SERVICE_PASSWORD)
    server = cheroot_wsgi.Server(('127.0.0.1', 0), None, numthreads=4)
    server.prepare()
    url = f'http://127.0.0.1:{server.bind_addr[1]}'
    identity_service = next(s for s in services.identity.list_services()
                            if s['type'] == 'identity')
    services.identity.create_endpoint(identity_service['id'], f'{url}/v3')
    app = identity_rest.make_app(conf, services, None, url)
    server.wsgi_app = app
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    try:
        yield {'url': url, 'client': Client(app), 'identity': services.identity}
    finally:
        server.stop()
        thread.join(5)


def _authtoken_conf(conf: cfg.ConfigOpts, url: str) -> None:
    for group, opts in auth_token.list_opts():
        conf.register_opts(opts, group=group)
    conf.register_opts(ks_loading.get_auth_plugin_conf_options('password'),
                       group='keystone_authtoken')
    settings = {'auth_type': 'password', 'auth_url': f'{url}/v3', 'username': 'nova_lite',
                'password': SERVICE_PASSWORD, 'project_name': 'service',
                'user_domain_name': 'Default', 'project_domain_name': 'Default',
                'www_authenticate_uri': url, 'interface': 'public',
                'token_cache_time': -1, 'http_request_max_retries': 0}
    for name, value in settings.items():
        conf.set_override(name, value, group='keystone_authtoken')


def _seen(holder: dict[str, Any], token: str) -> tuple[str | None, Any]:
    """What the app behind auth_token saw: the identity status and the context."""
    seen: dict[str, Any] = {}

    @webob.dec.wsgify
    def inner(req: webob.Request) -> webob.Response:
        seen['status'] = req.environ.get('HTTP_X_IDENTITY_STATUS')
        seen['context'] = req.environ.get(wsgi.CONTEXT_KEY)
        return webob.Response(status=200)

    holder['inner'] = inner
    req = webob.Request.blank('/anything', headers={'X-Auth-Token': token})
    assert req.get_response(holder['outer']).status_int == 200
    return seen.get('status'), seen.get('context')


def test_auth_token_validates_through_identity_api(conf: cfg.ConfigOpts,
                                                   served: dict[str, Any]) -> None:
    _authtoken_conf(conf, served['url'])
    holder: dict[str, Any] = {}

    def dispatch(environ: dict[str, Any], start_response: Any) -> Any:
        return holder['inner'](environ, start_response)

    holder['outer'] = api_auth.with_keystone_auth(dispatch, conf)
    token = served['client'].login('admin', ADMIN_PASSWORD, 'admin')

    status, ctx = _seen(holder, token)
    assert status == 'Confirmed'
    assert ctx is not None and ctx.user_name == 'admin' and ctx.project_name == 'admin'
    assert {'admin', 'member', 'reader'} <= set(ctx.roles) and ctx.is_admin

    tampered = token[:-6] + ('AAAAAA' if not token.endswith('AAAAAA') else 'BBBBBB')
    status, ctx = _seen(holder, tampered)
    assert status == 'Invalid' and ctx is None

    served['identity'].revoke_token(token)
    status, ctx = _seen(holder, token)
    assert status == 'Invalid' and ctx is None


def test_a_system_scoped_token_reaches_the_services_context(conf: cfg.ConfigOpts,
                                                            served: dict[str, Any]) -> None:
    _authtoken_conf(conf, served['url'])
    holder: dict[str, Any] = {}

    def dispatch(environ: dict[str, Any], start_response: Any) -> Any:
        return holder['inner'](environ, start_response)

    holder['outer'] = api_auth.with_keystone_auth(dispatch, conf)
    token = served['identity'].authenticate(user_name='admin', user_domain_id='default',
                                            password=ADMIN_PASSWORD, system=True)['token']
    status, ctx = _seen(holder, token)
    assert status == 'Confirmed'
    assert ctx.system_scope == 'all' and ctx.project_id is None and ctx.is_admin


def test_the_apis_of_a_process_share_one_token_cache(conf: cfg.ConfigOpts,
                                                     served: dict[str, Any],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A token validated by one API is not validated again by another of the process."""
    _authtoken_conf(conf, served['url'])
    conf.set_override('token_cache_time', 60, group='keystone_authtoken')
    identity = served['identity']
    validations: list[str] = []
    real_validate = identity.validate_token

    def counting(token: str, *args: Any, **kwargs: Any) -> Any:
        validations.append(token)
        return real_validate(token, *args, **kwargs)

    monkeypatch.setattr(identity, 'validate_token', counting)
    cache = api_auth.TokenValidationCache()
    token = served['client'].login('admin', ADMIN_PASSWORD, 'admin')
    validations.clear()
    for _api in ('compute', 'image'):
        holder: dict[str, Any] = {}

        def dispatch(environ: dict[str, Any], start_response: Any,
                     holder: dict[str, Any] = holder) -> Any:
            return holder['inner'](environ, start_response)

        holder['outer'] = api_auth.with_keystone_auth(dispatch, conf, token_cache=cache)
        for _request in range(3):
            status, _ctx = _seen(holder, token)
            assert status == 'Confirmed'
    assert validations.count(token) == 1 and cache.count() == 1
