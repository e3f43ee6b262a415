"""Request ids: from oslo.middleware's RequestId to the context, the log lines and RPC."""

from __future__ import annotations

import io
import logging
import re
import threading
import uuid
from typing import Any

import oslo_messaging
import pytest
import webob
from oslo_config import cfg
from oslo_context import context as oslo_context
from oslo_log import formatters
from oslo_log import log as oslo_logging

from nova_lite.api import auth, faults, request_id, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception, rpc
from tests.conftest import use_private_messaging

REQUEST_ID = re.compile(r'^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
LOG = logging.getLogger('nova_lite.tests.request_id')
TOKEN = 'good-token'


def _token_info(token: str) -> dict[str, Any]:
    if token != TOKEN:
        raise exception.NotAuthorized()
    domain = {'id': 'default', 'name': 'Default'}
    return {'user': {'id': 'u1', 'name': 'alice', 'domain': domain},
            'project': {'id': 'p1', 'name': 'demo', 'domain': domain},
            'roles': [{'name': 'member'}]}


class Seen:
    """What the handler saw of its request's contexts."""

    def __init__(self) -> None:
        self.context: nl_context.RequestContext | None = None
        self.current: oslo_context.RequestContext | None = None


def _app(conf: cfg.ConfigOpts, seen: Seen, *, compute: bool = False) -> auth.WSGIApp:
    router = wsgi.Router(faults.network_fault, www_authenticate_uri='http://id.example/v3')

    def whoami(req: wsgi.Request) -> webob.Response:
        seen.context = req.context
        seen.current = oslo_context.get_current()
        LOG.warning('serving whoami')
        return wsgi.json_response(200, {'user': req.context.user_id})

    def anonymous(req: wsgi.Request) -> webob.Response:
        seen.current = oslo_context.get_current()
        LOG.warning('serving anonymous')
        return wsgi.json_response(200, {})

    router.add('GET', '/whoami', whoami)
    router.add('GET', '/anonymous', anonymous)
    return request_id.with_request_id(auth.LocalTokenAuth(router, _token_info), conf,
                                      compute=compute)


def _get(app: auth.WSGIApp, path: str, headers: dict[str, str] | None = None) -> webob.Response:
    return webob.Request.blank(path, headers=headers or {}).get_response(app)


def test_the_response_header_names_the_id_of_the_request_context(conf: cfg.ConfigOpts) -> None:
    seen = Seen()
    response = _get(_app(conf, seen), '/whoami', {'X-Auth-Token': TOKEN})
    assert response.status_int == 200
    answered = response.headers['X-OpenStack-Request-Id']
    assert REQUEST_ID.match(answered)
    assert 'X-Compute-Request-Id' not in response.headers
    assert seen.context is not None and seen.context.request_id == answered
    assert seen.context.global_request_id is None
    assert seen.current is seen.context  # what oslo.log prints


def test_each_request_gets_its_own_id(conf: cfg.ConfigOpts) -> None:
    app = _app(conf, Seen())
    ids = {_get(app, '/whoami', {'X-Auth-Token': TOKEN}).headers['X-OpenStack-Request-Id']
           for _ in range(3)}
    assert len(ids) == 3


def test_the_compute_variant_also_answers_nova_s_legacy_header(conf: cfg.ConfigOpts) -> None:
    response = _get(_app(conf, Seen(), compute=True), '/whoami', {'X-Auth-Token': TOKEN})
    assert REQUEST_ID.match(response.headers['X-OpenStack-Request-Id'])
    assert response.headers['X-Compute-Request-Id'] == response.headers['X-OpenStack-Request-Id']


@pytest.mark.parametrize(('path', 'token', 'status'), [
    ('/whoami', None, 401), ('/whoami', 'bad-token', 401), ('/nothing', TOKEN, 404)])
def test_error_responses_carry_the_id_and_keep_their_fault_body(
        conf: cfg.ConfigOpts, path: str, token: str | None, status: int) -> None:
    headers = {'X-Auth-Token': token} if token else {}
    response = _get(_app(conf, Seen(), compute=True), path, headers)
    assert response.status_int == status
    assert REQUEST_ID.match(response.headers['X-OpenStack-Request-Id'])
    assert response.headers['X-Compute-Request-Id'] == response.headers['X-OpenStack-Request-Id']
    assert set(response.json['NeutronError']) == {'type', 'message', 'detail'}


def test_a_callers_well_formed_id_becomes_the_global_request_id(conf: cfg.ConfigOpts) -> None:
    seen = Seen()
    caller_id = f'req-{uuid.uuid4()}'
    response = _get(_app(conf, seen), '/whoami',
                    {'X-Auth-Token': TOKEN, 'X-OpenStack-Request-Id': caller_id})
    assert seen.context is not None
    assert seen.context.global_request_id == caller_id
    assert seen.context.global_id == caller_id
    # The response names the id made for this request, not the caller's.
    assert response.headers['X-OpenStack-Request-Id'] == seen.context.request_id != caller_id


def test_a_malformed_caller_id_is_ignored(conf: cfg.ConfigOpts) -> None:
    seen = Seen()
    _get(_app(conf, seen), '/whoami',
         {'X-Auth-Token': TOKEN, 'X-OpenStack-Request-Id': 'req-not-a-uuid'})
    assert seen.context is not None and seen.context.global_request_id is None


def test_the_thread_s_context_is_restored_after_the_request(conf: cfg.ConfigOpts) -> None:
    result: dict[str, Any] = {}

    def serve() -> None:
        _get(_app(conf, Seen()), '/whoami', {'X-Auth-Token': TOKEN})
        result['after'] = oslo_context.get_current()

    worker = threading.Thread(target=serve)
    worker.start()
    worker.join()
    assert result == {'after': None}


def _formatted_log(conf: cfg.ConfigOpts, app: auth.WSGIApp, path: str,
                   headers: dict[str, str]) -> tuple[webob.Response, str]:
    log_conf = cfg.ConfigOpts()  # oslo.log's options with their defaults
    oslo_logging.register_options(log_conf)
    log_conf([], default_config_files=[], default_config_dirs=[])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatters.ContextFormatter(project='nova_lite', version='test',
                                                     config=log_conf))
    LOG.addHandler(handler)
    try:
        response = _get(app, path, headers)
    finally:
        LOG.removeHandler(handler)
    return response, stream.getvalue()


