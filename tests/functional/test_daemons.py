"""The daemons as processes: nova-lite-all's graceful stop, and a cloud of separate
daemons (API, scheduler, conductor, two compute hosts) on RabbitMQ and PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.functional import cluster, nova_lite_all


def _token(identity_port: int, password: str = nova_lite_all.ADMIN_PASSWORD) -> str:
    body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'admin', 'domain': {'id': 'default'}, 'password': password}}},
        'scope': {'project': {'name': 'admin', 'domain': {'id': 'default'}}}}}
    response = requests.post(f'http://127.0.0.1:{identity_port}/v3/auth/tokens', json=body,
                             timeout=30)
    assert response.status_code == 201, response.text
    return response.headers['X-Subject-Token']


def _create_image(image_port: int, token: str) -> dict[str, Any]:
    response = requests.post(f'http://127.0.0.1:{image_port}/v2/images',
                             json={'name': 'img', 'disk_format': 'raw',
                                   'container_format': 'bare'},
                             headers={'X-Auth-Token': token}, timeout=30)
    assert response.status_code == 201, response.text
    return response.json()


def _upload(image_port: int, token: str, image_id: str, data: Any) -> int:
    return requests.put(f'http://127.0.0.1:{image_port}/v2/images/{image_id}/file', data=data,
                        headers={'X-Auth-Token': token,
                                 'Content-Type': 'application/octet-stream'},
                        timeout=60).status_code


class _LoggedCloud(nova_lite_all.RunningCloud):
    """nova-lite-all with its standard error in a file (a pipe nobody reads could fill)."""

    def start(self) -> None:
        os.makedirs(self.state_path, exist_ok=True)
        self.manage('bootstrap', '--bootstrap-password', nova_lite_all.ADMIN_PASSWORD,
                    '--service-password', nova_lite_all.SERVICE_PASSWORD)
        self.stderr_file = os.path.join(self.workdir, 'stderr.log')
        with open(self.stderr_file, 'wb') as stderr:
            self.process = subprocess.Popen(
                [sys.executable, '-m', 'nova_lite.cmd.all', '--config-file',
                 self.config_file], stdout=subprocess.DEVNULL, stderr=stderr,
                start_new_session=True)
        # Every API, not only the first: they start one after another.
        for port in self.ports.values():
            _wait_for(f'http://127.0.0.1:{port}/')


def test_sigterm_lets_a_request_in_flight_finish(tmp_path: Any) -> None:
    cloud = _LoggedCloud(str(tmp_path), fault_injection=False, virt_driver='fake')
    cloud.start()
    try:
        token = _token(cloud.ports['identity'])
        image = _create_image(cloud.ports['image'], token)

        def slow_body() -> Iterator[bytes]:
            for _ in range(15):
                yield b'x' * 4096
                time.sleep(0.1)

        result: dict[str, int] = {}
        upload = threading.Thread(target=lambda: result.update(
            status=_upload(cloud.ports['image'], token, image['id'], slow_body())))
        upload.start()
        time.sleep(0.5)  # the upload is in flight
        started = time.monotonic()
        assert cloud.stop() == 0
        upload.join(30)
        assert result == {'status': 204}
        assert time.monotonic() - started < 30
        with open(cloud.log_file) as log:
            text = log.read()
        assert 'Traceback' not in text
        assert 'REST APIs stopped' in text
    finally:
        if cloud.process is not None and cloud.process.poll() is None:
            os.killpg(cloud.process.pid, signal.SIGKILL)


# -- separate daemons ------------------------------------------------------------------


_wait_for = cluster.wait_for_url


@pytest.mark.postgresql
@pytest.mark.rabbitmq
def test_separate_daemons_boot_a_server(tmp_path: Any, pg_url: str, rabbit_url: str) -> None:
    daemons = cluster.Daemons(str(tmp_path), pg_url, rabbit_url)
    daemons.manage('db', 'sync')
    daemons.manage('conductor-keys', 'setup')
    clouds_yaml = os.path.join(str(tmp_path), 'clouds.yaml')
    daemons.manage('bootstrap', '--bootstrap-password', nova_lite_all.ADMIN_PASSWORD,
                   '--service-password', nova_lite_all.SERVICE_PASSWORD,
                   '--clouds-yaml', clouds_yaml)
    daemons.run('scheduler', 'scheduler')
    daemons.run('conductor', 'conductor')
    daemons.run('api', 'api')
    for host in ('compute-a', 'compute-b'):
        daemons.run(host, 'compute', '--config-file', daemons.host_config(host))
    try:
        _wait_for(f'http://127.0.0.1:{daemons.ports["identity"]}/v3')
        _wait_for(f'http://127.0.0.1:{daemons.ports["compute"]}/v2.1')
        token = _token(daemons.ports['identity'])
        headers = {'X-Auth-Token': token}
        image = _create_image(daemons.ports['image'], token)
        assert _upload(daemons.ports['image'], token, image['id'], b'\x00' * 8192) == 204
        base = {name: f'http://127.0.0.1:{port}' for name, port in daemons.ports.items()}
        flavor = requests.post(f'{base["compute"]}/v2.1/flavors', headers=headers, timeout=30,
                               json={'flavor': {'name': 'f1', 'ram': 256, 'vcpus': 1,
                                                'disk': 1, 'id': None}})
        assert flavor.status_code == 200, flavor.text
        network = requests.post(f'{base["network"]}/v2.0/networks', headers=headers,
                                timeout=30, json={'network': {'name': 'n1'}}).json()['network']
        subnet = requests.post(f'{base["network"]}/v2.0/subnets', headers=headers, timeout=30,
                               json={'subnet': {'network_id': network['id'], 'ip_version': 4,
                                                'cidr': '10.9.0.0/24'}})
        assert subnet.status_code == 201, subnet.text
        deadline = time.monotonic() + 240
        while not all('Reported the resources' in daemons.log(h)
                      for h in ('compute-a', 'compute-b')):
            assert time.monotonic() < deadline, daemons.log('compute-b')
            time.sleep(0.2)
        # The boot itself goes through the unmodified openstack CLI.
        env = {k: v for k, v in os.environ.items() if not k.startswith('OS_')}
        env.update(OS_CLIENT_CONFIG_FILE=clouds_yaml, OS_CLOUD=nova_lite_all.CLOUD)
        openstack = os.path.join(os.path.dirname(sys.executable), 'openstack')
        created = subprocess.run(
            [openstack, 'server', 'create', '--flavor', 'f1', '--image', image['id'],
             '--network', 'n1', '--wait', '-f', 'json', 'vm1'],
            capture_output=True, text=True, env=env, timeout=240)
        assert created.returncode == 0, created.stdout + created.stderr
        server_id = json.loads(created.stdout)['id']
        server = requests.get(f'{base["compute"]}/v2.1/servers/{server_id}',
                              headers=headers, timeout=30).json()['server']
        assert server['status'] == 'ACTIVE', server
        assert server['addresses']['n1'][0]['addr'].startswith('10.9.0.')
        hosts = [h for h in ('compute-a', 'compute-b')
                 if f'instance {server_id} is ACTIVE on {h}' in daemons.log('conductor')
                 or f'received the build request for instance {server_id}' in daemons.log(h)]
        assert len(hosts) == 1
        assert f'downloaded image {image["id"]}' in daemons.log(hosts[0])
    finally:
        codes = daemons.stop_all()
    assert codes == dict.fromkeys(daemons.processes, 0)
    for name in daemons.processes:
        assert 'Traceback' not in daemons.log(name), daemons.log(name)
