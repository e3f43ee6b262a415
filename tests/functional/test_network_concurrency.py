"""Concurrent port creation on a small subnet, on SQLite and on PostgreSQL.

More requests than free addresses race for a /28 (13 addresses for ports):
exactly the capacity gets an address, every address is handed out once, and
the rest fail cleanly with IpAddressExhausted, leaving no port behind.
"""

from __future__ import annotations

import ipaddress
import random
import threading
from collections.abc import Callable
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.network import manager as network_manager

CIDR = '10.20.0.0/28'
CAPACITY = 13  # 16 addresses - network - broadcast - gateway
BACKENDS = ['db', pytest.param('pg_db', marks=pytest.mark.postgresql)]


def _ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='u', project_id='project-a', roles=['member'])


def _run_concurrently(count: int, work: Callable[[int], Any]) -> tuple[list[Any], list[Any]]:
    """Run ``work(i)`` in ``count`` threads released at once; (results, errors)."""
    barrier = threading.Barrier(count)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        barrier.wait()
        try:
            outcome = work(index)
        except BaseException as exc:  # collected and asserted on by the test
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def _setup(request: pytest.FixtureRequest, conf: cfg.ConfigOpts,
           backend: str) -> tuple[network_manager.NetworkManager, str, set[str]]:
    database: db_api.Database = request.getfixturevalue(backend)
    manager = network_manager.NetworkManager(conf, database, rng=random.SystemRandom())
    network = manager.create_network(_ctx(), name='small')
    subnet = manager.create_subnet(_ctx(), network['id'], CIDR)
    pool = subnet['allocation_pools'][0]
    first, last = (int(ipaddress.ip_address(pool[k])) for k in ('start', 'end'))
    everything = {str(ipaddress.ip_address(value)) for value in range(first, last + 1)}
    assert len(everything) == CAPACITY
    return manager, network['id'], everything


def _create_ports(manager: network_manager.NetworkManager, network_id: str,
                  threads: int) -> tuple[list[dict[str, Any]], list[BaseException]]:
    return _run_concurrently(threads, lambda i: manager.create_port(
        _ctx(), network_id, name=f'port-{i}'))


@pytest.mark.parametrize('backend', BACKENDS)
@pytest.mark.parametrize('threads', [8, 20])
def test_concurrent_ports_get_distinct_ips(request: pytest.FixtureRequest,
                                           conf: cfg.ConfigOpts, backend: str,
                                           threads: int) -> None:
    manager, network_id, everything = _setup(request, conf, backend)
    ports, errors = _create_ports(manager, network_id, threads)
    expected = min(threads, CAPACITY)
    assert len(ports) == expected
    assert all(isinstance(error, exception.IpAddressExhausted) for error in errors), errors
    assert len(errors) == threads - expected
    addresses = [port['fixed_ips'][0]['ip_address'] for port in ports]
    assert len(set(addresses)) == expected
    assert set(addresses) <= everything
    assert len({port['mac_address'] for port in ports}) == expected
    stored = manager.list_ports(_ctx(), network_id=network_id)
    assert sorted(p['id'] for p in stored) == sorted(p['id'] for p in ports)


@pytest.mark.parametrize('backend', BACKENDS)
def test_every_ip_is_reusable_after_deleting_all_ports(request: pytest.FixtureRequest,
                                                       conf: cfg.ConfigOpts,
                                                       backend: str) -> None:
    manager, network_id, everything = _setup(request, conf, backend)
    first_round, errors = _create_ports(manager, network_id, 16)
    assert {p['fixed_ips'][0]['ip_address'] for p in first_round} == everything
    assert len(errors) == 16 - CAPACITY
    _, delete_errors = _run_concurrently(
        len(first_round), lambda i: manager.delete_port(_ctx(), first_round[i]['id']))
    assert delete_errors == []
    assert manager.list_ports(_ctx()) == []
    second_round, errors = _create_ports(manager, network_id, 16)
    assert {p['fixed_ips'][0]['ip_address'] for p in second_round} == everything
    assert all(isinstance(error, exception.IpAddressExhausted) for error in errors)


@pytest.mark.parametrize('backend', BACKENDS)
def test_one_winner_for_a_contested_fixed_ip(request: pytest.FixtureRequest,
                                             conf: cfg.ConfigOpts, backend: str) -> None:
    manager, network_id, _ = _setup(request, conf, backend)
    ports, errors = _run_concurrently(8, lambda i: manager.create_port(
        _ctx(), network_id, fixed_ips=[{'ip_address': '10.20.0.9'}]))
    assert len(ports) == 1 and ports[0]['fixed_ips'][0]['ip_address'] == '10.20.0.9'
    assert len(errors) == 7
    for error in errors:
        assert isinstance(error, exception.Conflict) and '10.20.0.9' in error.message
    assert len(manager.list_ports(_ctx())) == 1
