"""The goals of issue 10 judged on a run's figures, and the printed report."""

from __future__ import annotations

from typing import Any

from . import floor as bench_floor
from . import hops as bench_hops
from . import scale_report

NOT_HERE = 'not measured by this tool'


def _goal(figure: str, goal: str, measured: str, met: bool | None) -> dict[str, Any]:
    return {'figure': figure, 'goal': goal, 'measured': measured, 'met': met}


def _connection_errors(run: dict[str, Any]) -> int:
    errors: int = run.get('connection_errors', run['errors'])
    return errors


def _throughput_goals(runs: list[dict[str, Any]], cloud: str = 'embedded',
                      ) -> list[dict[str, Any]]:
    goals = []
    at32 = [run for run in runs if run['clients'] == 32]
    if at32:
        run = at32[0]
        goals.append(_goal(
            f'boots/s, 32 clients, {cloud}', '>= 100/s, 0 errors, no over-commit',
            f"{run['boots_per_second']}/s, {run['errors']} errors, over-commit "
            f"{run['overcommit_check']['overcommitted']}",
            run['boots_per_second'] >= 100 and run['errors'] == 0
            and not run['overcommit_check']['overcommitted']))
    if len(runs) > 1:
        rates = [run['boots_per_second'] for run in sorted(runs, key=lambda r: r['clients'])]
        errors = sum(run['errors'] for run in runs)
        lost = sum(_connection_errors(run) for run in runs)
        goals.append(_goal(
            f'boots/s as clients are added, {cloud}', 'never falls; 0 connection errors',
            ', '.join(f"{run['clients']}: {run['boots_per_second']}/s" for run in runs)
            + f'; {lost} connection errors ({errors} errors in all)',
            all(b >= a for a, b in zip(rates, rates[1:], strict=False)) and lost == 0))
    return goals


