"""Where the milliseconds of a boot go, from its flow's own atom events.

The conductor records every state change of every atom of a boot's flow in
``flow_atom_events`` (``nova_lite.conductor.flow_states``), with the time it
happened. From a boot's events and the time its ``POST /servers`` left, this
tells when the flow started, how long each task ran (RUNNING to SUCCESS), how
much of the flow no task covered (the engine, its saving and its listeners),
and what came after the flow until the client saw ACTIVE.
"""

from __future__ import annotations

import datetime
import os
import statistics
from typing import Any

from taskflow import states

from nova_lite.conductor import flow_states
from nova_lite.conductor.flows import keys
from nova_lite.db import api as db_api

from . import runs


def _ms(later: datetime.datetime, earlier: datetime.datetime) -> float:
    return round((later - earlier).total_seconds() * 1e3, 2)


def _covered(intervals: list[tuple[datetime.datetime, datetime.datetime]]) -> float:
    """Milliseconds covered by at least one interval (parallel tasks overlap)."""
    total, end = 0.0, None
    for start, stop in sorted(intervals):
        if end is None or start > end:
            total += _ms(stop, start)
            end = stop
        elif stop > end:
            total += _ms(stop, end)
            end = stop
    return total


def task_spans(events: list[flow_states.AtomEvent]) -> dict[str, Any]:
    """Per atom: first RUNNING to last SUCCESS (or to its last event if it did not succeed)."""
    spans: dict[str, dict[str, Any]] = {}
    flow: dict[str, datetime.datetime] = {}
    for event in events:
        if event.at is None:
            continue
        if event.atom_name == keys.BOOT_FLOW:
            flow.setdefault(event.state, event.at)
            continue
        span = spans.setdefault(event.atom_name, {'start': None, 'end': None, 'state': None})
        if event.state == states.RUNNING and span['start'] is None:
            span['start'] = event.at
        span['end'], span['state'] = event.at, event.state
    return {'flow': flow, 'tasks': {name: span for name, span in spans.items()
                                    if span['start'] is not None}}


def boot_breakdown(boot: runs.Boot, events: list[flow_states.AtomEvent]) -> dict[str, Any]:
    """One boot's timeline in milliseconds after its POST left."""
    found = task_spans(events)
    flow, tasks = found['flow'], found['tasks']
    posted = boot.posted_at
    rows = sorted(({'task': name, 'start_ms': _ms(span['start'], posted),
                    'duration_ms': _ms(span['end'], span['start']), 'state': span['state']}
                   for name, span in tasks.items()), key=lambda row: row['start_ms'])
    result: dict[str, Any] = {'server_id': boot.server_id,
                              'post_to_active_ms': round(boot.active_s * 1e3, 1),
                              'post_answer_ms': round(boot.post_s * 1e3, 1), 'tasks': rows}
    flow_start = flow.get(states.RUNNING)
    flow_end = flow.get(states.SUCCESS)
    if flow_start is not None and flow_end is not None:
        busy = _covered([(span['start'], span['end']) for span in tasks.values()])
        flow_ms = _ms(flow_end, flow_start)
        result.update({
            'post_to_flow_start_ms': _ms(flow_start, posted),
            'flow_ms': flow_ms,
            'flow_not_in_tasks_ms': round(flow_ms - busy, 2),
            'flow_end_to_active_seen_ms': round(boot.active_s * 1e3 - _ms(flow_end, posted),
                                                2)})
    return result


def median_boot(boots: list[runs.Boot]) -> runs.Boot:
    """The boot whose POST -> ACTIVE is the median (the upper one of an even count)."""
    return sorted(boots, key=lambda boot: boot.active_s)[len(boots) // 2]


def load_boot_events(database_url: str,
                     boots: list[runs.Boot]) -> dict[str, list[flow_states.AtomEvent]]:
    """Each boot's recorded atom events (its boot flow's), by server id."""
    database = db_api.Database(database_url)
    try:
        return {boot.server_id: flow_states.load_atom_events(database, boot.server_id,
                                                             keys.BOOT_FLOW)
                for boot in boots}
    finally:
        database.dispose()


def breakdown(database_url: str, boots: list[runs.Boot]) -> dict[str, Any]:
    """The median boot's timeline, and each task's median duration over all the boots."""
    per_boot = load_boot_events(database_url, boots)
    durations: dict[str, list[float]] = {}
    for events in per_boot.values():
        for name, span in task_spans(events)['tasks'].items():
            durations.setdefault(name, []).append(_ms(span['end'], span['start']))
    median = median_boot(boots)
    return {'median_boot': boot_breakdown(median, per_boot[median.server_id]),
            'task_median_ms': {name: round(statistics.median(values), 2)
                               for name, values in durations.items()}}


def draw(database_url: str, found: dict[str, Any], path: str,
         hops: dict[str, Any] | None = None) -> str:
    """The boot flow as a graph with the median boot's states and each task's time on its
    node (and with ``hops``, :func:`.hops.hop_breakdown`, its split); the format from
    ``path``'s extension (dot, svg or png)."""
    from nova_lite.flowviz import account, boot_flow, dot, render

    boot = found['median_boot']
    medians = found['task_median_ms']
    database = db_api.Database(database_url)
    try:
        atom_states, atom_runs = flow_states.load_atom_states(database, boot['server_id'],
                                                              keys.BOOT_FLOW)
        run = account.load_account(database, boot['server_id'], keys.BOOT_FLOW)
    finally:
        database.dispose()
    notes = run.atom_notes()
    for row in boot['tasks']:
        notes.setdefault(row['task'], []).insert(0, (
            f"took {row['duration_ms']:.1f} ms, from +{row['start_ms']:.1f} ms "
            f"(median of all boots {medians.get(row['task'], 0.0):.1f} ms)"))
    if hops is not None:
        from . import hops as bench_hops
        for row in hops['median_boot']['tasks']:
            notes.setdefault(row['task'], []).insert(1, bench_hops.node_note(row))
    timeline = [f"POST -> ACTIVE {boot['post_to_active_ms']} ms (the median boot)"]
    if 'flow_ms' in boot:
        timeline += [f"flow started +{boot['post_to_flow_start_ms']} ms after the POST",
                     f"flow took {boot['flow_ms']} ms, {boot['flow_not_in_tasks_ms']} ms "
                     'of it in no task']
    graph = dot.flow_to_dot(boot_flow.describe_boot_flow(), atom_states=atom_states,
                            atom_runs=atom_runs, atom_notes=notes,
                            account=[*timeline, *run.lines()],
                            title=f"boot of instance {boot['server_id']}")
    fmt = os.path.splitext(path)[1].lstrip('.') or 'dot'
    return render.write_graph(graph, path, fmt)
