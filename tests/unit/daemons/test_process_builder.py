"""The one process builder: the daemons and the embedded cloud get their scheduler,
conductor and compute endpoints (and their periodic tasks) from it alike."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import oslo_messaging
import pytest
from oslo_config import cfg

from nova_lite import daemons, embedded
from nova_lite.common import fernet_keys, rpc
from nova_lite.common import service as nl_service
from nova_lite.compute import manager as compute_manager
from nova_lite.conductor import manager as conductor_manager
from nova_lite.db import api as db_api
from nova_lite.scheduler import manager as scheduler_manager
from nova_lite.wiring import process


@dataclasses.dataclass
class Built:
    """What the process builder made, in order, and with which arguments."""

    schedulers: list[scheduler_manager.SchedulerManager] = dataclasses.field(
        default_factory=list)
    conductors: list[tuple[str, process.ConductorParts]] = dataclasses.field(
        default_factory=list)
    computes: list[process.ComputeParts] = dataclasses.field(default_factory=list)


def _spy(monkeypatch: pytest.MonkeyPatch, name: str,
         record: Callable[[Any, dict[str, Any]], None]) -> None:
    real = getattr(process, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        made = real(*args, **kwargs)
        record(made, kwargs)
        return made

    monkeypatch.setattr(process, name, spy)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Built:
    seen = Built()
    _spy(monkeypatch, 'build_scheduler', lambda made, kw: seen.schedulers.append(made))
    _spy(monkeypatch, 'build_conductor',
         lambda made, kw: seen.conductors.append((kw['service_clients'], made)))
    _spy(monkeypatch, 'build_compute_host', lambda made, kw: seen.computes.append(made))
    return seen


@pytest.fixture
def cloud_conf(conf: cfg.ConfigOpts, db: db_api.Database) -> cfg.ConfigOpts:
    rpc.register_opts(conf)
    conf.set_override('control_exchange', f'nova_lite_test_{uuid.uuid4().hex[:8]}')
    conf.set_override('virt_driver', 'fake', group='compute')
    conf.set_override('stuck_build_check_interval', 5.0, group='conductor')
    conf.set_override('purge_interval', 7.5, group='conductor')
    fernet_keys.setup(conf.conductor.token_key_repository)
    return conf


@pytest.fixture
def transport(cloud_conf: cfg.ConfigOpts) -> Iterator[oslo_messaging.Transport]:
    made = rpc.get_transport(cloud_conf)
    yield made
    made.cleanup()


def _intervals(tasks: list[nl_service.PeriodicTask]) -> list[float]:
    return [interval for interval, _task in tasks]


def test_the_conductor_daemon_serves_the_built_conductor(
        cloud_conf: cfg.ConfigOpts, transport: oslo_messaging.Transport,
        built: Built) -> None:
    endpoint = daemons.conductor_endpoint(cloud_conf, transport)
    try:
        [(clients, parts)] = built.conductors
        assert clients == 'http'
        assert isinstance(endpoint.manager, conductor_manager.ConductorManager)
        assert endpoint.manager is parts.manager
        assert endpoint.periodic == parts.periodic_tasks() == [
            (5.0, parts.housekeeping.fail_stuck_builds),
            (7.5, parts.housekeeping.purge_finished_runs)]
        assert endpoint.started == parts.start_taking_over
        assert endpoint.draining == parts.stop
    finally:
        endpoint.draining()
        endpoint.closed()


def test_the_scheduler_and_compute_daemons_serve_the_built_managers(
        cloud_conf: cfg.ConfigOpts, transport: oslo_messaging.Transport,
        built: Built) -> None:
    scheduler = daemons.scheduler_endpoint(cloud_conf, transport)
    compute = daemons.compute_endpoint(cloud_conf, transport)
    try:
        assert built.schedulers == [scheduler.manager]
        [parts] = built.computes
        assert parts.host == 'test-host'
        assert isinstance(compute.manager, compute_manager.ComputeManager)
        assert compute.manager is parts.manager
        assert compute.started == parts.report_resources
        assert compute.periodic == [(compute_manager.report_interval(cloud_conf),
                                     parts.report_resources)]
    finally:
        scheduler.closed()


def test_the_embedded_cloud_is_built_by_the_same_builder(
        cloud_conf: cfg.ConfigOpts, transport: oslo_messaging.Transport,
        built: Built) -> None:
    daemon_conductor = daemons.conductor_endpoint(cloud_conf, transport)
    cloud = embedded.EmbeddedCloud(cloud_conf, hosts=['host-1', 'host-2'])
    try:
        [(daemon_clients, daemon_parts), (cloud_clients, cloud_parts)] = built.conductors
        assert (daemon_clients, cloud_clients) == ('http', 'local')
        assert cloud.conductor is cloud_parts
        assert type(cloud_parts.manager) is type(daemon_parts.manager)
        assert cloud_parts.housekeeping.settings == daemon_parts.housekeeping.settings
        assert cloud_parts.runner.jobs.settings == daemon_parts.runner.jobs.settings
        assert cloud.scheduler is built.schedulers[-1]
        assert [(c.host, c.manager) for c in built.computes] == [
            (c.host, c.manager) for c in cloud.compute_hosts]
        assert [c.host for c in cloud.compute_hosts] == ['host-1', 'host-2']
        # The embedded cloud runs the same periodic tasks as the daemons: each
        # host's resource report and the conductor's housekeeping.
        interval = compute_manager.report_interval(cloud_conf)
        assert cloud.periodic_tasks() == [
            (interval, built.computes[0].report_resources),
            (interval, built.computes[1].report_resources), *cloud_parts.periodic_tasks()]
        assert _intervals(cloud_parts.periodic_tasks()) == _intervals(daemon_conductor.periodic)
    finally:
        daemon_conductor.draining()
        daemon_conductor.closed()
        cloud.conductor.stop()
        cloud.stop()


def test_a_local_compute_image_client_needs_the_services(cloud_conf: cfg.ConfigOpts) -> None:
    with pytest.raises(ValueError, match='needs the services'):
        process.compute_image_client(cloud_conf, 'local')
    with pytest.raises(ValueError, match='service_clients must be one of'):
        process.compute_image_client(cloud_conf, 'carrier-pigeon')
