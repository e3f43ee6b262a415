"""One boot followed through the logs by its request id.

The compute API answers the boot's ``X-OpenStack-Request-Id``; oslo.log's
context formatter prints that id on the compute host's log lines of the boot,
since the request context travels over RPC (compute API to conductor,
conductor to compute host) and its ids in the boot flow's store.
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Iterator

import pytest
import webob
from oslo_config import cfg
from oslo_log import formatters
from oslo_log import log as oslo_logging

from nova_lite.api import auth
from nova_lite.compute import rest
from tests.functional.conftest import CloudEnv, MakeEnv

PUBLIC_URL = 'http://127.0.0.1:8774'


@pytest.fixture
def nova_lite_log() -> Iterator[io.StringIO]:
    """Every nova_lite log line at INFO and above, formatted as the daemons format them."""
    log_conf = cfg.ConfigOpts()
    oslo_logging.register_options(log_conf)
    log_conf([], default_config_files=[], default_config_dirs=[])
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatters.ContextFormatter(project='nova_lite', version='test',
                                                     config=log_conf))
    logger = logging.getLogger('nova_lite')
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def _post_server(env: CloudEnv) -> webob.Response:
    services = env.cloud.services
    app = rest.make_app(env.cloud.conf, services,
                        lambda inner: auth.LocalTokenAuth(inner, services.identity.validate_token),
                        PUBLIC_URL)
    req = webob.Request.blank('/v2.1/servers', method='POST', headers={
        'X-Auth-Token': env.token, 'Content-Type': 'application/json'})
    req.json_body = {'server': env.server_body('traced', with_volume=False)}
    return req.get_response(app)


def _lines_of(logged: str, request_id: str, logger: str) -> list[str]:
    return [line for line in logged.splitlines() if request_id in line and f' {logger}' in line]


def test_a_boot_s_log_lines_carry_its_request_id(make_env: MakeEnv,
                                                 nova_lite_log: io.StringIO) -> None:
    env = make_env(hosts=['host1'])
    response = _post_server(env)
    assert response.status_int == 202, response.text
    request_id = response.headers['X-OpenStack-Request-Id']
    server = env.wait(response.json['server']['id'])
    assert server['status'] == 'ACTIVE'
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not _lines_of(nova_lite_log.getvalue(), request_id,
                                                        'nova_lite.compute.manager'):
        time.sleep(0.05)
    logged = nova_lite_log.getvalue()
    # The compute host's spawn runs in its RPC server's thread, under the context
    # the conductor sent: the one the compute API made for the POST.
    assert _lines_of(logged, request_id, 'nova_lite.compute.manager'), logged
    # The image cache's line of the same spawn too, with the user's identity.
    [cached] = _lines_of(logged, request_id, 'nova_lite.virt.imagecache')
    assert f'{env.ctx.user_id} {env.ctx.project_id}' in cached
    assert request_id not in ''.join(
        line for line in logged.splitlines() if 'Compute host host1 ready' in line)
