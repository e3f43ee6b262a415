#!/usr/bin/env python
"""Boot latency, throughput, idle cost and memory of a fresh ``nova-lite-all``.

Starts its own cloud (the embedded default: SQLite, in-process messaging, the
database jobboard, flow persistence on, libvirt ``test:///default``, one host)
in a temporary directory on free ports, then, through the REST API:

  idle        CPU of nova-lite-all (its launcher and worker, from /proc) over
              --idle-seconds, with threads and RSS, at start and after the boots
  sequential  --boots boots one after another: POST /servers -> ACTIVE and
              DELETE -> 404, polling GET /servers/{id} every --poll-ms
  breakdown   the median boot's timeline from its flow's own atom events:
              when the flow started, each task's start and duration
  hops        per task of the median boot (and the median of all boots): its
              time in RPC calls, HTTP requests, token checks, the database and
              the flow persistence/jobboard, the rest; the cost of crash safety
              derived from those timings
  floor       unit costs (RPC round trip, SQLite commit, HTTP GET with a token
              check) times how many the median boot makes, vs the boot
  throughput  for each of --clients, that many clients booting and deleting in
              a loop for --duration s: boots/s, p50/p95, errors, and whether
              any host was used above its capacity (GET /os-hypervisors/detail)
  --graph     the median boot drawn on the boot flow's graph, each task's time
              on its node
  --hosts     for each count, a fresh cloud with that many compute hosts
              registered: POST->ACTIVE and the scheduling time (--host-boots)
  --memory-boots
              a fresh cloud boots and deletes that many servers; threads and
              memory sampled every tenth of them (at most every 100)
  --daemons   the cloud is separate daemons (1 api, 1 scheduler, 2 conductors,
              4 computes) on RabbitMQ, PostgreSQL and the Redis jobboard, made
              for the run and dropped after it, instead of nova-lite-all
  --nova      Nova 34's harness from ../shared/peers in the same invocation,
              and the nova_lite/Nova ratio

It prints the figures and the goals of issue 10, and writes them as JSON with
--json PATH. No figure is asserted: it measures.

    python tools/bench_boot.py [--boots 20] [--clients 1,8,32,64] [--duration 20]
        [--hosts 1,10,100,1000] [--memory-boots 1000] [--daemons]
        [--nova] [--json PATH] [--graph PATH.svg] [--keep]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

from boot_bench import api as bench_api
from boot_bench import breakdown as bench_breakdown
from boot_bench import cloud as bench_cloud
from boot_bench import daemon_cloud, nova_peer, report, runs, scale
from boot_bench import floor as bench_floor
from boot_bench import hops as bench_hops

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Boot latency, throughput, idle CPU and memory of a fresh nova-lite-all, '
                    'optionally side by side with Nova 34.')
    parser.add_argument('--boots', type=int, default=20,
                        help='sequential boots (default 20); with 0 and --clients "", no '
                             'main cloud is started (only --hosts and --memory-boots run)')
    parser.add_argument('--poll-ms', type=float, default=2.0,
                        help='GET /servers/{id} interval of the sequential boots (default 2)')
    parser.add_argument('--clients', default='1,8,32,64',
                        help='concurrent client counts of the throughput runs, comma '
                             'separated; empty for none (default 1,8,32,64)')
    parser.add_argument('--duration', type=float, default=20.0,
                        help='seconds each throughput run starts boots (default 20)')
    parser.add_argument('--throughput-poll-ms', type=float, default=50.0,
                        help='GET interval of each throughput client (default 50)')
    parser.add_argument('--boot-timeout', type=float, default=120.0,
                        help='seconds a boot or delete may take before it is an error')
    parser.add_argument('--idle-seconds', type=float, default=5.0,
                        help='seconds over which idle CPU is measured (default 5)')
    parser.add_argument('--host-vcpus', type=int, default=64,
                        help="the host's vCPUs (allocation ratio 1.0; default 64)")
    parser.add_argument('--host-memory-mb', type=int, default=65536,
                        help="the host's RAM in MiB (ratio 1.0; default 65536)")
    parser.add_argument('--nova', action='store_true',
                        help="also run Nova's harness (as many boots) and print the ratio")
    parser.add_argument('--nova-venv', default=os.path.expanduser('~/novabench'),
                        help='virtualenv of the Nova harness (default ~/novabench)')
    parser.add_argument('--peers-dir',
                        default=os.path.normpath(os.path.join(REPO, '..', 'shared', 'peers')),
                        help='folder of nova_boot_bench.py (default ../shared/peers)')
    parser.add_argument('--hosts', default='',
                        help='compute host counts, comma separated (e.g. 1,10,100,1000): '
                             'for each, a fresh embedded cloud with one real host and the '
                             'others registered through the scheduler; empty for none '
                             '(the default)')
    parser.add_argument('--host-boots', type=int, default=10,
                        help='sequential boots per host count (default 10)')
    parser.add_argument('--memory-boots', type=int, default=0,
                        help='boots and deletes of the memory run on a fresh cloud '
                             '(the goal: 1000; default 0, no memory run)')
    parser.add_argument('--memory-clients', type=int, default=4,
                        help='clients of the memory run (default 4)')
    parser.add_argument('--daemons', action='store_true',
                        help='measure separate daemons on RabbitMQ + PostgreSQL + Redis '
                             'instead of nova-lite-all')
    parser.add_argument('--daemon-conductors', type=int, default=2,
                        help='conductors of --daemons (default 2)')
    parser.add_argument('--daemon-computes', type=int, default=4,
                        help='compute hosts of --daemons (default 4)')
    parser.add_argument('--rabbit-url', default=daemon_cloud.Backends.rabbit_url,
                        help='RabbitMQ of --daemons (a virtual host is made on it with '
                             'rabbitmqctl; default %(default)s)')
    parser.add_argument('--pg-admin-url', default=daemon_cloud.Backends.pg_admin_url,
                        help='PostgreSQL of --daemons, as a user that may create '
                             'databases (default %(default)s)')
    parser.add_argument('--redis-url', default=daemon_cloud.Backends.redis_url,
                        help='Redis jobboard of --daemons (default %(default)s)')
    parser.add_argument('--json', metavar='PATH', help='write the report as JSON')
    parser.add_argument('--graph', metavar='PATH',
                        help="draw the median boot on the boot flow's graph, each task's "
                             'time on its node (.svg, .png or .dot)')
    parser.add_argument('--keep', action='store_true',
                        help="keep the cloud's directory (its log and database)")
    args = parser.parse_args(argv)
    args.client_counts = [int(n) for n in args.clients.split(',') if n.strip()]
    args.host_counts = [int(n) for n in args.hosts.split(',') if n.strip()]
    if any(n < 1 for n in args.host_counts):
        parser.error('--hosts: each count must be at least 1 (the real host)')
    return args


@contextlib.contextmanager
def bench_directory(keep: bool) -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix='bench-boot-')
    try:
        yield directory
    finally:
        if keep:
            print(f'kept {directory}', file=sys.stderr)
        else:
            shutil.rmtree(directory, ignore_errors=True)


def machine() -> dict[str, Any]:
    return {'cpus': os.cpu_count(), 'loadavg_before': _loadavg(),
            'python': platform.python_version(), 'platform': platform.platform()}


def _loadavg() -> str:
    with open('/proc/loadavg', encoding='ascii') as loadavg:
        return ' '.join(loadavg.read().split()[:3])


def measure(cloud: bench_cloud.BenchCloud | daemon_cloud.DaemonCloud, args: argparse.Namespace,
            result: dict[str, Any]) -> None:
    """Every nova_lite figure, into ``result`` as it is measured."""
    pid = cloud.process_roots()
    token = bench_api.issue_token(f'http://127.0.0.1:{cloud.ports["identity"]}')

    def make_client() -> bench_api.CloudApi:
        return bench_api.CloudApi(cloud.ports, token)

    admin = make_client()
    resources = admin.boot_resources()
    process: dict[str, Any] = {'at_start': bench_cloud.memory_and_threads(pid),
                               'idle_at_start': bench_cloud.idle_cpu(pid, args.idle_seconds)}
    result['process'] = process
    poll = args.poll_ms / 1e3
    if args.boots > 0:
        boots = runs.sequential(admin, resources, args.boots, poll, args.boot_timeout)
        result['sequential'] = runs.sequential_report(boots)
        result['breakdown'] = bench_breakdown.breakdown(cloud.database_url, boots)
        result['hops'] = bench_hops.hop_breakdown(cloud.database_url, boots)
        result['floor'] = bench_floor.floor(
            bench_floor.unit_costs(cloud.workdir, admin, resources['flavor']), result['hops'],
            result['sequential']['post_to_active']['median_ms'])
        if args.graph:
            result['graph'] = bench_breakdown.draw(cloud.database_url, result['breakdown'],
                                                   args.graph, hops=result['hops'])
    result['throughput'] = []
    limits = cloud.capacity.limits()
    for clients in args.client_counts:
        watch = runs.UsageWatch(make_client(), limits)
        run = runs.throughput(make_client, resources, clients, args.duration,
                              args.throughput_poll_ms / 1e3, args.boot_timeout, watch)
        run['servers_left'] = admin.server_count()
        result['throughput'].append(run)
    process['after_boots'] = bench_cloud.memory_and_threads(pid)
    process['idle_after_boots'] = bench_cloud.idle_cpu(pid, args.idle_seconds)


def add_nova(args: argparse.Namespace, result: dict[str, Any]) -> None:
    nova = nova_peer.run(os.path.abspath(args.peers_dir), args.nova_venv, args.boots)
    result['nova'] = nova
    seq = result.get('sequential', {}).get('post_to_active', {})
    if 'active_median' not in nova or not seq.get('median_ms'):
        return
    ratios = {'nova_over_nova_lite_post_to_active':
              round(nova['active_median'] / seq['median_ms'], 2)}
    schedule = result.get('breakdown', {}).get('task_median_ms', {}).get('schedule')
    if schedule:
        # Nova's select_destinations vs nova_lite's schedule task (both: pick a host, claim).
        ratios['nova_select_destinations_over_nova_lite_schedule'] = round(
            nova['select_median'] / schedule, 2)
    result['ratios'] = ratios


def make_cloud(directory: str, capacity: bench_cloud.HostCapacity, args: argparse.Namespace,
               ) -> bench_cloud.BenchCloud | daemon_cloud.DaemonCloud:
    if not args.daemons:
        return bench_cloud.BenchCloud(directory, capacity)
    backends = daemon_cloud.Backends(rabbit_url=args.rabbit_url,
                                     pg_admin_url=args.pg_admin_url, redis_url=args.redis_url)
    return daemon_cloud.DaemonCloud(directory, capacity, computes=args.daemon_computes,
                                    conductors=args.daemon_conductors, backends=backends)


def measure_cloud(directory: str, capacity: bench_cloud.HostCapacity,
                  args: argparse.Namespace, result: dict[str, Any]) -> None:
    """The main cloud (nova-lite-all, or the daemons): started, measured, stopped."""
    cloud = make_cloud(directory, capacity, args)
    try:
        result['cloud'] = {'start_seconds': round(cloud.start(), 2),
                           'capacity': capacity.limits(), **cloud.describe()}
        measure(cloud, args, result)
    except Exception as exc:  # report what was measured, and why it stopped
        result['error'] = f'{type(exc).__name__}: {exc}'
    finally:
        cloud.stop()


def fresh_cloud_runs(directory: str, capacity: bench_cloud.HostCapacity,
                     args: argparse.Namespace, result: dict[str, Any]) -> None:
    """The runs on embedded clouds of their own: --hosts, then --memory-boots."""
    if 'error' in result:
        return
    try:
        if args.host_counts:
            result['hosts'] = {}
            scale.host_counts(os.path.join(directory, 'hosts'), capacity, args,
                              result['hosts'])
        if args.memory_boots > 0:
            result['memory'] = scale.memory_run(os.path.join(directory, 'memory'), capacity,
                                                args)
    except Exception as exc:  # report what was measured, and why it stopped
        result['error'] = f'{type(exc).__name__}: {exc}'


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    capacity = bench_cloud.HostCapacity(vcpus=args.host_vcpus, memory_mb=args.host_memory_mb)
    result: dict[str, Any] = {
        'tool': 'bench_boot', 'started_at': datetime.datetime.now(datetime.UTC).isoformat(),
        'machine': machine(),
        'config': {key: value for key, value in vars(args).items()
                   if key not in ('clients', 'hosts')}}
    with bench_directory(args.keep) as directory:
        if args.boots > 0 or args.client_counts:
            measure_cloud(directory, capacity, args, result)
        else:
            result['cloud'] = {'skipped': '--boots 0 and no --clients'}
        fresh_cloud_runs(directory, capacity, args, result)
    if args.nova and 'error' not in result:
        add_nova(args, result)
    else:
        result['nova'] = {'skipped': 'not asked for (--nova)' if not args.nova
                          else 'nova_lite did not finish'}
    result['machine']['loadavg_after'] = _loadavg()
    result['goals'] = report.goals(result)
    print(report.render(result))
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as out:
            json.dump(result, out, indent=2, default=str)
            out.write('\n')
    if 'error' in result:
        print(f"bench_boot stopped: {result['error']}", file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
