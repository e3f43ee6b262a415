"""The report of the scaling runs: registered hosts, memory over many boots, daemons."""

from __future__ import annotations

from typing import Any

from . import fleet

DAEMONS_NOTE = 'daemons: not judged'


def _goal(figure: str, goal: str, measured: str, met: bool | None) -> dict[str, Any]:
    return {'figure': figure, 'goal': goal, 'measured': measured, 'met': met}


def host_count_problems(count: dict[str, Any]) -> list[str]:
    """Why a host count's figures do not measure what they claim (empty: they do)."""
    problems = []
    hosts = count['hosts']
    after = count['hosts_after_boots']
    if after['registered'] != hosts or after['up'] != hosts:
        problems.append(f"{after['up']} of {after['registered']} hosts up after the boots")
    passing = count['scheduler_direct']['hosts_passing_filters']
    if passing != hosts:
        problems.append(f'{passing} hosts passed the filters')
    landed = set(count['boots_landed_on'])
    if landed != {fleet.REAL_HOST}:
        problems.append(f"boots landed on {', '.join(sorted(map(str, landed)))}")
    return problems


def _host_goals(hosts: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    by_count = {count['hosts']: count for count in hosts.get('counts', [])}
    for number, label in ((100, '100'), (1000, '1,000')):
        count = by_count.get(number)
        if count is None:
            continue
        problems = host_count_problems(count)
        note = f" (INVALID: {'; '.join(problems)})" if problems else ''
        median = count['post_to_active']['median_ms']
        schedule = count['schedule_task_median_ms']
        direct = count['scheduler_direct']['select_destinations'].get('median_ms')
        if number == 100:
            found.append(_goal(f'POST->ACTIVE median, {label} hosts', '<= 45 ms',
                               f'{median} ms (schedule task {schedule} ms){note}',
                               None if problems else median <= 45))
        else:
            found.append(_goal(
                f'scheduling one instance, {label} hosts', '<= 5 ms',
                f'schedule task median {schedule} ms; select_destinations alone '
                f'{direct} ms; POST->ACTIVE {median} ms{note}',
                None if problems or schedule is None else schedule <= 5))
    if not found:
        counts = ', '.join(str(number) for number in by_count)
        found.append(_goal('POST->ACTIVE at 100 / 1,000 hosts', '<= 45 ms; schedule <= 5 ms',
                           f'not measured (--hosts {counts or "none"}; run --hosts '
                           '1,10,100,1000)', None))
    return found


def _memory_goal(run: dict[str, Any]) -> dict[str, Any]:
    verdict = run['verdict']
    measured = (f"{verdict['rss_end_mb']} MB largest process after {verdict['end_boots']} "
                f"(Pss all {verdict['pss_end_mb']} MB); {verdict['growth_mb']:+} MB from "
                f"boot {verdict['middle_boots']} to {verdict['end_boots']}; "
                f"{run['errors']} errors")
    met = (verdict['rss_end_mb'] <= 150 and not verdict['growing'] and run['errors'] == 0)
    if run['boots'] < 1000:
        measured += ' (fewer than 1,000 boots: not judged)'
    return _goal(f"RSS after {run['boots']} boots and deletes",
                 f"<= 150 MB; growth <= {verdict['growth_limit_mb']:g} MB over 2nd half",
                 measured, met if run['boots'] >= 1000 else None)


def goals(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The goals the scaling runs judge (hosts, memory); the daemons' throughput is
    judged with the other throughput goals."""
    found = _host_goals(result.get('hosts', {}))
    if 'memory' in result:
        found.append(_memory_goal(result['memory']))
    return found


def mark_daemons(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """With --daemons, the goals about nova-lite-all are shown but not judged."""
    for goal in found:
        if goal['met'] is not None and not goal['figure'].startswith('boots/s'):
            figure = goal['figure'].replace(', 1 host', '').replace(' (goal: after 1,000)', '')
            goal['figure'] = f'{figure} ({DAEMONS_NOTE})'
            goal['met'] = None
    return found


def cloud_label(cloud: dict[str, Any]) -> str:
    if cloud.get('kind') != 'daemons':
        return 'embedded'
    return (f"daemons ({cloud['api']} api, {cloud['scheduler']} scheduler, "
            f"{cloud['conductors']} conductors, {cloud['computes']} computes on "
            f"{cloud['transport']} + {cloud['database']} + {cloud['jobboard']})")


def lines_hosts(hosts: dict[str, Any]) -> list[str]:
    lines = [f"Registered compute hosts (a fresh cloud per count, {hosts['boots_per_count']} "
             'sequential boots each; the extra hosts report half the real host\'s size):',
             f"  {'hosts':>6} {'up':>6} {'register s':>10} {'POST->ACTIVE p50':>17} "
             f"{'p95':>8} {'schedule task p50':>18} {'select_destinations p50/p95':>29}"]
    for count in hosts.get('counts', []):
        seq, direct = count['post_to_active'], count['scheduler_direct']['select_destinations']
        schedule = count['schedule_task_median_ms']
        lines.append(f"  {count['hosts']:6} {count['hosts_after_boots']['up']:6} "
                     f"{count['registration_seconds']:10.2f} {seq['median_ms']:14.1f} ms "
                     f"{seq['p95_ms']:8.1f} {schedule if schedule is not None else 0:15.1f} ms "
                     f"{direct['median_ms']:20.1f} / {direct['p95_ms']:.1f} ms")
        for problem in host_count_problems(count):
            lines.append(f'         NOT VALID: {problem}')
    lines.append('  schedule task: RUNNING -> SUCCESS of the boot flow\'s task (RPC call to '
                 'the scheduler, recording the host); select_destinations: the scheduler\'s '
                 'own call (read, filter, weigh, claim), timed directly on the cloud\'s '
                 'database')
    return lines


def lines_memory(run: dict[str, Any]) -> list[str]:
    lines = [f"Memory over {run['boots']} boots and deletes ({run['clients']} clients, a "
             f"fresh cloud, sampled every {run['sample_every']} boots with none in flight):",
             f"  {'boots':>6} {'seconds':>8} {'threads':>8} {'largest RSS MB':>15} "
             f"{'RSS all MB':>11} {'Pss all MB':>11}"]
    for sample in run['samples']:
        lines.append(f"  {sample['boots']:6} {sample['seconds']:8.1f} {sample['threads']:8} "
                     f"{sample['largest_rss_mb']:15.1f} {sample['rss_mb']:11.1f} "
                     f"{sample['pss_mb']:11.1f}")
    verdict = run['verdict']
    lines.append(f"  largest RSS {verdict['growth_mb']:+.1f} MB from boot "
                 f"{verdict['middle_boots']} to {verdict['end_boots']} ("
                 f"{'growing' if verdict['growing'] else 'not growing'}: the limit is "
                 f"{verdict['growth_limit_mb']:g} MB); {run['completed']} completed, "
                 f"{run['errors']} errors")
    lines += [f'          error: {message}' for message in run['first_errors']]
    return lines
