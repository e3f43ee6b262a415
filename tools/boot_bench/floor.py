"""The floor of a boot: the unit costs it cannot go below, times how many a boot makes.

Unit costs, each the median of many, measured here:

- ``rpc``: one oslo.messaging call round trip on nova_lite's in-process
  transport (:mod:`nova_lite.common.memory_transport`, through
  :func:`nova_lite.common.rpc.get_transport`) to a trivial endpoint, in the
  benchmark's own process;
- ``cast``: one cast on it, until the endpoint runs;
- ``commit``: one SQLite write transaction of one small row through
  :class:`nova_lite.db.api.Database` (WAL, ``synchronous=NORMAL``,
  ``BEGIN IMMEDIATE``, as the cloud runs), in the benchmark's process on a
  file in the benchmark's directory;
- ``http``: one loopback ``GET /v2.1/flavors/{id}`` to the running cloud's
  compute API, its token checked (keep-alive connection).

Counts: the median boot's recorded hops (its tasks and its conductor thread:
RPC calls and casts, HTTP requests, commits), plus what is not recorded
there: the client's POST and the GET that sees ACTIVE, the compute API's cast
to the conductor and its commit of the instance, the flow's end event and the
job's finish (two commits).
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import oslo_messaging
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import rpc
from nova_lite.db import api as db_api

from . import api as bench_api

# Made by every boot but not in its recorded hops (see the module's text).
NOT_RECORDED = {'http': 2, 'cast': 1, 'commits': 3}

# What a boot cannot avoid, whatever the code, with persistence, the jobboard,
# separate services and token checks kept:
#   rpc 2: the scheduler's select_destinations and the compute host's spawn, both
#          calls (the flow needs their answers);
#   cast 1: the compute API hands the boot to a conductor;
#   http 2: the client's POST /servers and the GET that sees ACTIVE (each checks
#           the token); the conductor's calls to the image and network services
#           need not be HTTP when the services share a process (in-process clients
#           behind the same contracts);
#   commits 13: the API's instance row, the job's post, its claim, one per task of
#           the boot flow (9: its result saved, with its event, so a crash resumes
#           after it), the job's finish. The scheduler's claim and the port's row
#           are written inside the select and port calls.
DESIGN_MINIMUM = {'rpc': 2, 'cast': 1, 'http': 2, 'commits': 13}


def _median_ms(work: Callable[[], Any], count: int, warmup: int = 10) -> float:
    for _ in range(warmup):
        work()
    took = []
    for _ in range(count):
        started = time.perf_counter()
        work()
        took.append(time.perf_counter() - started)
    return round(statistics.median(took) * 1e3, 4)


class _Endpoint:
    target = oslo_messaging.Target(version='1.0')

    def __init__(self) -> None:
        self.poked = threading.Event()

    def ping(self, ctxt: Any) -> str:
        return 'pong'

    def poke(self, ctxt: Any) -> None:
        self.poked.set()


def rpc_costs(count: int = 200) -> dict[str, float]:
    """One call round trip and one cast delivery on the in-process transport (ms)."""
    conf = cfg.ConfigOpts()
    conf([], project='nova_lite_floor', default_config_files=[])
    transport = rpc.get_transport(conf)
    endpoint = _Endpoint()
    server = rpc.get_server(transport, oslo_messaging.Target(topic='floor', server='floor'),
                            [endpoint])
    server.start()
    try:
        client = rpc.get_client(transport, oslo_messaging.Target(topic='floor',
                                                                 version='1.0'))
        ctxt = nl_context.get_admin_context()
        call_ms = _median_ms(lambda: client.call(ctxt, 'ping'), count)

        def cast() -> None:
            endpoint.poked.clear()
            client.cast(ctxt, 'poke')
            endpoint.poked.wait(5)

        cast_ms = _median_ms(cast, count)
    finally:
        server.stop()
        server.wait()
        transport.cleanup()
    return {'rpc': call_ms, 'cast': cast_ms}


def commit_cost(directory: str, count: int = 200) -> float:
    """One write transaction of one small row in SQLite as nova_lite sets it up (ms)."""
    database = db_api.Database(f"sqlite:///{os.path.join(directory, 'floor.sqlite')}")
    table = sa.Table('floor_rows', sa.MetaData(),
                     sa.Column('id', sa.Integer, primary_key=True, autoincrement=True),
                     sa.Column('name', sa.String(36)))
    try:
        table.metadata.create_all(database.engine)

        def write() -> None:
            with database.engine.begin() as conn:
                conn.execute(table.insert().values(name='floor'))

        return _median_ms(write, count)
    finally:
        database.dispose()


def http_cost(client: bench_api.CloudApi, flavor_id: str, count: int = 100) -> float:
    """One authenticated loopback GET to the running compute API (ms)."""
    return _median_ms(lambda: client.call('GET', 'compute', f'/v2.1/flavors/{flavor_id}', 200),
                      count)


def unit_costs(directory: str, client: bench_api.CloudApi, flavor_id: str) -> dict[str, Any]:
    costs: dict[str, Any] = rpc_costs()
    costs['commit'] = commit_cost(directory)
    costs['http'] = http_cost(client, flavor_id)
    return costs


def floor(units: dict[str, Any], hops: dict[str, Any], median_ms: float) -> dict[str, Any]:
    """Σ count × unit cost for the median boot, and its ratio to the boot's median."""
    totals = hops['median_boot']['totals']
    counts = {'rpc': totals['rpc']['n'],
              'cast': totals['cast']['n'] + NOT_RECORDED['cast'],
              'http': totals['http']['n'] + NOT_RECORDED['http'],
              'commits': totals['commits'] + NOT_RECORDED['commits']}
    unit_of = {'rpc': units['rpc'], 'cast': units['cast'], 'http': units['http'],
               'commits': units['commit']}
    parts = {name: round(count * unit_of[name], 3) for name, count in counts.items()}
    total = round(sum(parts.values()), 2)
    minimum = round(sum(count * unit_of[name] for name, count in DESIGN_MINIMUM.items()), 2)
    return {'units_ms': units, 'counts': counts, 'not_recorded': NOT_RECORDED,
            'parts_ms': parts, 'floor_ms': total, 'boot_median_ms': median_ms,
            'ratio': round(median_ms / total, 2) if total else None,
            'design_minimum': {'counts': DESIGN_MINIMUM, 'floor_ms': minimum,
                               'ratio': round(median_ms / minimum, 2) if minimum else None}}


def lines(found: dict[str, Any]) -> list[str]:
    units, counts, parts = found['units_ms'], found['counts'], found['parts_ms']
    minimum = found['design_minimum']
    return [
        'Floor of a boot (unit costs measured in the bench process on nova_lite\'s own '
        'modules; HTTP against the running cloud):',
        f"  units: rpc call {units['rpc']:.3f} ms, cast {units['cast']:.3f} ms, SQLite commit "
        f"{units['commit']:.3f} ms, HTTP GET with token check {units['http']:.3f} ms",
        f"  counts (median boot, recorded + not recorded {found['not_recorded']}): "
        + ', '.join(f'{name} {count}' for name, count in counts.items()),
        '  floor = ' + ' + '.join(f'{name} {ms:.2f}' for name, ms in parts.items())
        + f" = {found['floor_ms']:.2f} ms; boot median {found['boot_median_ms']} ms; "
        f"boot / floor = {found['ratio']}x (goal <= 3x)",
        f"  the design's minimum ({', '.join(f'{k} {v}' for k, v in minimum['counts'].items())}"
        f": see tools/boot_bench/floor.py) = {minimum['floor_ms']:.2f} ms; boot / minimum = "
        f"{minimum['ratio']}x"]
