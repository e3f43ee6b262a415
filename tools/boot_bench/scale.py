"""The runs that each start a fresh embedded cloud of their own: boot latency as
compute hosts are registered (``--hosts``), and memory over many boots
(``--memory-boots``)."""

from __future__ import annotations

import argparse
import collections
import contextlib
import os
from collections.abc import Callable, Iterator
from typing import Any

from . import api as bench_api
from . import breakdown as bench_breakdown
from . import cloud as bench_cloud
from . import fleet, memory, runs


@contextlib.contextmanager
def fresh_cloud(directory: str, capacity: bench_cloud.HostCapacity,
                ) -> Iterator[tuple[bench_cloud.BenchCloud,
                                    Callable[[], bench_api.CloudApi], dict[str, str]]]:
    """A fresh ``nova-lite-all`` in ``directory``, a client maker and the boot resources."""
    os.makedirs(directory, exist_ok=True)
    cloud = bench_cloud.BenchCloud(directory, capacity)
    try:
        cloud.start()
        token = bench_api.issue_token(f'http://127.0.0.1:{cloud.ports["identity"]}')

        def make_client() -> bench_api.CloudApi:
            return bench_api.CloudApi(cloud.ports, token)

        yield cloud, make_client, make_client().boot_resources()
    finally:
        cloud.stop()


def one_host_count(directory: str, capacity: bench_cloud.HostCapacity, hosts: int,
                   args: argparse.Namespace) -> dict[str, Any]:
    """``args.host_boots`` sequential boots with ``hosts`` compute hosts registered."""
    with fresh_cloud(directory, capacity) as (cloud, make_client, resources):
        admin = make_client()
        extra = fleet.HostFleet(cloud.config_file, hosts - 1,
                                fleet.flavor_of(admin, resources['flavor']))
        try:
            registration = extra.register()
            boots = runs.sequential(admin, resources, args.host_boots, args.poll_ms / 1e3,
                                    args.boot_timeout, between=extra.keep_up)
            up_after = extra.hosts_up()
            found = bench_breakdown.breakdown(cloud.database_url, boots)
            select = extra.time_select(args.host_boots)
        finally:
            extra.close()
    seq = runs.sequential_report(boots)
    return {'hosts': hosts, 'registration_seconds': round(registration, 2),
            'extra_host_report': extra.report, 'hosts_after_boots': up_after,
            'boots_landed_on': dict(collections.Counter(b.host for b in boots)),
            'post_to_active': seq['post_to_active'],
            'delete_to_404': seq['delete_to_404'],
            'schedule_task_median_ms': found['task_median_ms'].get('schedule'),
            'task_median_ms': found['task_median_ms'],
            'scheduler_direct': select}


def host_counts(directory: str, capacity: bench_cloud.HostCapacity,
                args: argparse.Namespace, into: dict[str, Any]) -> None:
    """Each count of ``--hosts`` on a fresh cloud of its own, into ``into`` as measured."""
    into.update({'boots_per_count': args.host_boots, 'fresh_cloud_per_count': True,
                 'counts': []})
    for hosts in args.host_counts:
        into['counts'].append(one_host_count(os.path.join(directory, f'hosts-{hosts}'),
                                             capacity, hosts, args))


def memory_run(directory: str, capacity: bench_cloud.HostCapacity,
               args: argparse.Namespace) -> dict[str, Any]:
    """``--memory-boots`` boots and deletes on a fresh cloud, sampled as they go."""
    with fresh_cloud(directory, capacity) as (cloud, make_client, resources):
        pid = cloud.process_roots()
        assert isinstance(pid, int)
        return memory.run(pid, make_client, resources, args.memory_boots,
                          args.memory_clients, args.throughput_poll_ms / 1e3,
                          args.boot_timeout)
