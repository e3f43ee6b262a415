"""Memory over many boots: a fresh cloud boots and deletes N servers, sampled on the way.

A few clients (threads, each with its own HTTP session) boot a server, wait
for ACTIVE, delete it and wait for the 404, until a batch of boots is done;
between two batches no boot is in flight and the benchmark reads each
process's threads, resident memory (VmRSS) and proportional share (Pss, from
``/proc/PID/smaps_rollup``: shared pages split between the processes that
map them, so the processes' Pss add up to what the cloud really holds).

Growth is judged on the largest process's RSS between the sample nearest
the middle of the run and the last one: more than ``GROWTH_MB`` more is
"growing" (allocator noise and caches that fill once stay under it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import requests

from . import api as bench_api
from . import cloud as bench_cloud

GROWTH_MB = 5.0
FIRST_ERRORS = 5


def pss_mb(pid: int) -> float | None:
    try:
        with open(f'/proc/{pid}/smaps_rollup', encoding='ascii') as rollup:
            for line in rollup:
                if line.startswith('Pss:'):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def memory_sample(pid: int, boots: int, started: float) -> dict[str, Any]:
    found: dict[str, Any] = dict(bench_cloud.memory_and_threads(pid))
    pss = [pss_mb(p['pid']) for p in found['processes']]
    for process, value in zip(found['processes'], pss, strict=True):
        process['pss_mb'] = round(value, 1) if value is not None else None
    found['pss_mb'] = round(sum(v for v in pss if v is not None), 1)
    found['largest_rss_mb'] = max(p['rss_mb'] for p in found['processes'])
    found['boots'] = boots
    found['seconds'] = round(time.monotonic() - started, 1)
    return found


class _Quota:
    """Hands out boot numbers until a batch's end; counts what happened."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.next = 0
        self.end = 0
        self.completed = 0
        self.errors = 0
        self.first_errors: list[str] = []

    def take(self) -> int | None:
        with self.lock:
            if self.next >= self.end:
                return None
            self.next += 1
            return self.next

    def done(self, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.completed += 1
            else:
                self.errors += 1
                if len(self.first_errors) < FIRST_ERRORS:
                    self.first_errors.append(error[:300])


def _client(client: bench_api.CloudApi, resources: dict[str, str], quota: _Quota,
            poll: float, timeout: float) -> None:
    while (number := quota.take()) is not None:
        step = 'boot (POST)'
        try:
            server_id = client.create_server(f'mem-{number}', resources)
            step = 'wait for ACTIVE (GET)'
            server = client.wait_settled(server_id, poll, timeout)
            step = 'delete (DELETE, GET)'
            client.delete_and_wait(server_id, poll, timeout)
            quota.done(None if server['status'] == 'ACTIVE'
                       else f'{server_id} ended {server["status"]}: {server.get("fault")}')
        except (bench_api.ApiError, requests.RequestException) as exc:
            quota.done(f'{step}: {type(exc).__name__}: {exc}')


def sample_every(boots: int) -> int:
    """100 for 1,000 boots; a tenth of smaller runs."""
    return max(1, min(100, boots // 10))


def run(pid: int, make_client: Callable[[], bench_api.CloudApi], resources: dict[str, str],
        boots: int, clients: int, poll: float, timeout: float) -> dict[str, Any]:
    """Boot and delete ``boots`` servers with ``clients`` clients; sample between batches."""
    every = sample_every(boots)
    pool = [make_client() for _ in range(clients)]
    quota = _Quota()
    started = time.monotonic()
    samples = [memory_sample(pid, 0, started)]
    while quota.end < boots:
        quota.end = min(boots, quota.end + every)
        threads = [threading.Thread(target=_client, daemon=True,
                                    args=(client, resources, quota, poll, timeout))
                   for client in pool]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        samples.append(memory_sample(pid, quota.end, started))
    return {'boots': boots, 'clients': clients, 'sample_every': every,
            'completed': quota.completed, 'errors': quota.errors,
            'first_errors': quota.first_errors, 'samples': samples,
            'verdict': verdict(samples)}


def verdict(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """RSS at the end, and its growth from the sample nearest the run's middle."""
    last = samples[-1]
    middle = min(samples, key=lambda s: abs(s['boots'] - last['boots'] / 2))
    growth = round(last['largest_rss_mb'] - middle['largest_rss_mb'], 1)
    return {'rss_end_mb': last['largest_rss_mb'], 'pss_end_mb': last['pss_mb'],
            'threads_end': last['threads'], 'middle_boots': middle['boots'],
            'end_boots': last['boots'], 'growth_mb': growth,
            'growing': growth > GROWTH_MB, 'growth_limit_mb': GROWTH_MB}
