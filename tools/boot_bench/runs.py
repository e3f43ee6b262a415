"""The timed runs: sequential boots, and clients booting and deleting in a loop."""

from __future__ import annotations

import dataclasses
import datetime
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from . import api as bench_api

FIRST_ERRORS = 5  # error messages kept per run


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` 0.95 is the p95)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(seconds: list[float]) -> dict[str, float | int]:
    """Median, p95, min and max in milliseconds (empty if nothing was measured)."""
    if not seconds:
        return {'count': 0}
    return {'count': len(seconds), 'median_ms': round(statistics.median(seconds) * 1e3, 1),
            'p95_ms': round(percentile(seconds, 0.95) * 1e3, 1),
            'min_ms': round(min(seconds) * 1e3, 1), 'max_ms': round(max(seconds) * 1e3, 1)}


@dataclasses.dataclass
class Boot:
    """One sequential boot: its server, when its POST left (UTC), and its timings."""

    server_id: str
    posted_at: datetime.datetime
    post_s: float  # the POST's own answer
    active_s: float  # POST sent -> ACTIVE seen
    delete_s: float | None = None  # DELETE sent -> 404 seen
    host: str | None = None  # where it ran (the admin view's OS-EXT-SRV-ATTR:host)


def sequential(client: bench_api.CloudApi, resources: dict[str, str], boots: int,
               poll: float, timeout: float,
               between: Callable[[], None] | None = None) -> list[Boot]:
    """Boot, wait for ACTIVE, delete, wait for 404: ``boots`` times, one after another;
    ``between`` runs before each boot, outside the timed part."""
    done = []
    for number in range(boots):
        if between is not None:
            between()
        posted_at = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        started = time.perf_counter()
        server_id = client.create_server(f'seq-{number}', resources)
        post_s = time.perf_counter() - started
        server = client.wait_settled(server_id, poll, timeout)
        active_s = time.perf_counter() - started
        if server['status'] != 'ACTIVE':
            raise bench_api.ApiError(f'sequential boot {number} ended {server["status"]}: '
                                     f'{server.get("fault")}')
        boot = Boot(server_id, posted_at, post_s, active_s,
                    host=server.get('OS-EXT-SRV-ATTR:host'))
        started = time.perf_counter()
        client.delete_and_wait(server_id, poll, timeout)
        boot.delete_s = time.perf_counter() - started
        done.append(boot)
    return done


def sequential_report(boots: list[Boot]) -> dict[str, Any]:
    return {'boots': len(boots),
            'post_to_active_each_ms': [round(b.active_s * 1e3, 1) for b in boots],
            'post_to_active': summary_ms([b.active_s for b in boots]),
            'post_answer': summary_ms([b.post_s for b in boots]),
            'delete_to_404': summary_ms([b.delete_s for b in boots if b.delete_s is not None])}


class _Tally:
    """What the clients of one throughput run found, shared between their threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.error_count = 0
        self.connection_errors = 0  # the client could not connect, or lost the connection

    def boot(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def error(self, message: str, connection: bool = False) -> None:
        with self.lock:
            self.error_count += 1
            self.connection_errors += connection
            if len(self.errors) < FIRST_ERRORS:
                self.errors.append(message[:300])


def _client_loop(make_client: Callable[[], bench_api.CloudApi], resources: dict[str, str],
                 name: str, until: float, poll: float, timeout: float, tally: _Tally) -> None:
    client = make_client()
    number = 0
    while time.monotonic() < until:
        number += 1
        server_id, step = None, 'boot (POST)'
        try:
            started = time.perf_counter()
            server_id = client.create_server(f'{name}-{number}', resources)
            step = 'wait for ACTIVE (GET)'
            server = client.wait_settled(server_id, poll, timeout)
            if server['status'] == 'ACTIVE':
                tally.boot(time.perf_counter() - started)
            else:
                tally.error(f'{server_id} ended {server["status"]}: {server.get("fault")}')
            step = 'delete (DELETE, GET)'
            client.delete_and_wait(server_id, poll, timeout)
        except (bench_api.ApiError, requests.RequestException) as exc:
            tally.error(f'{name} boot {number}, {step}: {type(exc).__name__}: {exc}',
                        connection=isinstance(exc, requests.ConnectionError))
            if server_id is None:
                time.sleep(poll)  # do not spin on a refused POST


class UsageWatch:
    """Samples the hosts' usage (GET /os-hypervisors/detail) while a run goes on."""

    def __init__(self, client: bench_api.CloudApi, limits: dict[str, float],
                 interval: float = 0.2) -> None:
        self._client = client
        self._limits = limits
        self._interval = interval
        self._stop = threading.Event()
        self.samples = 0
        self.peak = {'vcpus_used': 0, 'memory_mb_used': 0}
        self.sample_errors = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> UsageWatch:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def take(self) -> list[dict[str, Any]]:
        nodes = self._client.hypervisors()
        for node in nodes:
            for key in self.peak:
                self.peak[key] = max(self.peak[key], int(node[key]))
        self.samples += 1
        return nodes

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.take()
            except (bench_api.ApiError, requests.RequestException):
                self.sample_errors += 1

    def verdict(self, after: list[dict[str, Any]]) -> dict[str, Any]:
        over = (self.peak['vcpus_used'] > self._limits['vcpus']
                or self.peak['memory_mb_used'] > self._limits['memory_mb'])
        left = {key: sum(int(node[key]) for node in after) for key in self.peak}
        return {'samples': self.samples, 'sample_errors': self.sample_errors,
                'peak': dict(self.peak), 'limits': self._limits, 'overcommitted': over,
                'used_after_run': left}


def throughput(make_client: Callable[[], bench_api.CloudApi], resources: dict[str, str],
               clients: int, duration: float, poll: float, timeout: float,
               watch: UsageWatch) -> dict[str, Any]:
    """``clients`` threads boot and delete in a loop, starting boots for ``duration`` s."""
    tally = _Tally()
    started = time.monotonic()
    threads = [threading.Thread(target=_client_loop, daemon=True, args=(
        make_client, resources, f'c{clients}-{n}', started + duration, poll, timeout,
        tally)) for n in range(clients)]
    with watch:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    elapsed = time.monotonic() - started
    verdict = watch.verdict(watch.take())
    return {'clients': clients, 'seconds': round(elapsed, 2),
            'boots_completed': len(tally.latencies),
            'boots_per_second': round(len(tally.latencies) / elapsed, 2),
            'latency': summary_ms(tally.latencies),
            'errors': tally.error_count, 'connection_errors': tally.connection_errors,
            'first_errors': tally.errors,
            'overcommit_check': verdict}
