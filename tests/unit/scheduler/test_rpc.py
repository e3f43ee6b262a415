"""The scheduler over oslo.messaging: SchedulerAPI -> RPC server -> SchedulerManager."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import oslo_messaging
import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception, notifications, rpc
from nova_lite.db import api as db_api
from nova_lite.scheduler import manager, rpcapi
from tests.unit.scheduler.helpers import insert_instance, spec


@pytest.fixture
def scheduler_api(conf: cfg.ConfigOpts, db: db_api.Database) -> Iterator[rpcapi.SchedulerAPI]:
    rpc.register_opts(conf)
    # A private exchange: the in-memory broker is shared by every test of the process.
    conf.set_override('control_exchange', f'nova_lite_test_{uuid.uuid4().hex[:8]}')
    transport = rpc.get_transport(conf)
    target = oslo_messaging.Target(topic=rpcapi.TOPIC, server=conf.host)
    server = rpc.get_server(transport, target, [manager.SchedulerManager(conf, db)])
    server.start()
    try:
        yield rpcapi.SchedulerAPI(transport, timeout=10)
    finally:
        server.stop()
        server.wait()
        transport.cleanup()


def test_manager_and_client_share_the_version() -> None:
    assert manager.SchedulerManager.target.version == rpcapi.RPC_API_VERSION == '1.3'
    assert rpcapi.TOPIC == 'nova_lite-scheduler'


def test_round_trip(scheduler_api: rpcapi.SchedulerAPI, db: db_api.Database,
                    published: list[notifications.Notification]) -> None:
    ctx = nl_context.RequestContext(user_id='u', project_id='p', roles=['admin'])
    node = scheduler_api.update_compute_node(
        ctx, 'h1', {'vcpus': 2, 'memory_mb': 1024, 'local_gb': 10,
                    'cpu_allocation_ratio': 1.0, 'capabilities': {'architecture': 'x86_64'}})
    assert node['host'] == 'h1' and node['vcpus_used'] == 0
    instance_id = insert_instance(db)
    selection = scheduler_api.select_destinations(ctx, spec(instance_id))
    assert selection == {'host': 'h1', 'compute_node_id': node['id'],
                         'availability_zone': 'nova', 'alternates': []}
    # The scheduler's side of the call (the caller's, step 8, is the boot flow's).
    assert [type(n) for n in published] == [notifications.DestinationsRequested,
                                            notifications.HostsConsidered,
                                            notifications.HostChosen]
    usage = scheduler_api.get_host_usage(ctx, 'h1')
    assert (usage[0]['vcpus_used'], usage[0]['memory_mb_used']) == (1, 512)
    held = scheduler_api.list_claims(ctx, instance_id)
    assert [(c['instance_id'], c['host'], c['vcpus']) for c in held] == [(instance_id, 'h1', 1)]
    assert scheduler_api.list_claims(ctx) == held
    assert scheduler_api.release_claim(ctx, instance_id) is None
    assert scheduler_api.list_claims(ctx, instance_id) == []
    assert scheduler_api.get_host_usage(ctx)[0]['vcpus_used'] == 0


def test_errors_cross_the_wire_as_nova_lite_exceptions(
        scheduler_api: rpcapi.SchedulerAPI, db: db_api.Database) -> None:
    ctx = nl_context.get_admin_context()
    with pytest.raises(exception.NoValidHost, match='No compute hosts are registered'):
        scheduler_api.select_destinations(ctx, spec(insert_instance(db)))
    with pytest.raises(exception.InvalidInput) as caught:
        scheduler_api.update_compute_node(ctx, 'h1', {'vcpus': -1})
    assert caught.value.code == 400
