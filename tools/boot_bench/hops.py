"""Where each task of a boot spent its time, hop by hop, and what crash safety costs.

Each task of a boot flow runs inside a hop accumulator
(:mod:`nova_lite.common.hop_timer`, :mod:`nova_lite.conductor.task_hops`):
the event that ends its execution carries its ``hops``, the time and count of
its RPC calls (``rpc``) and casts, HTTP requests to other services
(``http``), token validations (``token``), database statements and commits
(``db``), and flow persistence and jobboard reads and writes (``persist``),
with the task's own wall time. The flow's end event carries the same for the
conductor's boot thread (the job's post and claim, the run's saves and its
atom events, up to that event).

Per task, what is left: ``other`` (the task's Python: its wall time less its
hops) and ``engine`` (the task's RUNNING -> SUCCESS span less its wall time:
TaskFlow handing it to a thread and saving its state and result).
"""

from __future__ import annotations

import statistics
from typing import Any

from taskflow import states

from nova_lite.common import hop_timer
from nova_lite.conductor import flow_states
from nova_lite.conductor.flows import keys

from . import breakdown as bench_breakdown
from . import runs

SHOWN = (hop_timer.RPC, hop_timer.HTTP, hop_timer.TOKEN, hop_timer.DB, hop_timer.PERSIST)
_ENDS = frozenset({states.SUCCESS, states.FAILURE, states.REVERTED, states.REVERT_FAILURE})


def _hop_ms(hops: dict[str, Any], category: str) -> float:
    return float(hops.get(category, {}).get('ms', 0.0))


def _hop_n(hops: dict[str, Any], category: str) -> int:
    return int(hops.get(category, {}).get('n', 0))


def _all_hops_ms(hops: dict[str, Any]) -> float:
    return sum(_hop_ms(hops, category) for category in hop_timer.CATEGORIES)


def recorded_hops(events: list[flow_states.AtomEvent]) -> dict[str, Any]:
    """The hops of one boot: each task's last recorded, every task run's, the flow's."""
    tasks: dict[str, dict[str, Any]] = {}
    runs_of_tasks: list[dict[str, Any]] = []
    flow: dict[str, Any] | None = None
    for event in events:
        if event.hops is None:
            continue
        if event.atom_name == keys.BOOT_FLOW:
            flow = event.hops
        elif event.state in _ENDS:
            tasks[event.atom_name] = event.hops
            runs_of_tasks.append(event.hops)
    return {'tasks': tasks, 'task_runs': runs_of_tasks, 'flow': flow}


def task_row(name: str, hops: dict[str, Any], duration_ms: float | None) -> dict[str, Any]:
    """One task's split: each hop's ms and count, its other Python, the engine's share."""
    row: dict[str, Any] = {'task': name, 'wall_ms': hops.get('wall_ms', 0.0),
                           'commits': hops.get('commits', 0)}
    for category in hop_timer.CATEGORIES:
        row[category] = {'ms': round(_hop_ms(hops, category), 2),
                         'n': _hop_n(hops, category)}
    row['other_ms'] = round(row['wall_ms'] - _all_hops_ms(hops), 2)
    if duration_ms is not None:
        row['duration_ms'] = duration_ms
        row['engine_ms'] = round(duration_ms - row['wall_ms'], 2)
    return row


def boot_totals(found: dict[str, Any]) -> dict[str, Any]:
    """A boot's hops summed over its task runs and its conductor thread (the flow's)."""
    parts = [*found['task_runs'], *([found['flow']] if found['flow'] else [])]
    totals: dict[str, Any] = {category: {
        'ms': round(sum(_hop_ms(part, category) for part in parts), 2),
        'n': sum(_hop_n(part, category) for part in parts)}
        for category in hop_timer.CATEGORIES}
    totals['commits'] = sum(int(part.get('commits', 0)) for part in parts)
    totals['flow_thread'] = found['flow']
    return totals


def _spans_ms(events: list[flow_states.AtomEvent]) -> dict[str, float]:
    tasks = bench_breakdown.task_spans(events)['tasks']
    return {name: bench_breakdown._ms(span['end'], span['start'])
            for name, span in tasks.items()}


def hop_breakdown(database_url: str, boots: list[runs.Boot]) -> dict[str, Any]:
    """The median boot's per-task split, the medians over all boots, and crash safety."""
    per_boot = bench_breakdown.load_boot_events(database_url, boots)
    median = bench_breakdown.median_boot(boots)
    events = per_boot[median.server_id]
    found = recorded_hops(events)
    spans = _spans_ms(events)
    rows = [task_row(name, hops, spans.get(name)) for name, hops in found['tasks'].items()]
    rows.sort(key=lambda row: list(spans).index(row['task']) if row['task'] in spans else 99)
    result: dict[str, Any] = {'median_boot': {
        'server_id': median.server_id, 'post_to_active_ms': round(median.active_s * 1e3, 1),
        'tasks': rows, 'totals': boot_totals(found)}}
    result['task_median'] = _task_medians(per_boot)
    result['crash_safety'] = crash_safety(boots, per_boot)
    return result


