#!/usr/bin/env python
"""What a filtered page of 100 costs as the tables grow: ports and servers.

Fills a fresh SQLite database (the embedded default) with ports and servers,
then calls the network and compute REST apps in process (webob requests with
an admin token, as the unit tests do) and times:

  GET /v2.0/ports?network_id=<net>&device_owner=compute:nova&limit=100
  GET /v2.0/ports?...&limit=100&marker=<a port in the middle>
  GET /v2.1/servers/detail?status=ACTIVE&limit=100
  GET /v2.1/servers/detail?status=ACTIVE&limit=100&marker=<a server in the middle>

at 1,000 and then 10,000 rows of each. Prints the median and p95 of N runs
per request and size; the cost should not grow with the table (the goal is a
median under 50 ms at 10,000). Figures only: nothing is asserted.

    python tools/bench_paging.py [-n 30] [--sizes 1000,10000]
"""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
import webob
from oslo_config import cfg

from nova_lite import conf as nl_conf
from nova_lite import embedded
from nova_lite.api import auth as api_auth
from nova_lite.compute import rest as compute_rest
from nova_lite.db.models import compute as compute_models
from nova_lite.db.models import network as network_models
from nova_lite.identity import bootstrap
from nova_lite.network import rest as network_rest

PASSWORD = 'bench-paging-secret'
NETWORKS = 10
PAGE = 100


def make_conf(path: str) -> cfg.ConfigOpts:
    conf = cfg.ConfigOpts()
    nl_conf.register_opts(conf)
    conf([], project='nova_lite', default_config_files=[], default_config_dirs=[])
    conf.set_override('state_path', f'{path}/state')
    conf.set_override('connection', f'sqlite:///{path}/state/nova_lite.sqlite',
                      group='database')
    conf.set_override('bcrypt_rounds', 4, group='identity')
    conf.set_override('virt_driver', 'fake', group='compute')
    return conf


class Bench:
    """One cloud (not started: no service runs), its two apps and an admin token."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self.cloud = embedded.EmbeddedCloud(conf, hosts=['bench-host'])
        services = self.cloud.services
        bootstrap.bootstrap(services.identity, password=PASSWORD)
        info = services.identity.authenticate(
            user_name='admin', user_domain_name='Default', password=PASSWORD,
            project_name='admin', project_domain_name='Default')
        self.token = info['token']
        self.ctx = services.identity.context_from_token(self.token)

        def auth(app: Any) -> Any:
            return api_auth.LocalTokenAuth(app, services.identity.validate_token)

        self.network_app = network_rest.make_app(conf, services, auth, 'http://bench:9696')
        self.compute_app = compute_rest.make_app(conf, services, auth, 'http://bench:8774')
        self.networks = [self.cloud.networks.create_network(self.ctx, name=f'net{i}')['id']
                         for i in range(NETWORKS)]
        self.subnets = [self.cloud.networks.create_subnet(
            self.ctx, network_id=net, cidr=f'10.{i}.0.0/16')['id']
            for i, net in enumerate(self.networks)]
        self.ports = 0
        self.servers = 0

    def get(self, app: Any, path: str) -> dict[str, Any]:
        request = webob.Request.blank(path, headers={'X-Auth-Token': self.token})
        response = request.get_response(app)
        if response.status_int != 200:
            raise RuntimeError(f'{path}: {response.status} {response.text[:300]}')
        return json.loads(response.body)

    def add_ports(self, total: int) -> None:
        """Ports (with one fixed IP each) spread over the networks, up to ``total``."""
        start = datetime.datetime(2026, 1, 1)
        ports, addresses = [], []
        for index in range(self.ports, total):
            port_id = str(uuid.uuid4())
            net = index % NETWORKS
            ports.append({'id': port_id, 'name': f'port-{index}', 'network_id': self.networks[net],
                          'project_id': self.ctx.project_id,
                          'mac_address': f'fa:16:3e:{index >> 16 & 255:02x}:'
                                         f'{index >> 8 & 255:02x}:{index & 255:02x}',
                          'admin_state_up': True, 'status': 'ACTIVE',
                          'device_id': str(uuid.uuid4()), 'device_owner': 'compute:nova',
                          'binding_host_id': 'bench-host',
                          'created_at': start + datetime.timedelta(seconds=index)})
            host = index // NETWORKS + 2
            addresses.append({'subnet_id': self.subnets[net], 'port_id': port_id,
                              'network_id': self.networks[net],
                              'ip_address': f'10.{net}.{host >> 8}.{host & 255}'})
        with self.cloud.db.session() as session:
            session.execute(sa.insert(network_models.Port), ports)
            session.execute(sa.insert(network_models.IPAllocation), addresses)
        self.ports = total

    def add_servers(self, total: int) -> None:
        """Servers of the admin's project, nine in ten ACTIVE, up to ``total``."""
        start = datetime.datetime(2026, 1, 1)
        rows: list[dict[str, Any]] = []
        for index in range(self.servers, total):
            rows.append({
                'id': str(uuid.uuid4()), 'name': f'vm-{index}',
                'project_id': self.ctx.project_id, 'user_id': self.ctx.user_id,
                'image_id': str(uuid.uuid4()), 'flavor_id': 'small', 'host': 'bench-host',
                'vm_state': 'stopped' if index % 10 == 0 else 'active', 'task_state': None,
                'power_state': 1, 'instance_metadata': {}, 'build_request': {},
                'network_info': [{'network_id': self.networks[0], 'network_name': 'net0',
                                  'mac_address': 'fa:16:3e:00:00:01',
                                  'fixed_ips': [{'ip_address': '10.0.0.5'}]}],
                'created_at': start + datetime.timedelta(seconds=index),
                'launched_at': start})
        with self.cloud.db.session() as session:
            session.execute(sa.insert(compute_models.Instance), rows)
        self.servers = total


