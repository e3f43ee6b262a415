"""A cloud of separate daemons for functional tests: API, scheduler, compute hosts
and any number of conductors, each its own process, on RabbitMQ (a virtual host
per test), PostgreSQL (a database per test) and the Redis jobboard (a namespace
per test). Conductors can be killed, stopped and continued one by one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
import requests
import sqlalchemy as sa

from tests.conftest import PG_ADMIN_URL
from tests.functional import nova_lite_all

RABBIT_URL = os.environ.get('NOVA_LITE_TEST_RABBIT_URL', 'rabbit://guest:guest@127.0.0.1:5672/')
REDIS_URL = os.environ.get('NOVA_LITE_TEST_REDIS_URL', 'redis://127.0.0.1:6379/0')
CLAIM_EXPIRY = 2.0
POLL_INTERVAL = 0.5


@pytest.fixture
def rabbit_url() -> Iterator[str]:
    """A RabbitMQ virtual host of this test's own (deleted after it).

    Queue names do not depend on the exchange, so a control_exchange of its own
    does not keep another cloud's daemons (say, left over by an aborted run) from
    consuming this test's messages; a virtual host does.
    """
    vhost = f'nova_lite_test_{uuid.uuid4().hex[:8]}'
    subprocess.run(['rabbitmqctl', 'add_vhost', vhost], check=True, capture_output=True)
    subprocess.run(['rabbitmqctl', 'set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*'],
                   check=True, capture_output=True)
    try:
        yield RABBIT_URL.rstrip('/') + '/' + vhost
    finally:
        subprocess.run(['rabbitmqctl', 'delete_vhost', vhost], capture_output=True)


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = f'nova_lite_test_{uuid.uuid4().hex[:12]}'
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level='AUTOCOMMIT')
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE {name}')
    try:
        yield sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(
            hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def redis_namespace() -> Iterator[str]:
    """A jobboard namespace of this test's own; its keys are deleted after it."""
    namespace = f'nova_lite_test_{uuid.uuid4().hex[:8]}'
    yield namespace
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f'{namespace}*'))
    if keys:
        client.delete(*keys)
    client.close()


def wait_for_url(url: str, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f'{url} did not answer')


def wait_until(predicate: Any, timeout: float, what: str, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f'timed out after {timeout} s waiting for {what}')
        time.sleep(interval)


class Daemons:
    """The processes of one cloud; ``config`` is shared, each host adds its own file."""

    def __init__(self, workdir: str, pg: str, rabbit: str, *, redis_namespace: str = '',
                 extra_config: str = '') -> None:
        self.workdir = workdir
        self.ports = {name: nova_lite_all.free_port() for name in
                      ('identity', 'compute', 'image', 'network', 'volume')}
        self.config = os.path.join(workdir, 'nova-lite.conf')
        self.clouds_yaml = os.path.join(workdir, 'clouds.yaml')
        jobboard = (f'[jobboard]\nbackend = redis\nredis_url = {REDIS_URL}\n'
                    f'namespace = {redis_namespace}\nclaim_expiry = {CLAIM_EXPIRY}\n'
                    f'poll_interval = {POLL_INTERVAL}\n' if redis_namespace else '')
        with open(self.config, 'w') as conf:
            conf.write(f"""[DEFAULT]
state_path = {workdir}/state
host = control
transport_url = {rabbit}
control_exchange = nova_lite_test_{uuid.uuid4().hex[:8]}
rpc_response_timeout = 30

[database]
connection = {pg}

[api]
{chr(10).join(f'{name}_port = {port}' for name, port in self.ports.items())}

[identity]
bcrypt_rounds = 4

[compute]
virt_driver = fake

[quota]
# Boots by the dozen in one project: no instance, core or RAM quota.
instances = -1
cores = -1
ram = -1

[volume_quota]
# ... each with a volume: no volume, snapshot or gigabyte quota either.
volumes = -1
snapshots = -1
gigabytes = -1

[network_quota]
# ... and networks, ports and security groups by the dozen: no network quota.
network = -1
subnet = -1
port = -1
router = -1
floatingip = -1
security_group = -1
security_group_rule = -1
subnetpool = -1
rbac_policy = -1

[keystone_authtoken]
password = {nova_lite_all.SERVICE_PASSWORD}

{jobboard}
{extra_config}
""")
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def host_config(self, host: str, own_state: bool = True) -> str:
        """A host's own configuration file: its name and (a compute host's) state."""
        path = os.path.join(self.workdir, f'{host}.conf')
        with open(path, 'w') as conf:
            conf.write(f'[DEFAULT]\nhost = {host}\n')
            if own_state:
                conf.write(f'state_path = {self.workdir}/{host}\n')
        return path

    def run(self, name: str, module: str, *extra: str) -> None:
        """Start a daemon; its output goes to ``<name>.log`` (appended on restarts)."""
        log = open(os.path.join(self.workdir, f'{name}.log'), 'ab')  # noqa: SIM115
        self.processes[name] = subprocess.Popen(
            [sys.executable, '-m', f'nova_lite.cmd.{module}', '--config-file', self.config,
             *extra], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def run_host(self, name: str, module: str) -> None:
        """A compute host (with state of its own) or a conductor (sharing the cloud's)."""
        self.run(name, module, '--config-file',
                 self.host_config(name, own_state=module == 'compute'))

    def signal(self, name: str, signum: int) -> None:
        """Send ``signum`` to a daemon and every process of its group."""
        os.killpg(self.processes[name].pid, signum)

    def kill(self, name: str) -> None:
        self.signal(name, signal.SIGKILL)
        self.processes[name].wait()

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, '-m', 'nova_lite.cmd.manage', '--config-file',
                               self.config, *args], check=check, capture_output=True,
                              text=True, timeout=300)

    def stop_all(self) -> dict[str, int]:
        codes = {}
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                codes[name] = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                # The launcher and its worker: nothing may outlive the test.
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
                codes[name] = -9
        return codes

    def kill_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def log(self, name: str) -> str:
        with open(os.path.join(self.workdir, f'{name}.log')) as log:
            return log.read()

    # Setting a cloud up -------------------------------------------------------------

    def start_cloud(self, compute_hosts: list[str], conductors: list[str]) -> None:
        """db sync, keys, bootstrap, then the API, the scheduler, the hosts and conductors."""
        self.manage('db', 'sync')
        self.manage('conductor-keys', 'setup')
        self.manage('bootstrap', '--bootstrap-password', nova_lite_all.ADMIN_PASSWORD,
                    '--service-password', nova_lite_all.SERVICE_PASSWORD,
                    '--clouds-yaml', self.clouds_yaml)
        self.run('scheduler', 'scheduler')
        self.run('api', 'api')
        for host in compute_hosts:
            self.run_host(host, 'compute')
        for conductor in conductors:
            self.run_host(conductor, 'conductor')
        wait_for_url(f'http://127.0.0.1:{self.ports["identity"]}/v3')
        wait_for_url(f'http://127.0.0.1:{self.ports["compute"]}/v2.1')
        wait_until(lambda: all('Reported the resources' in self.log(h)
                               for h in compute_hosts), 240, 'the compute hosts to report')


