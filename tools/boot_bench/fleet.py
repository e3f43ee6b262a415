"""Many registered compute hosts: boot latency and scheduling time as hosts are added.

For each host count N the benchmark starts a fresh embedded cloud (one real
compute host, ``bench-host``) and registers N - 1 more hosts the way a compute
host registers itself: a resource report handed to the scheduler manager's
``update_compute_node`` (the method the ``update_compute_node`` RPC reaches),
here called in the benchmark's own process on the cloud's database, because
the embedded cloud's in-process transport cannot be reached from another
process. The scheduler keeps no host list in memory: it reads every compute
node from the database on each ``select_destinations``, so a host written by
that method is a host it filters and weighs.

The extra hosts have no compute service behind them, so the boots must land
on the real host while the scheduler still filters and weighs all N hosts:
each extra host reports half the real host's vCPUs, RAM and disk, which
passes every filter for the bench flavor, and the weighers (free RAM, disk,
vCPUs) then rank the real host first. Each host reports again before the
boots of its count and between two boots once a third of ``[scheduler]
service_down_time`` has passed (a real host's report interval), never inside
a timed boot; the run checks afterwards that all N hosts were still up.

The scheduler's own time: ``select_destinations`` called directly (no RPC)
on the cloud's database with the bench flavor and every host as an
alternate, which proves that all N hosts passed the filters; then its claim
is released. It is timed in the benchmark's process while the cloud is idle.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from oslo_config import cfg

from nova_lite import conf as nl_conf
from nova_lite.common import context as nl_context
from nova_lite.compute import manager as compute_manager
from nova_lite.db import api as db_api
from nova_lite.scheduler import manager as scheduler_manager

from . import runs

REAL_HOST = 'bench-host'
SCALED = ('vcpus', 'memory_mb', 'local_gb')
COPIED = ('cpu_allocation_ratio', 'ram_allocation_ratio', 'disk_allocation_ratio',
          'reserved_memory_mb', 'hypervisor_type', 'availability_zone', 'capabilities')


def load_conf(config_file: str) -> cfg.ConfigOpts:
    """The cloud's configuration, as its services read it (no logging set up)."""
    conf = cfg.ConfigOpts()
    nl_conf.register_opts(conf)
    conf(['--config-file', config_file], project='nova-lite', default_config_files=[])
    return conf


def fake_host_name(number: int) -> str:
    return f'bench-extra-{number:04d}'


def extra_host_report(real: dict[str, Any], flavor: dict[str, int]) -> dict[str, Any]:
    """An extra host's report: half the real host's sizes (at least the flavor's)."""
    needs = {'vcpus': flavor['vcpus'], 'memory_mb': flavor['memory_mb'],
             'local_gb': flavor['root_gb']}
    report: dict[str, Any] = {key: max(needs[key], real[key] // 2) for key in SCALED}
    report.update({key: real[key] for key in COPIED if real.get(key) is not None})
    return report


class HostFleet:
    """The extra hosts of one cloud, registered and kept up through the scheduler."""

    def __init__(self, config_file: str, extra_hosts: int, flavor: dict[str, int]) -> None:
        self.conf = load_conf(config_file)
        self.db = db_api.Database.from_conf(self.conf)
        self.scheduler = scheduler_manager.SchedulerManager(self.conf, self.db)
        self.ctx = nl_context.get_admin_context()
        self.names = [fake_host_name(n) for n in range(1, extra_hosts + 1)]
        self.flavor = flavor
        self.report_interval = compute_manager.report_interval(self.conf)
        self.reported_at = 0.0
        self.report: dict[str, Any] = {}

    def close(self) -> None:
        self.db.dispose()

    def register(self) -> float:
        """Every extra host reports its resources; returns the seconds it took."""
        [real] = self.scheduler.get_host_usage(self.ctx, REAL_HOST)
        self.report = extra_host_report(real, self.flavor)
        started = time.perf_counter()
        for name in self.names:
            self.scheduler.update_compute_node(self.ctx, name, dict(self.report))
        self.reported_at = time.monotonic()
        return time.perf_counter() - started

    def keep_up(self) -> None:
        """Report again when a real host would have (call between boots)."""
        if self.names and time.monotonic() - self.reported_at >= self.report_interval:
            self.register()

    def hosts_up(self) -> dict[str, int]:
        nodes = self.scheduler.get_host_usage(self.ctx)
        return {'registered': len(nodes), 'up': sum(1 for node in nodes if node['up'])}

    def time_select(self, times: int) -> dict[str, Any]:
        """``select_destinations`` (filter, weigh, claim) timed directly, then released."""
        hosts = len(self.names) + 1
        spec_flavor = {key: self.flavor[key] for key in ('vcpus', 'memory_mb', 'root_gb',
                                                         'ephemeral_gb', 'swap')}
        selects, releases, chosen, alternates = [], [], set(), 0
        for _ in range(times):
            instance_id = f'bench-select-{uuid.uuid4()}'
            spec: dict[str, Any] = {
                'instance_id': instance_id, 'flavor': dict(spec_flavor),
                'image': {'id': 'bench', 'properties': {}}, 'availability_zone': None,
                'ignore_hosts': [], 'num_alternates': hosts}
            started = time.perf_counter()
            selection = self.scheduler.select_destinations(self.ctx, spec)
            selects.append(time.perf_counter() - started)
            started = time.perf_counter()
            self.scheduler.release_claim(self.ctx, instance_id)
            releases.append(time.perf_counter() - started)
            chosen.add(selection['host'])
            alternates = len(selection['alternates'])
        return {'calls': times, 'select_destinations': runs.summary_ms(selects),
                'release_claim': runs.summary_ms(releases), 'hosts_chosen': sorted(chosen),
                'hosts_passing_filters': alternates + 1}


def flavor_of(client: Any, flavor_id: str) -> dict[str, int]:
    """The bench flavor in the scheduler's terms (from GET /flavors/{id})."""
    flavor = client.call('GET', 'compute', f'/v2.1/flavors/{flavor_id}', 200)['flavor']
    return {'vcpus': int(flavor['vcpus']), 'memory_mb': int(flavor['ram']),
            'root_gb': int(flavor['disk']),
            'ephemeral_gb': int(flavor.get('OS-FLV-EXT-DATA:ephemeral') or 0),
            'swap': int(flavor.get('swap') or 0)}
