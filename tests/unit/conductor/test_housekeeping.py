"""The conductor's housekeeping: stuck builds to ERROR, finished runs purged, and
both as periodic tasks at their [conductor] intervals.

The boot runner and the instance store are small fakes; the saved runs are
real (the database persistence backend on SQLite).
"""

from __future__ import annotations

import contextlib
import datetime
import threading
import time
from collections.abc import Iterator
from typing import Any, cast

import pytest
from oslo_config import cfg
from taskflow import states

from nova_lite.common import service as nl_service
from nova_lite.common import timeutils
from nova_lite.conductor import housekeeping
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.db import api as db_api

BUILD_TIMEOUT = 600


def _created(seconds_ago: float) -> str:
    created = timeutils.utcnow() - datetime.timedelta(seconds=seconds_ago)
    return created.isoformat() + 'Z'


class FakeInstances:
    """The instance store's list and set_error, over a dict."""

    def __init__(self) -> None:
        self.instances: dict[str, dict[str, Any]] = {}
        self.errors: dict[str, dict[str, Any]] = {}
        self.failed = threading.Event()

    def add(self, instance_id: str, *, seconds_ago: float, host: str | None = 'host-a',
            vm_state: str = 'building') -> None:
        self.instances[instance_id] = {'id': instance_id, 'vm_state': vm_state,
                                       'host': host, 'created_at': _created(seconds_ago)}

    def list(self, *, vm_states: list[str] | None = None) -> list[dict[str, Any]]:
        return [dict(i) for i in self.instances.values()
                if vm_states is None or i['vm_state'] in vm_states]

    def set_error(self, instance_id: str, *, message: str, code: int = 500) -> None:
        self.instances[instance_id]['vm_state'] = 'error'
        self.errors[instance_id] = {'message': message, 'code': code}
        self.failed.set()


class FakeFlows:
    def __init__(self, persistence: flow_persistence.DatabaseBackend) -> None:
        self.persistence = persistence
        self.swept: list[tuple[str, set[str]]] = []

    def sweep(self, instance_id: str, hosts: set[str]) -> None:
        self.swept.append((instance_id, hosts))


class FakeRunner:
    """The boot runner's locks, withdraw and flows, as housekeeping uses them."""

    def __init__(self, persistence: flow_persistence.DatabaseBackend) -> None:
        self.flows = FakeFlows(persistence)
        self.running: set[str] = set()
        self.held_elsewhere: set[str] = set()
        self.withdrawn: list[str] = []
        self.locked: list[str] = []

    def is_running(self, instance_id: str) -> bool:
        return instance_id in self.running

    @contextlib.contextmanager
    def lock_for(self, instance_id: str) -> Iterator[None]:
        self.locked.append(instance_id)
        yield

    def withdraw_boot_job(self, instance_id: str, wait: float = 0.0) -> bool:
        if instance_id in self.held_elsewhere:
            return False
        self.withdrawn.append(instance_id)
        return True


def _settings(**overrides: Any) -> housekeeping.HousekeepingSettings:
    values: dict[str, Any] = {
        'build_timeout': BUILD_TIMEOUT,
        'finished_run_retention': datetime.timedelta(hours=1),
        'stuck_build_check_interval': 60.0, 'purge_interval': 60.0}
    values.update(overrides)
    return housekeeping.HousekeepingSettings(**values)


class Keeper:
    def __init__(self, db: db_api.Database, **settings: Any) -> None:
        self.persistence = flow_persistence.DatabaseBackend(db)
        self.instances = FakeInstances()
        self.runner = FakeRunner(self.persistence)
        self.housekeeping = housekeeping.Housekeeping(
            cast(Any, self.runner), cast(Any, self.instances), _settings(**settings))


@pytest.fixture
def keeper(db: db_api.Database) -> Keeper:
    return Keeper(db)


def _finished_run(persistence: flow_persistence.DatabaseBackend, book_uuid: str) -> str:
    _book, flow_detail = flow_persistence.start_run(persistence, 'boot-instance',
                                                    book_uuid=book_uuid)
    flow_persistence.end_run(persistence, flow_detail.uuid, states.SUCCESS)
    return flow_detail.uuid


def test_settings_come_from_the_conductor_and_compute_options(conf: cfg.ConfigOpts) -> None:
    defaults = housekeeping.HousekeepingSettings.from_conf(conf)
    assert defaults == housekeeping.HousekeepingSettings(
        build_timeout=900, finished_run_retention=datetime.timedelta(hours=1),
        stuck_build_check_interval=60.0, purge_interval=60.0)
    conf.set_override('build_timeout', 30, group='compute')
    conf.set_override('finished_run_retention', 120, group='conductor')
    conf.set_override('stuck_build_check_interval', 5.0, group='conductor')
    conf.set_override('purge_interval', 7.5, group='conductor')
    assert housekeeping.HousekeepingSettings.from_conf(conf) == housekeeping.HousekeepingSettings(
        build_timeout=30, finished_run_retention=datetime.timedelta(minutes=2),
        stuck_build_check_interval=5.0, purge_interval=7.5)


