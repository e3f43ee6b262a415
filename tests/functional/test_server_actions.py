"""Stop, start, reboot, pause and suspend through the compute REST API on the libvirt driver.

The domain's state is read from libvirt itself (``test:///default``), not
from nova_lite's records.
"""

from __future__ import annotations

import json
import time
from typing import Any

import libvirt
import webob

from nova_lite.api import auth as api_auth
from nova_lite.compute import rest
from nova_lite.virt import power_state
from nova_lite.virt.libvirt import config as guest_config


def _client(env: Any) -> Any:
    services = env.cloud.services
    app = rest.make_app(env.cloud.conf, services,
                        lambda inner: api_auth.LocalTokenAuth(inner,
                                                              services.identity.validate_token),
                        'http://127.0.0.1:8774')

    def call(method: str, path: str, body: Any = None) -> webob.Response:
        kwargs = {'body': json.dumps(body).encode()} if body is not None else {}
        return webob.Request.blank(f'/v2.1{path}', method=method, headers={
            'X-Auth-Token': env.token, 'Content-Type': 'application/json'},
            **kwargs).get_response(app)

    return call


def _domain(env: Any, server_id: str) -> libvirt.virDomain:
    [host] = env.cloud.compute_hosts
    return host.manager.driver.connection.lookupByName(guest_config.domain_name(server_id))


def _settled(call: Any, server_id: str, timeout: float = 30.0) -> dict[str, Any]:
    """The server once its action flow (run by the conductor) has ended."""
    deadline = time.monotonic() + timeout
    while True:
        server = call('GET', f'/servers/{server_id}').json['server']
        if server['OS-EXT-STS:task_state'] is None:
            return dict(server)
        assert time.monotonic() < deadline, server
        time.sleep(0.02)


def test_stop_start_reboot_on_libvirt(make_env):
    env = make_env(hosts=['host1'], virt_driver='libvirt')
    call = _client(env)
    server_id = env.boot(with_volume=False)['id']
    domain = _domain(env, server_id)
    assert domain.isActive() and domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING

    assert call('POST', f'/servers/{server_id}/action', {'os-stop': None}).status_int == 202
    server = _settled(call, server_id)
    assert server['status'] == 'SHUTOFF'
    assert server['OS-EXT-STS:power_state'] == power_state.SHUTDOWN
    assert not domain.isActive() and domain.state()[0] == libvirt.VIR_DOMAIN_SHUTOFF
    assert call('POST', f'/servers/{server_id}/action', {'os-stop': None}).status_int == 409

    assert call('POST', f'/servers/{server_id}/action', {'os-start': None}).status_int == 202
    server = _settled(call, server_id)
    assert server['status'] == 'ACTIVE'
    assert server['OS-EXT-STS:power_state'] == power_state.RUNNING
    assert domain.isActive() and domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING

    for kind in ('SOFT', 'HARD'):
        response = call('POST', f'/servers/{server_id}/action', {'reboot': {'type': kind}})
        assert response.status_int == 202, response.text
        server = _settled(call, server_id)
        assert domain.isActive()
        assert (server['status'], server['OS-EXT-STS:task_state']) == ('ACTIVE', None)
        assert server['OS-EXT-STS:power_state'] == power_state.RUNNING

    # Nova's pause is libvirt's suspend; Nova's suspend is libvirt's managed save.
    assert call('POST', f'/servers/{server_id}/action', {'pause': None}).status_int == 202
    server = _settled(call, server_id)
    assert (server['status'], server['OS-EXT-STS:power_state']) == ('PAUSED',
                                                                    power_state.PAUSED)
    assert domain.state()[0] == libvirt.VIR_DOMAIN_PAUSED
    assert call('POST', f'/servers/{server_id}/action', {'unpause': None}).status_int == 202
    assert _settled(call, server_id)['status'] == 'ACTIVE'
    assert domain.state()[0] == libvirt.VIR_DOMAIN_RUNNING
    assert call('POST', f'/servers/{server_id}/action', {'suspend': None}).status_int == 202
    server = _settled(call, server_id)
    assert (server['status'], server['OS-EXT-STS:power_state']) == ('SUSPENDED',
                                                                    power_state.SUSPENDED)
    assert not domain.isActive() and domain.hasManagedSaveImage(0)
    assert call('POST', f'/servers/{server_id}/action', {'resume': None}).status_int == 202
    assert _settled(call, server_id)['status'] == 'ACTIVE'
    assert domain.isActive() and not domain.hasManagedSaveImage(0)

    console = call('POST', f'/servers/{server_id}/action', {'os-getConsoleOutput': {}})
    assert console.status_int == 200 and isinstance(console.json['output'], str)

    assert call('DELETE', f'/servers/{server_id}').status_int == 204
    deadline = time.monotonic() + 30
    while call('GET', f'/servers/{server_id}').status_int != 404:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert env.leftovers(server_id).total() == 0
