"""tools/bench_boot.py runs end to end with tiny numbers (its structure, never its timings)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import pytest
import redis
import sqlalchemy as sa

from tests.conftest import PG_ADMIN_URL
from tests.functional import cluster

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(REPO, 'tools', 'bench_boot.py')
NLB_LINE = ('NLB hosts=1 (start extra computes 0.0s) boots=3: POST->ACTIVE median 569.4 ms '
            '(min 448.3, max 793.7); select_destinations median 94.6 ms; GET '
            'allocation_candidates median 26.8 ms; delete median 206.9 ms')


def _run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [REPO, *filter(None, [os.environ.get('PYTHONPATH')])]))
    return subprocess.run([sys.executable, TOOL, *args], capture_output=True, text=True,
                          env=env, timeout=600, cwd=REPO)


def test_help_names_every_figure():
    result = _run_tool('--help')
    assert result.returncode == 0, result.stderr
    for option in ('--boots', '--clients', '--duration', '--nova', '--json', '--hosts',
                   '--host-boots', '--memory-boots', '--daemons'):
        assert option in result.stdout


def test_tiny_run_prints_and_writes_every_figure(tmp_path):
    report_path = tmp_path / 'report.json'
    graph_path = tmp_path / 'median-boot.dot'
    result = _run_tool('--boots', '2', '--clients', '1', '--duration', '1',
                       '--idle-seconds', '0.5', '--nova', '--nova-venv',
                       str(tmp_path / 'no-such-venv'), '--json', str(report_path),
                       '--graph', str(graph_path))
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(report_path.read_text())

    sequential = report['sequential']
    assert sequential['boots'] == 2
    assert len(sequential['post_to_active_each_ms']) == 2
    for key in ('post_to_active', 'post_answer', 'delete_to_404'):
        assert sequential[key]['count'] == 2
        assert {'median_ms', 'p95_ms', 'min_ms', 'max_ms'} <= set(sequential[key])

    median = report['breakdown']['median_boot']
    tasks = [row['task'] for row in median['tasks']]
    assert {'authenticate', 'schedule', 'spawn', 'mark-active'} <= set(tasks)
    assert all(row['state'] == 'SUCCESS' for row in median['tasks'])
    for key in ('post_to_flow_start_ms', 'flow_ms', 'flow_not_in_tasks_ms',
                'flow_end_to_active_seen_ms'):
        assert key in median
    assert set(report['breakdown']['task_median_ms']) == set(tasks)

    hops = report['hops']['median_boot']
    assert [row['task'] for row in hops['tasks']] and set(
        row['task'] for row in hops['tasks']) <= set(tasks)
    spawn = next(row for row in hops['tasks'] if row['task'] == 'spawn')
    assert spawn['rpc']['n'] >= 1 and {'other_ms', 'engine_ms', 'wall_ms'} <= set(spawn)
    assert hops['totals']['persist']['n'] >= 1 and hops['totals']['commits'] >= 1
    assert hops['totals']['flow_thread'] is not None
    assert set(report['hops']['task_median']) <= set(tasks)
    safety = report['hops']['crash_safety']
    assert safety['boots'] == 2 and safety['derived'] == 'from timings, not an on/off run'
    floor = report['floor']
    assert set(floor['units_ms']) == {'rpc', 'cast', 'commit', 'http'}
    assert set(floor['counts']) == {'rpc', 'cast', 'http', 'commits'}
    assert floor['counts']['rpc'] >= 2 and floor['floor_ms'] > 0 and floor['ratio'] > 0
    assert 0 < floor['design_minimum']['floor_ms'] <= floor['floor_ms']

    assert report['graph'] == str(graph_path)
    drawing = graph_path.read_text()
    assert drawing.startswith('digraph') and 'took ' in drawing and 'spawn' in drawing
    assert 'rpc ' in drawing and 'engine ' in drawing

    [run] = report['throughput']
    assert run['clients'] == 1 and run['errors'] == 0 and run['first_errors'] == []
    assert run['connection_errors'] == 0
    assert run['boots_completed'] >= 1 and run['servers_left'] == 0
    check = run['overcommit_check']
    # Whether a sample fell inside a boot's short life is timing: not asserted.
    assert check['overcommitted'] is False and check['samples'] >= 1
    assert set(check['peak']) == {'vcpus_used', 'memory_mb_used'}
    assert check['used_after_run'] == {'vcpus_used': 0, 'memory_mb_used': 0}

    process = report['process']
    roles = {p['role'] for p in process['at_start']['processes']}
    assert roles == {'master', 'worker'}
    for key in ('idle_at_start', 'idle_after_boots'):
        assert process[key]['cpu_percent'] >= 0
    assert process['after_boots']['threads'] > 0 and process['after_boots']['rss_mb'] > 0

    assert 'novabench-requirements.txt' in report['nova']['skipped']
    assert 'ratios' not in report
    figures = {goal['figure'] for goal in report['goals']}
    assert {'POST->ACTIVE median, 1 host', 'delete -> 404 median',
            'idle nova-lite-all CPU'} <= figures
    measured = {goal['figure']: goal['measured'] for goal in report['goals']}
    assert 'derived from timings' in measured['persistence + jobboard on vs off']
    assert 'floor' in measured['boot vs its floor']

    for heading in ('Sequential boots (2,', 'Breakdown of the median boot', 'Throughput',
                    'nova-lite-all processes:', 'Goals of issue 10:', 'Nova: no Nova harness',
                    'Hops of the median boot', 'crash safety:', 'Floor of a boot',
                    'boot / floor =', "the design's minimum"):
        assert heading in result.stdout


def test_nova_line_is_parsed():
    sys.path.insert(0, os.path.join(REPO, 'tools'))
    try:
        from boot_bench import nova_peer
    finally:
        sys.path.remove(os.path.join(REPO, 'tools'))
    figures = nova_peer.parse(f'noise\n{NLB_LINE}\n')
    assert figures == {'hosts': 1, 'boots': 3, 'active_median': 569.4, 'active_min': 448.3,
                       'active_max': 793.7, 'select_median': 94.6, 'ac_median': 26.8,
                       'delete_median': 206.9}
    assert nova_peer.parse('no line here') is None


def _bench_module(name: str):
    sys.path.insert(0, os.path.join(REPO, 'tools'))
    try:
        return importlib.import_module(f'boot_bench.{name}')
    finally:
        sys.path.remove(os.path.join(REPO, 'tools'))


def test_hosts_and_memory_runs_print_and_write_their_figures(tmp_path):
    report_path = tmp_path / 'report.json'
    # --boots 0 and no clients: no main cloud, only the runs on fresh clouds of their own.
    result = _run_tool('--boots', '0', '--clients', '', '--hosts', '3', '--host-boots', '1',
                       '--memory-boots', '20', '--json', str(report_path))
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(report_path.read_text())

    hosts = report['hosts']
    assert hosts['fresh_cloud_per_count'] is True and hosts['boots_per_count'] == 1
    assert report['cloud'] == {'skipped': '--boots 0 and no --clients'}
    assert 'sequential' not in report and 'throughput' not in report
    assert [count['hosts'] for count in hosts['counts']] == [3]
    for count in hosts['counts']:
        number = count['hosts']
        # Every host was up and passed the filters; the boot ran on the real host.
        assert count['hosts_after_boots'] == {'registered': number, 'up': number}
        assert count['scheduler_direct']['hosts_passing_filters'] == number
        assert count['scheduler_direct']['hosts_chosen'] == ['bench-host']
        assert count['boots_landed_on'] == {'bench-host': 1}
        assert count['post_to_active']['count'] == 1
        assert count['schedule_task_median_ms'] > 0
        assert count['scheduler_direct']['select_destinations']['count'] == 1
    extra = hosts['counts'][0]['extra_host_report']
    assert extra['vcpus'] == 32  # half the real host's 64: it passes the filters, ranks lower

    memory = report['memory']
    assert memory['boots'] == 20 and memory['completed'] == 20 and memory['errors'] == 0
    assert [s['boots'] for s in memory['samples']] == list(range(0, 21, 2))
    for sample in memory['samples']:
        assert sample['largest_rss_mb'] > 0 and sample['threads'] > 0
        assert {p['role'] for p in sample['processes']} == {'master', 'worker'}
    assert memory['verdict']['middle_boots'] == 10 and memory['verdict']['end_boots'] == 20

    goals = {goal['figure']: goal for goal in report['goals']}
    assert goals['RSS after 20 boots and deletes']['met'] is None  # fewer than 1,000
    assert goals['POST->ACTIVE at 100 / 1,000 hosts']['met'] is None
    for heading in ('Registered compute hosts', 'Memory over 20 boots and deletes'):
        assert heading in result.stdout


@pytest.mark.postgresql
@pytest.mark.rabbitmq
def test_daemons_run_and_clean_up(tmp_path):
    report_path = tmp_path / 'report.json'
    result = _run_tool('--daemons', '--daemon-computes', '2', '--daemon-conductors', '1',
                       '--boots', '1', '--clients', '2', '--duration', '2',
                       '--idle-seconds', '0.5', '--json', str(report_path))
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(report_path.read_text())

    cloud = report['cloud']
    assert cloud['kind'] == 'daemons' and cloud['computes'] == 2 and cloud['conductors'] == 1
    roles = {p['role'] for p in report['process']['at_start']['processes']}
    assert {'api worker', 'scheduler worker', 'bench-compute-1 worker',
            'bench-compute-2 worker', 'bench-conductor-1 worker'} <= roles
    assert report['sequential']['post_to_active']['count'] == 1
    assert 'schedule' in report['breakdown']['task_median_ms']
    [run] = report['throughput']
    assert run['errors'] == 0 and run['servers_left'] == 0
    assert run['overcommit_check']['overcommitted'] is False
    # The goals about nova-lite-all are shown, not judged, for the daemons.
    assert all(goal['met'] is None for goal in report['goals'])
    assert 'daemons (1 api, 1 scheduler, 1 conductors, 2 computes' in result.stdout

    name = cloud['name']
    vhosts = subprocess.run(['rabbitmqctl', 'list_vhosts'], capture_output=True, text=True,
                            check=True).stdout
    assert name not in vhosts
    admin = sa.create_engine(PG_ADMIN_URL)
    try:
        with admin.connect() as conn:
            assert conn.exec_driver_sql('SELECT count(*) FROM pg_database WHERE datname = '
                                        '%(name)s', {'name': name}).scalar() == 0
    finally:
        admin.dispose()
    client = redis.Redis.from_url(cluster.REDIS_URL)
    try:
        assert list(client.scan_iter(match=f'{name}*')) == []
    finally:
        client.close()


def test_memory_growth_is_judged_between_the_middle_and_the_end():
    memory = _bench_module('memory')

    def sample(boots, rss):
        return {'boots': boots, 'largest_rss_mb': rss, 'pss_mb': rss, 'threads': 10}

    flat = memory.verdict([sample(0, 100.0), sample(500, 140.0), sample(1000, 144.0)])
    assert flat['growing'] is False and flat['growth_mb'] == 4.0
    assert flat['middle_boots'] == 500 and flat['rss_end_mb'] == 144.0
    assert memory.verdict([sample(0, 100.0), sample(500, 140.0),
                           sample(1000, 146.0)])['growing'] is True
    assert memory.sample_every(1000) == 100 and memory.sample_every(20) == 2


def test_never_falls_needs_every_count_and_no_connection_error():
    report = _bench_module('report')

    def run(clients, rate, lost=0):
        return {'clients': clients, 'boots_per_second': rate, 'errors': lost,
                'connection_errors': lost, 'overcommit_check': {'overcommitted': False}}

    def verdict(runs):
        [goal] = [g for g in report._throughput_goals(runs)
                  if g['figure'].startswith('boots/s as clients')]
        return goal['met']

    assert verdict([run(1, 3.0), run(8, 3.0), run(32, 4.0), run(64, 5.0)]) is True
    assert verdict([run(1, 3.0), run(8, 4.0), run(32, 3.9), run(64, 5.0)]) is False
    assert verdict([run(1, 3.0), run(8, 4.0), run(64, 5.0, lost=1)]) is False


def test_extra_hosts_report_half_the_real_host_and_pass_the_flavor():
    fleet = _bench_module('fleet')
    real = {'vcpus': 64, 'memory_mb': 65536, 'local_gb': 1, 'cpu_allocation_ratio': 1.0,
            'ram_allocation_ratio': 1.0, 'disk_allocation_ratio': 1.0,
            'reserved_memory_mb': 0, 'hypervisor_type': 'test',
            'availability_zone': 'nova', 'capabilities': {'architecture': 'x86_64'}}
    flavor = {'vcpus': 1, 'memory_mb': 64, 'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0}
    report = fleet.extra_host_report(real, flavor)
    assert report['vcpus'] == 32 and report['memory_mb'] == 32768
    assert report['local_gb'] == 1  # never below what the flavor needs
    assert report['availability_zone'] == 'nova' and report['hypervisor_type'] == 'test'