def test_periodic_tasks_are_the_two_checks_at_their_intervals(db: db_api.Database) -> None:
    keeper = Keeper(db, stuck_build_check_interval=5.0, purge_interval=7.5)
    tasks = keeper.housekeeping.periodic_tasks()
    assert tasks == [(5.0, keeper.housekeeping.fail_stuck_builds),
                     (7.5, keeper.housekeeping.purge_finished_runs)]


def test_a_build_past_the_timeout_is_withdrawn_swept_and_set_to_error(keeper: Keeper) -> None:
    keeper.instances.add('stuck', seconds_ago=BUILD_TIMEOUT + 60, host='host-a')
    keeper.instances.add('stuck-unscheduled', seconds_ago=BUILD_TIMEOUT + 60, host=None)

    failed = keeper.housekeeping.fail_stuck_builds()

    assert sorted(failed) == ['stuck', 'stuck-unscheduled']
    assert sorted(keeper.runner.withdrawn) == ['stuck', 'stuck-unscheduled']
    assert sorted(keeper.runner.locked) == ['stuck', 'stuck-unscheduled']
    assert sorted(keeper.runner.flows.swept) == [('stuck', {'host-a'}),
                                                 ('stuck-unscheduled', set())]
    assert keeper.instances.errors['stuck'] == {
        'message': f'Build timed out: in BUILD for more than {BUILD_TIMEOUT} s', 'code': 500}


def test_builds_within_the_timeout_running_here_or_held_elsewhere_are_left_alone(
        keeper: Keeper) -> None:
    keeper.instances.add('young', seconds_ago=BUILD_TIMEOUT - 60)
    keeper.instances.add('running-here', seconds_ago=BUILD_TIMEOUT + 60)
    keeper.instances.add('held-elsewhere', seconds_ago=BUILD_TIMEOUT + 60)
    keeper.instances.add('active', seconds_ago=BUILD_TIMEOUT + 60, vm_state='active')
    keeper.runner.running.add('running-here')
    keeper.runner.held_elsewhere.add('held-elsewhere')

    assert keeper.housekeeping.fail_stuck_builds() == []

    assert keeper.instances.errors == {}
    assert keeper.runner.flows.swept == []
    assert keeper.runner.locked == ['held-elsewhere']


def test_a_build_timeout_given_or_zero_overrides_the_setting(keeper: Keeper) -> None:
    keeper.instances.add('stuck', seconds_ago=BUILD_TIMEOUT + 60)
    assert keeper.housekeeping.fail_stuck_builds(0) == []
    assert keeper.housekeeping.fail_stuck_builds(BUILD_TIMEOUT * 2) == []
    assert keeper.housekeeping.fail_stuck_builds(60) == ['stuck']
    assert keeper.instances.errors['stuck']['message'] == (
        'Build timed out: in BUILD for more than 60 s')


def test_purge_deletes_finished_runs_older_than_the_retention(keeper: Keeper) -> None:
    _finished_run(keeper.persistence, 'finished-instance')
    _book, unfinished = flow_persistence.start_run(keeper.persistence, 'boot-instance',
                                                   book_uuid='running-instance')

    assert keeper.housekeeping.purge_finished_runs() == 0  # younger than an hour
    assert keeper.housekeeping.purge_finished_runs(older_than=datetime.timedelta(0)) == 1

    assert flow_persistence.runs_of_book(keeper.persistence, 'finished-instance') == []
    [still] = flow_persistence.runs_of_book(keeper.persistence, 'running-instance')
    assert still.flow_uuid == unfinished.uuid


def test_the_periodic_tasks_run_on_timers_until_stopped(db: db_api.Database) -> None:
    keeper = Keeper(db, finished_run_retention=datetime.timedelta(0),
                    stuck_build_check_interval=0.05, purge_interval=0.05)
    keeper.instances.add('stuck', seconds_ago=BUILD_TIMEOUT + 60)
    _finished_run(keeper.persistence, 'finished-instance')
    timers = nl_service.PeriodicTimers(keeper.housekeeping.periodic_tasks())
    timers.start()
    try:
        assert keeper.instances.failed.wait(10), 'the stuck build check never ran'
        deadline = time.monotonic() + 10
        while flow_persistence.runs_of_book(keeper.persistence, 'finished-instance'):
            assert time.monotonic() < deadline, 'the purge never ran'
            time.sleep(0.02)
    finally:
        timers.stop()
        timers.wait()
    assert keeper.instances.errors['stuck']['code'] == 500
    # Stopped: a new stuck build is not looked at any more.
    keeper.instances.add('later', seconds_ago=BUILD_TIMEOUT + 60)
    time.sleep(0.2)
    assert 'later' not in keeper.instances.errors