def goals(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each goal of issue 10 with what this run measured (met: None if not measured)."""
    found = []
    seq = result.get('sequential')
    if seq and seq['post_to_active']['count']:
        median = seq['post_to_active']['median_ms']
        found.append(_goal('POST->ACTIVE median, 1 host', '<= 40 ms', f'{median} ms',
                           median <= 40))
        speedup = result.get('ratios', {}).get('nova_over_nova_lite_post_to_active')
        found.append(_goal('the same vs Nova, same run', '>= 10x',
                           f'{speedup}x' if speedup else 'Nova not run',
                           speedup >= 10 if speedup else None))
        delete = seq['delete_to_404']['median_ms']
        found.append(_goal('delete -> 404 median', '<= 20 ms', f'{delete} ms', delete <= 20))
    cloud = result.get('cloud', {})
    daemons = cloud.get('kind') == 'daemons'
    found += _throughput_goals(result.get('throughput', []),
                               'daemons' if daemons else 'embedded')
    process = result.get('process', {})
    idle = process.get('idle_after_boots') or process.get('idle_at_start')
    if idle:
        found.append(_goal('idle nova-lite-all CPU', '<= 1 % of a core',
                           f"{idle['cpu_percent']} %", idle['cpu_percent'] <= 1.0))
    after = process.get('after_boots')
    if after:
        worst = max(p['rss_mb'] for p in after['processes'])
        # Printed, not judged: the goal is after 1,000 boots (--memory-boots).
        found.append(_goal('RSS after this run\'s boots (judged by --memory-boots)',
                           '<= 150 MB per process', f'{worst} MB (largest process; '
                           f"{after['rss_mb']} MB all)", None))
    measured = _derived_goals(result)
    if daemons:
        # The floor's unit costs and the crash-safety split are the embedded default's.
        found = scale_report.mark_daemons(found)
        scale_report.mark_daemons(list(measured.values()))
    found += scale_report.goals(result)
    if not daemons:
        found.append(_goal('separate daemons on RabbitMQ + PostgreSQL + Redis', '>= 100/s',
                           'not measured in this run (--daemons)', None))
    for figure, goal in (('persistence + jobboard on vs off', '<= 1.3x'),
                         ('boot vs its floor', '<= 3x')):
        found.append(measured.get(figure) or _goal(figure, goal, NOT_HERE, None))
    return found


def _derived_goals(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The crash-safety and floor goals, when this run measured them (hops, floor)."""
    found = {}
    safety = result.get('hops', {}).get('crash_safety', {})
    if safety.get('ratio_median'):
        ratio = safety['ratio_median']
        found['persistence + jobboard on vs off'] = _goal(
            'persistence + jobboard on vs off', '<= 1.3x',
            f'{ratio}x (derived from timings, not an on/off run)', ratio <= 1.3)
    ratio = result.get('floor', {}).get('ratio')
    if ratio:
        found['boot vs its floor'] = _goal(
            'boot vs its floor', '<= 3x', f"{ratio}x (floor {result['floor']['floor_ms']} ms)",
            ratio <= 3)
    return found


def _lines_sequential(result: dict[str, Any]) -> list[str]:
    seq = result['sequential']
    lines = [f"Sequential boots ({seq['boots']}, polling every "
             f"{result['config']['poll_ms']} ms):"]
    for key, label in (('post_to_active', 'POST -> ACTIVE'), ('post_answer', 'POST answer'),
                       ('delete_to_404', 'DELETE -> 404')):
        figures = seq[key]
        lines.append(f"  {label:15} median {figures['median_ms']:8.1f} ms   p95 "
                     f"{figures['p95_ms']:8.1f} ms   min {figures['min_ms']:.1f}   max "
                     f"{figures['max_ms']:.1f}")
    return lines


def _lines_breakdown(breakdown: dict[str, Any]) -> list[str]:
    boot = breakdown['median_boot']
    medians = breakdown['task_median_ms']
    lines = [f"Breakdown of the median boot ({boot['server_id']}, "
             f"{boot['post_to_active_ms']} ms), ms after its POST left:",
             f"  POST answered (202)          at {boot['post_answer_ms']:8.1f}"]
    if 'flow_ms' in boot:
        lines.append(f"  flow started                 at {boot['post_to_flow_start_ms']:8.1f}"
                     '   (API, cast, job posted and claimed, run loaded)')
    lines.append(f"  {'task':32} {'start':>8} {'took':>8} {'median of all':>14}")
    for row in boot['tasks']:
        lines.append(f"  {row['task']:32} {row['start_ms']:8.1f} {row['duration_ms']:8.1f} "
                     f"{medians.get(row['task'], 0.0):14.1f}"
                     + ('' if row['state'] == 'SUCCESS' else f"  ({row['state']})"))
    if 'flow_ms' in boot:
        lines += [f"  flow took {boot['flow_ms']:.1f} ms, of which "
                  f"{boot['flow_not_in_tasks_ms']:.1f} ms in no task (engine, saving, "
                  'listeners)',
                  f"  flow end -> ACTIVE seen by the client: "
                  f"{boot['flow_end_to_active_seen_ms']:.1f} ms"]
    return lines


def _lines_throughput(runs: list[dict[str, Any]]) -> list[str]:
    lines = ['Throughput (clients booting and deleting in a loop):',
             f"  {'clients':>7} {'boots':>6} {'boots/s':>8} {'p50 ms':>9} {'p95 ms':>9} "
             f"{'errors':>6}  over-commit (peak vcpus/limit)"]
    for run in runs:
        latency, check = run['latency'], run['overcommit_check']
        lines.append(f"  {run['clients']:7} {run['boots_completed']:6} "
                     f"{run['boots_per_second']:8.2f} {latency.get('median_ms', 0):9.1f} "
                     f"{latency.get('p95_ms', 0):9.1f} {run['errors']:6}"
                     f"{_connection_note(run)}  "
                     f"{'YES' if check['overcommitted'] else 'no'} "
                     f"({check['peak']['vcpus_used']}/{check['limits']['vcpus']:g}); "
                     f"after: {check['used_after_run']['vcpus_used']} vcpus used, "
                     f"{run['servers_left']} servers")
        lines += [f'          error: {message}' for message in run['first_errors']]
    return lines


def _connection_note(run: dict[str, Any]) -> str:
    lost = run.get('connection_errors', 0)
    return f' ({lost} connection)' if lost else ''


def _lines_process(process: dict[str, Any], title: str = 'nova-lite-all') -> list[str]:
    lines = [f'{title} processes:']
    for key, label in (('at_start', 'at start'), ('after_boots', 'after the boots')):
        if key in process:
            each = [f"{p['role']} {p['threads']} threads {p['rss_mb']} MB"
                    for p in process[key]['processes']]
            if len(each) <= 2:
                lines.append(f"  {label:16} {', '.join(each)}")
            else:  # the daemons: one process a line, then the totals
                lines.append(f"  {label:16} {process[key]['threads']} threads, "
                             f"{process[key]['rss_mb']} MB RSS in all:")
                lines += [f'    {line}' for line in each]
    for key, label in (('idle_at_start', 'idle at start'),
                       ('idle_after_boots', 'idle after boots')):
        if key in process:
            lines.append(f"  {label:16} {process[key]['cpu_percent']} % of a core over "
                         f"{process[key]['seconds']} s")
    return lines


def _lines_nova(result: dict[str, Any]) -> list[str]:
    nova = result.get('nova')
    if nova is None:
        return []
    if 'skipped' in nova or 'error' in nova:
        return [f"Nova: {nova.get('skipped') or nova.get('error')}"]
    ratios = result.get('ratios', {})
    return [f"Nova 34 harness ({nova['hosts']} hosts, {nova['boots']} boots): POST->ACTIVE "
            f"median {nova['active_median']} ms; select_destinations {nova['select_median']} "
            f"ms; DELETE call {nova['delete_median']} ms",
            f"  nova_lite/Nova POST->ACTIVE: nova_lite is "
            f"{ratios.get('nova_over_nova_lite_post_to_active')}x faster; scheduling "
            f"(select_destinations / schedule task): "
            f"{ratios.get('nova_select_destinations_over_nova_lite_schedule')}x"]


def render(result: dict[str, Any]) -> str:
    machine = result['machine']
    started = result.get('cloud', {}).get('start_seconds')
    cloud = scale_report.cloud_label(result.get('cloud', {}))
    lines = [f"bench_boot: {machine['cpus']} CPUs, load average {machine['loadavg_before']} "
             f"before, {machine.get('loadavg_after')} after; "
             + (f"cloud ({cloud}) answered in {started} s" if started is not None
                else f"main cloud skipped ({result.get('cloud', {}).get('skipped')})")]
    if 'process' in result:
        lines += _lines_process(result['process'], 'nova-lite-all' if cloud == 'embedded'
                                else 'daemon')
    if 'sequential' in result:
        lines += _lines_sequential(result)
    if 'breakdown' in result:
        lines += _lines_breakdown(result['breakdown'])
    if 'hops' in result:
        lines += bench_hops.lines(result['hops'])
    if 'floor' in result:
        lines += bench_floor.lines(result['floor'])
    if result.get('graph'):
        lines.append(f"  drawn on the boot flow's graph: {result['graph']}")
    if result.get('throughput'):
        lines += _lines_throughput(result['throughput'])
    if 'hosts' in result:
        lines += scale_report.lines_hosts(result['hosts'])
    if 'memory' in result:
        lines += scale_report.lines_memory(result['memory'])
    lines += _lines_nova(result)
    lines.append('Goals of issue 10:')
    for goal in result['goals']:
        verdict = {True: 'met', False: 'NOT met', None: '-'}[goal['met']]
        lines.append(f"  {goal['figure']:50} {goal['goal']:36} {goal['measured']}  [{verdict}]")
    if 'error' in result:
        lines.append(f"STOPPED: {result['error']}")
    return '\n'.join(lines)