def _task_medians(per_boot: dict[str, list[flow_states.AtomEvent]]) -> dict[str, Any]:
    """Per task, the median over all boots of each hop's ms, its other and engine ms."""
    columns: dict[str, dict[str, list[float]]] = {}
    for events in per_boot.values():
        spans = _spans_ms(events)
        for name, hops in recorded_hops(events)['tasks'].items():
            row = task_row(name, hops, spans.get(name))
            column = columns.setdefault(name, {})
            for category in hop_timer.CATEGORIES:
                column.setdefault(category, []).append(row[category]['ms'])
            for key in ('other_ms', 'engine_ms', 'wall_ms'):
                if key in row:
                    column.setdefault(key, []).append(row[key])
    return {name: {key: round(statistics.median(values), 2) for key, values in column.items()}
            for name, column in columns.items()}


def crash_safety(boots: list[runs.Boot],
                 per_boot: dict[str, list[flow_states.AtomEvent]]) -> dict[str, Any]:
    """Time in persistence and jobboard reads and writes per boot, and the derived ratio.

    Derived from timings, not from a run without persistence (there is no such
    mode): ratio = boot / (boot - persist time), medians over the boots. Not in
    the recorded totals: the write of the flow's end event and the job's finish
    (made after it), two transactions per boot.
    """
    persist_ms, ratios = [], []
    for boot in boots:
        found = recorded_hops(per_boot[boot.server_id])
        if found['flow'] is None:
            continue
        persist = boot_totals(found)[hop_timer.PERSIST]
        active_ms = boot.active_s * 1e3
        persist_ms.append(persist['ms'])
        if active_ms > persist['ms']:
            ratios.append(active_ms / (active_ms - persist['ms']))
    if not persist_ms:
        return {'boots': 0}
    return {'boots': len(persist_ms), 'persist_median_ms': round(statistics.median(persist_ms), 2),
            'ratio_median': round(statistics.median(ratios), 3) if ratios else None,
            'derived': 'from timings, not an on/off run'}


def node_note(row: dict[str, Any]) -> str:
    """A task's split in one line, for its node on the flow graph."""
    return (', '.join(f"{c} {row[c]['ms']:.1f} ({row[c]['n']})" for c in SHOWN
                      if row[c]['n']) + f", other {row['other_ms']:.1f}, engine "
            f"{row.get('engine_ms', 0.0):.1f} ms")


def lines(found: dict[str, Any]) -> list[str]:
    """The printed split of the median boot, the medians of all boots, crash safety."""
    boot = found['median_boot']
    medians = found['task_median']
    out = [f"Hops of the median boot ({boot['server_id']}, {boot['post_to_active_ms']} ms), "
           'ms (count) per task; other = the task\'s own Python, engine = TaskFlow around it:',
           f"  {'task':28} {'took':>7} " + ' '.join(f'{c:>12}' for c in SHOWN)
           + f" {'other':>7} {'engine':>7}"]
    for row in boot['tasks']:
        cells = ' '.join(f"{row[c]['ms']:7.1f} ({row[c]['n']:2})" for c in SHOWN)
        out.append(f"  {row['task']:28} {row.get('duration_ms', 0.0):7.1f} {cells} "
                   f"{row['other_ms']:7.1f} {row.get('engine_ms', 0.0):7.1f}")
    out.append('  median of all boots:')
    for row in boot['tasks']:
        median = medians.get(row['task'], {})
        cells = ' '.join(f"{median.get(c, 0.0):7.1f}     " for c in SHOWN)
        out.append(f"  {row['task']:28} {'':7} {cells} {median.get('other_ms', 0.0):7.1f} "
                   f"{median.get('engine_ms', 0.0):7.1f}")
    totals = boot['totals']
    flow = totals.get('flow_thread')
    if flow:
        out.append("  conductor's boot thread (cast received -> flow end; job post, claim, "
                   f"saves, events): {flow.get('wall_ms', 0.0):.1f} ms, of it "
                   + ', '.join(f"{c} {_hop_ms(flow, c):.1f} ({_hop_n(flow, c)})"
                               for c in hop_timer.CATEGORIES if c in flow)
                   + f"; {flow.get('commits', 0)} commits")
    out.append('  whole boot (tasks + boot thread): '
               + ', '.join(f"{c} {totals[c]['ms']:.1f} ms ({totals[c]['n']})"
                           for c in hop_timer.CATEGORIES)
               + f"; {totals['commits']} commits")
    safety = found['crash_safety']
    if safety.get('boots'):
        out.append(f"  crash safety: {safety['persist_median_ms']} ms of persistence and "
                   f"jobboard per boot (median of {safety['boots']}); boot / (boot - that) = "
                   f"{safety['ratio_median']}x (goal <= 1.3x; derived from timings, not an "
                   'on/off run)')
    return out
