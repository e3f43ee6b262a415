"""A cloud of separate daemons on RabbitMQ, PostgreSQL and the Redis jobboard.

One ``nova-lite-api``, one ``nova-lite-scheduler``, ``conductors`` conductors
and ``computes`` compute hosts, each its own process (``python -m
nova_lite.cmd.<daemon>``), the way an operator runs them: a RabbitMQ virtual
host, a PostgreSQL database and a Redis jobboard namespace of this cloud's
own (made at start, dropped at the end), one shared configuration file plus
a file per host (its name; a compute host's state directory). The compute
hosts run libvirt's ``test:///default`` as the embedded default does, each
with the benchmark's capacity. Default options otherwise (production's
jobboard claim expiry and poll interval, 16 WSGI threads per API).
"""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
import uuid

import redis
import requests
import sqlalchemy as sa

from . import api as bench_api
from . import cloud as bench_cloud


@dataclasses.dataclass(frozen=True)
class Backends:
    """Where the real services are (their admin access)."""

    rabbit_url: str = 'rabbit://guest:guest@127.0.0.1:5672/'
    pg_admin_url: str = 'postgresql+psycopg://postgres@127.0.0.1:5432/postgres'
    redis_url: str = 'redis://127.0.0.1:6379/0'


class DaemonCloud:
    """The daemons of one cloud in ``workdir``; same surface as ``BenchCloud``."""

    def __init__(self, workdir: str, capacity: bench_cloud.HostCapacity, *,
                 computes: int = 4, conductors: int = 2, backends: Backends | None = None,
                 python: str = sys.executable) -> None:
        self.workdir = workdir
        self.capacity = capacity
        self.backends = backends or Backends()
        self.python = python
        self.name = f'bench_boot_{uuid.uuid4().hex[:10]}'
        self.compute_hosts = [f'bench-compute-{n}' for n in range(1, computes + 1)]
        self.conductors = [f'bench-conductor-{n}' for n in range(1, conductors + 1)]
        self.config_file = os.path.join(workdir, 'nova-lite.conf')
        self.ports = {name: bench_cloud.free_port() for name in bench_cloud.SERVICES}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self._made: list[str] = []  # which of vhost, database, namespace exist

    @property
    def database_url(self) -> str:
        return sa.engine.make_url(self.backends.pg_admin_url).set(
            database=self.name).render_as_string(hide_password=False)

    @property
    def rabbit_vhost_url(self) -> str:
        return self.backends.rabbit_url.rstrip('/') + '/' + self.name

    def describe(self) -> dict[str, object]:
        return {'kind': 'daemons', 'name': self.name, 'api': 1, 'scheduler': 1,
                'conductors': len(self.conductors), 'computes': len(self.compute_hosts),
                'transport': 'RabbitMQ', 'database': 'PostgreSQL', 'jobboard': 'Redis'}

    # The backends ---------------------------------------------------------------------

    def _make_backends(self) -> None:
        for args in (['add_vhost', self.name],
                     ['set_permissions', '-p', self.name, 'guest', '.*', '.*', '.*']):
            subprocess.run(['rabbitmqctl', *args], check=True, capture_output=True,
                           timeout=120)
        self._made.append('vhost')
        admin = sa.create_engine(self.backends.pg_admin_url, isolation_level='AUTOCOMMIT')
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE {self.name}')
        finally:
            admin.dispose()
        self._made.append('database')
        self._made.append('namespace')

    def _drop_backends(self) -> None:
        if 'vhost' in self._made:
            subprocess.run(['rabbitmqctl', 'delete_vhost', self.name], capture_output=True,
                           timeout=120)
        if 'database' in self._made:
            admin = sa.create_engine(self.backends.pg_admin_url, isolation_level='AUTOCOMMIT')
            try:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS {self.name} WITH (FORCE)')
            finally:
                admin.dispose()
        if 'namespace' in self._made:
            client = redis.Redis.from_url(self.backends.redis_url)
            try:
                keys = list(client.scan_iter(match=f'{self.name}*'))
                if keys:
                    client.delete(*keys)
            finally:
                client.close()
        self._made.clear()

    # The daemons ------------------------------------------------------------------------

    def _write_config(self) -> None:
        with open(self.config_file, 'w', encoding='utf-8') as conf:
            conf.write(f"""[DEFAULT]
state_path = {self.workdir}/state
host = bench-control
transport_url = {self.rabbit_vhost_url}
debug = false

[database]
connection = {self.database_url}

{bench_cloud.service_sections(self.ports, self.capacity)}
[jobboard]
backend = redis
redis_url = {self.backends.redis_url}
namespace = {self.name}
""")

    def _host_config(self, host: str, own_state: bool) -> str:
        path = os.path.join(self.workdir, f'{host}.conf')
        with open(path, 'w', encoding='utf-8') as conf:
            conf.write(f'[DEFAULT]\nhost = {host}\n')
            if own_state:
                conf.write(f'state_path = {self.workdir}/{host}\n')
        return path

    def manage(self, *args: str) -> None:
        subprocess.run([self.python, '-m', 'nova_lite.cmd.manage', '--config-file',
                        self.config_file, *args], capture_output=True, text=True,
                       timeout=300, check=True)

    def _run(self, name: str, module: str, *extra: str) -> None:
        with open(os.path.join(self.workdir, f'{name}.log'), 'ab') as log:
            self.processes[name] = subprocess.Popen(
                [self.python, '-m', f'nova_lite.cmd.{module}', '--config-file',
                 self.config_file, *extra], stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)

    def start(self, timeout: float = 180) -> float:
        """Backends, schema, keys, bootstrap, then the daemons; returns the seconds from
        the first daemon's start until every API answered and every host was up."""
        os.makedirs(os.path.join(self.workdir, 'state'), exist_ok=True)
        self._make_backends()
        self._write_config()
        self.manage('db', 'sync')
        self.manage('fernet', 'setup')
        self.manage('conductor-keys', 'setup')
        self.manage('bootstrap', '--bootstrap-password', bench_cloud.ADMIN_PASSWORD,
                    '--service-password', bench_cloud.SERVICE_PASSWORD,
                    '--clouds-yaml', os.path.join(self.workdir, 'clouds.yaml'))
        started = time.monotonic()
        self._run('scheduler', 'scheduler')
        self._run('api', 'api')
        for host in self.compute_hosts:
            self._run(host, 'compute', '--config-file', self._host_config(host, True))
        for conductor in self.conductors:
            self._run(conductor, 'conductor', '--config-file',
                      self._host_config(conductor, False))
        self._wait_until_up(started + timeout)
        return time.monotonic() - started

    def _wait_until_up(self, deadline: float) -> None:
        identity = f'http://127.0.0.1:{self.ports["identity"]}'
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f'{name} exited {process.returncode}: '
                                       f'{self.log_tail(name)}')
            try:
                if all(self._answers(port) for port in self.ports.values()):
                    nodes = bench_api.CloudApi(self.ports,
                                               bench_api.issue_token(identity)).hypervisors()
                    up = {node['service']['host'] for node in nodes if node['state'] == 'up'}
                    if up >= set(self.compute_hosts):
                        return
            except (bench_api.ApiError, requests.RequestException):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError('the daemons did not answer, or not every compute host '
                                   'reported, in time')
            time.sleep(0.5)

    @staticmethod
    def _answers(port: int) -> bool:
        try:
            requests.get(f'http://127.0.0.1:{port}/', timeout=1)
        except requests.RequestException:
            return False
        return True

    def log_tail(self, name: str, chars: int = 1500) -> str:
        try:
            with open(os.path.join(self.workdir, f'{name}.log'), encoding='utf-8',
                      errors='replace') as log:
                return log.read()[-chars:]
        except OSError:
            return ''

    def process_roots(self) -> bench_cloud.Roots:
        return [(name, process.pid) for name, process in self.processes.items()]

    def stop(self) -> None:
        """SIGTERM every daemon (SIGKILL its group after 60 s), then drop the backends."""
        try:
            for process in self.processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in self.processes.values():
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=30)
        finally:
            self._drop_backends()
