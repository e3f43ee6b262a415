"""tools/bench_boot.py runs end to end with tiny numbers (its structure, never its timings)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

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
    for option in ('--boots', '--clients', '--duration', '--nova', '--json'):
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