class Api:
    """The REST calls the tests make, as the admin user."""

    def __init__(self, ports: dict[str, int]) -> None:
        self.base = {name: f'http://127.0.0.1:{port}' for name, port in ports.items()}
        body = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
            'name': 'admin', 'domain': {'id': 'default'},
            'password': nova_lite_all.ADMIN_PASSWORD}}},
            'scope': {'project': {'name': 'admin', 'domain': {'id': 'default'}}}}}
        response = requests.post(f'{self.base["identity"]}/v3/auth/tokens', json=body,
                                 timeout=30)
        assert response.status_code == 201, response.text
        self.session = requests.Session()
        self.session.headers['X-Auth-Token'] = response.headers['X-Subject-Token']

    def call(self, method: str, service: str, path: str, expect: int | None = None,
             **kwargs: Any) -> Any:
        response = self.session.request(method, f'{self.base[service]}{path}', timeout=60,
                                        **kwargs)
        if expect is not None:
            assert response.status_code == expect, (method, path, response.text)
        return response.json() if response.content else None

    def boot_resources(self, *, ram: int = 256, cidr: str = '10.40.0.0/20',
                       ) -> dict[str, str]:
        image = self.call('POST', 'image', '/v2/images', 201, json={
            'name': 'img', 'disk_format': 'raw', 'container_format': 'bare'})
        self.session.put(f'{self.base["image"]}/v2/images/{image["id"]}/file',
                         data=b'\x00' * 8192, timeout=60,
                         headers={'Content-Type': 'application/octet-stream'})
        flavor = self.call('POST', 'compute', '/v2.1/flavors', 200, json={'flavor': {
            'name': 'f1', 'ram': ram, 'vcpus': 1, 'disk': 1, 'id': None}})['flavor']
        network = self.call('POST', 'network', '/v2.0/networks', 201,
                            json={'network': {'name': 'n1'}})['network']
        self.call('POST', 'network', '/v2.0/subnets', 201, json={'subnet': {
            'network_id': network['id'], 'ip_version': 4, 'cidr': cidr}})
        return {'image': image['id'], 'flavor': flavor['id'], 'network': network['id']}

    def create_volume(self, name: str) -> str:
        project = self.session.get(f'{self.base["identity"]}/v3/auth/tokens', timeout=30,
                                   headers={'X-Subject-Token':
                                            self.session.headers['X-Auth-Token']}
                                   ).json()['token']['project']['id']
        return self.call('POST', 'volume', f'/v3/{project}/volumes', 202,
                         json={'volume': {'size': 1, 'name': name}})['volume']['id']

    def create_server(self, name: str, resources: dict[str, str], *,
                      metadata: dict[str, str] | None = None,
                      volume_id: str | None = None) -> str:
        server: dict[str, Any] = {'name': name, 'imageRef': resources['image'],
                                  'flavorRef': resources['flavor'],
                                  'networks': [{'uuid': resources['network']}],
                                  'metadata': metadata or {}}
        if volume_id:
            server['block_device_mapping_v2'] = [{'uuid': volume_id, 'source_type': 'volume',
                                                  'destination_type': 'volume'}]
        return self.call('POST', 'compute', '/v2.1/servers', 202,
                         json={'server': server})['server']['id']

    def server(self, server_id: str) -> dict[str, Any]:
        return self.call('GET', 'compute', f'/v2.1/servers/{server_id}', 200)['server']

    def servers(self) -> list[dict[str, Any]]:
        return self.call('GET', 'compute', '/v2.1/servers/detail', 200)['servers']

    def ports_of(self, server_id: str) -> list[dict[str, Any]]:
        return self.call('GET', 'network', f'/v2.0/ports?device_id={server_id}', 200)['ports']

    def wait_settled(self, server_ids: list[str], timeout: float) -> dict[str, dict[str, Any]]:
        """Wait until no server is in BUILD; returns them by id."""
        def settled() -> dict[str, dict[str, Any]] | None:
            servers = {s['id']: s for s in self.servers() if s['id'] in server_ids}
            if len(servers) == len(server_ids) and all(
                    s['status'] != 'BUILD' for s in servers.values()):
                return servers
            return None
        return wait_until(settled, timeout, 'the boots to end', interval=0.5)
