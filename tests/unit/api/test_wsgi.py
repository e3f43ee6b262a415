"""The shared router: routing, JSON bodies and error bodies."""

from __future__ import annotations

import json

import pytest
import webob

from nova_lite.api import faults, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception


def _app(max_body: int = 1024) -> wsgi.Router:
    router = wsgi.Router(faults.compute_fault, max_body=max_body,
                         www_authenticate_uri='http://id.example/v3')

    def echo(req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(200, {'got': req.read_json()})

    def show(req: wsgi.Request, thing_id: str) -> webob.Response:
        if thing_id == 'missing':
            raise exception.NotFound(resource='Thing', id=thing_id)
        return wsgi.json_response(200, {'id': thing_id})

    def whoami(req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(200, {'user': req.context.user_id})

    def boom(req: wsgi.Request) -> webob.Response:
        raise RuntimeError('secret detail')

    router.add('POST', '/things', echo)
    router.add('GET', '/things/{thing_id}', show)
    router.add('GET', '/whoami', whoami)
    router.add('GET', '/boom', boom)
    return router


def _call(app: wsgi.Router, path: str, method: str = 'GET', body: bytes | None = None,
          content_type: str | None = 'application/json',
          environ: dict | None = None) -> webob.Response:
    req = webob.Request.blank(path, method=method, environ=environ or {})
    if body is not None:
        req.body = body
        if content_type:
            req.content_type = content_type
    return req.get_response(app)


def test_routes_with_and_without_trailing_slash():
    app = _app()
    assert _call(app, '/things/a').json == {'id': 'a'}
    assert _call(app, '/things/a/').json == {'id': 'a'}


def test_unknown_path_is_404_and_wrong_method_405():
    app = _app()
    response = _call(app, '/nothing')
    assert response.status_int == 404 and 'itemNotFound' in response.json
    assert _call(app, '/things/a', method='DELETE').status_int == 405


def test_nova_lite_errors_become_their_fault():
    response = _call(_app(), '/things/missing')
    assert response.status_int == 404
    assert response.json == {'itemNotFound': {
        'code': 404, 'message': 'Thing missing could not be found.'}}


@pytest.mark.parametrize('body, content_type, status', [
    (b'{"a": 1}', 'application/json', 200),
    (b'{"a": ', 'application/json', 400),
    (b'\xff\xfe', 'application/json', 400),
    (b'{"a": 1}', 'text/plain', 415),
    (b'', 'application/json', 400),
    (b'{"a": "' + b'x' * 2000 + b'"}', 'application/json', 413),
])
def test_json_bodies(body, content_type, status):
    response = _call(_app(), '/things', method='POST', body=body, content_type=content_type)
    assert response.status_int == status, response.body
    if status != 200:
        assert 'Traceback' not in response.text


def test_unexpected_error_is_a_500_without_details(caplog):
    response = _call(_app(), '/boom')
    assert response.status_int == 500
    assert 'secret detail' not in response.text
    assert 'secret detail' in caplog.text


def test_no_context_is_401_with_www_authenticate():
    response = _call(_app(), '/whoami')
    assert response.status_int == 401
    assert response.headers['WWW-Authenticate'] == 'Keystone uri="http://id.example/v3"'


def test_context_from_environ():
    ctx = nl_context.RequestContext(user_id='u1', project_id='p1', roles=['member'])
    response = _call(_app(), '/whoami', environ={wsgi.CONTEXT_KEY: ctx})
    assert response.json == {'user': 'u1'}


@pytest.mark.parametrize('fault, check', [
    (faults.identity_fault, lambda r: r.json['error']['code'] == 404),
    (faults.network_fault, lambda r: r.json['NeutronError']['type'] == 'NotFound'),
    (faults.image_fault, lambda r: r.text.startswith('404 Not Found')),
])
def test_fault_styles(fault, check):
    router = wsgi.Router(fault)

    def missing(req: wsgi.Request) -> webob.Response:
        raise exception.NotFound(resource='X', id='1')

    router.add('GET', '/x', missing)
    response = _call(router, '/x')
    assert response.status_int == 404 and check(response)
    json.dumps(response.text)


def test_path_that_is_not_utf8_is_404_not_500():
    req = webob.Request.blank('/things/%ff')
    assert req.get_response(_app()).status_int == 404


def test_deeply_nested_json_is_400_not_500():
    body = b'[' * 100000 + b']' * 100000
    response = _call(_app(max_body=1024 * 1024), '/things', method='POST', body=body)
    assert response.status_int == 400
    assert 'nested too deeply' in response.text