def timed(call: Callable[[], Any], runs: int) -> tuple[float, float]:
    """(median, p95) wall time of ``call`` in milliseconds, after two warm-up calls."""
    call()
    call()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.95))]


def measure(bench: Bench, size: int, runs: int) -> list[tuple[str, int, float, float]]:
    ports = (f'/v2.0/ports?network_id={bench.networks[3]}&device_owner=compute%3Anova'
             f'&limit={PAGE}')
    servers = f'/v2.1/servers/detail?status=ACTIVE&limit={PAGE}'
    middle_port = bench.get(bench.network_app, f'/v2.0/ports?network_id={bench.networks[3]}'
                            f'&limit={size // NETWORKS // 2}')['ports'][-1]['id']
    middle_server = bench.get(bench.compute_app,
                              f'/v2.1/servers?status=ACTIVE&limit={size // 2}',
                              )['servers'][-1]['id']
    for path, app, key in ((ports, bench.network_app, 'ports'),
                           (servers, bench.compute_app, 'servers')):
        got = len(bench.get(app, path)[key])
        if got != PAGE:
            raise RuntimeError(f'{path}: {got} items, expected a page of {PAGE}')
    cases = [('GET /v2.0/ports (filtered page)', bench.network_app, ports),
             ('GET /v2.0/ports (page after a marker)', bench.network_app,
              f'{ports}&marker={middle_port}'),
             ('GET /servers/detail (filtered page)', bench.compute_app, servers),
             ('GET /servers/detail (page after a marker)', bench.compute_app,
              f'{servers}&marker={middle_server}')]
    results = []
    for label, app, path in cases:
        median, p95 = timed(functools.partial(bench.get, app, path), runs)
        results.append((label, size, median, p95))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('-n', '--runs', type=int, default=30, help='timed runs per figure')
    parser.add_argument('--sizes', default='1000,10000',
                        help='table sizes (ports and servers), comma-separated, ascending')
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(',')]
    with tempfile.TemporaryDirectory(prefix='bench-paging-') as path:
        bench = Bench(make_conf(path))
        results = []
        for size in sizes:
            began = time.perf_counter()
            bench.add_ports(size)
            bench.add_servers(size)
            print(f'filled {size} ports and {size} servers in '
                  f'{time.perf_counter() - began:.1f} s', flush=True)
            results += measure(bench, size, args.runs)
    print(f'\n{"request":42} {"rows":>7} {"median ms":>10} {"p95 ms":>8}   ({args.runs} runs)')
    for label, size, median, p95 in sorted(results, key=lambda r: (r[0], r[1])):
        print(f'{label:42} {size:>7} {median:>10.1f} {p95:>8.1f}')


if __name__ == '__main__':
    main()