def test_oslo_log_prints_the_id_on_the_request_s_log_lines(conf: cfg.ConfigOpts) -> None:
    caller_id = f'req-{uuid.uuid4()}'
    response, logged = _formatted_log(conf, _app(conf, Seen()), '/whoami',
                                      {'X-Auth-Token': TOKEN,
                                       'X-OpenStack-Request-Id': caller_id})
    line = next(line for line in logged.splitlines() if 'serving whoami' in line)
    assert response.headers['X-OpenStack-Request-Id'] in line
    assert caller_id in line
    assert 'u1 p1' in line  # oslo.log's user_identity: the same context


def test_an_unauthenticated_request_s_log_lines_carry_its_id(conf: cfg.ConfigOpts) -> None:
    response, logged = _formatted_log(conf, _app(conf, Seen()), '/anonymous', {})
    line = next(line for line in logged.splitlines() if 'serving anonymous' in line)
    assert response.headers['X-OpenStack-Request-Id'] in line


class _Recorder:
    target = oslo_messaging.Target(version='1.0')

    def __init__(self) -> None:
        self.contexts: list[tuple[Any, Any]] = []

    def record(self, ctxt: nl_context.RequestContext) -> str:
        self.contexts.append((ctxt, oslo_context.get_current()))
        return ctxt.request_id


def test_the_request_id_reaches_the_rpc_server_s_context(conf: cfg.ConfigOpts) -> None:
    use_private_messaging(conf)
    transport = rpc.get_transport(conf)
    target = oslo_messaging.Target(topic=f'request-id-{uuid.uuid4().hex[:8]}', server='s1')
    recorder = _Recorder()
    server = rpc.get_server(transport, target, [recorder])
    server.start()
    try:
        ctx = nl_context.RequestContext(user_id='u1', project_id='p1', roles=['member'],
                                        global_request_id=f'req-{uuid.uuid4()}',
                                        overwrite=False)
        client = rpc.get_client(transport, oslo_messaging.Target(topic=target.topic,
                                                                 version='1.0'), timeout=30)
        assert client.call(ctx, 'record') == ctx.request_id
    finally:
        server.stop()
        server.wait()
        transport.cleanup()
    (received, current), = recorder.contexts
    assert isinstance(received, nl_context.RequestContext)
    assert received.request_id == ctx.request_id
    assert received.global_request_id == ctx.global_request_id
    # The RPC handler's thread logs under the caller's ids.
    assert current is received


def test_a_housekeeping_context_never_becomes_the_log_context() -> None:
    result: dict[str, Any] = {}

    def housekeeping() -> None:
        ctx = nl_context.get_admin_context()
        result['current'] = oslo_context.get_current()
        result['is_admin'] = ctx.is_admin

    worker = threading.Thread(target=housekeeping)
    worker.start()
    worker.join()
    assert result == {'current': None, 'is_admin': True}
