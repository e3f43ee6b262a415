"""The conductor's RPC endpoint hands every request to the boot runner, over RPC too."""

from __future__ import annotations

import threading
import uuid
from typing import Any, cast

import oslo_messaging
import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import rpc
from nova_lite.conductor import manager as conductor_manager
from nova_lite.conductor import rpcapi as conductor_rpcapi


class FakeRunner:
    def __init__(self) -> None:
        self.calls: list[tuple[str, ...]] = []
        self.request_ids: list[nl_context.RequestIds | None] = []
        self.called = threading.Event()

    def submit_boot(self, instance_id: str, auth_token: str, *,
                    request_ids: nl_context.RequestIds | None = None) -> None:
        self.calls.append(('boot', instance_id, auth_token))
        self.request_ids.append(request_ids)
        self.called.set()

    def submit_delete(self, instance_id: str) -> None:
        self.calls.append(('delete', instance_id))
        self.called.set()

def _manager(runner: FakeRunner) -> conductor_manager.ConductorManager:
    return conductor_manager.ConductorManager(cast(Any, runner))

def test_build_and_delete_go_to_the_runner_with_the_users_token() -> None:
    runner = FakeRunner()
    manager = _manager(runner)
    ctx = nl_context.RequestContext(user_id='u', project_id='p', auth_token='tok')
    manager.build_instance(ctx, 'i-1')
    manager.build_instance(nl_context.get_admin_context(), 'i-2')
    manager.delete_instance(ctx, 'i-1')
    assert runner.calls == [('boot', 'i-1', 'tok'), ('boot', 'i-2', ''), ('delete', 'i-1')]

def test_the_endpoint_speaks_the_rpcapi_version() -> None:
    assert conductor_manager.ConductorManager.target.version == conductor_rpcapi.RPC_API_VERSION

@pytest.mark.parametrize('method', ['build_instance', 'delete_instance'])
def test_a_cast_from_the_rpcapi_reaches_the_runner(conf: cfg.ConfigOpts, method: str) -> None:
    rpc.register_opts(conf)
    conf.set_override('control_exchange', f'nova_lite_test_{uuid.uuid4().hex[:8]}')
    runner = FakeRunner()
    transport = rpc.get_transport(conf)

    server = rpc.get_server(transport, oslo_messaging.Target(topic=conductor_rpcapi.TOPIC,
                                                             server='c1'),
                            [_manager(runner)])
    server.start()
    try:
        ctx = nl_context.RequestContext(user_id='u', project_id='p', auth_token='tok',
                                        global_request_id=f'req-{uuid.uuid4()}')
        getattr(conductor_rpcapi.ConductorAPI(transport), method)(ctx, 'i-9')
        assert runner.called.wait(10)
    finally:
        server.stop()
        server.wait()
        transport.cleanup()
    expected = ('boot', 'i-9', 'tok') if method == 'build_instance' else ('delete', 'i-9')
    assert runner.calls == [expected]
    if method == 'build_instance':
        # The boot runs under the ids of the request that asked for it.
        assert runner.request_ids == [{'request_id': ctx.request_id,
                                       'global_request_id': ctx.global_request_id}]


class FakeActions:
    def __init__(self) -> None:
        self.submitted: list[tuple[Any, ...]] = []
        self.ran: list[tuple[Any, ...]] = []
        self.called = threading.Event()

    def submit(self, instance_id: str, action: str, host: str | None,
               action_request: dict[str, Any], auth_token: str | None = None) -> None:
        self.submitted.append((instance_id, action, host, action_request))
        self.called.set()

    def run_here(self, instance_id: str, action: str, action_request: dict[str, Any]) -> None:
        self.ran.append((instance_id, action, action_request))


def test_server_actions_reach_the_action_runner_over_rpc(conf: cfg.ConfigOpts) -> None:
    rpc.register_opts(conf)
    conf.set_override('control_exchange', f'nova_lite_test_{uuid.uuid4().hex[:8]}')
    actions = FakeActions()
    transport = rpc.get_transport(conf)
    endpoint = conductor_manager.ConductorManager(cast(Any, FakeRunner()), cast(Any, actions))
    server = rpc.get_server(transport, oslo_messaging.Target(topic=conductor_rpcapi.TOPIC,
                                                             server='c1'), [endpoint])
    server.start()
    try:
        api = conductor_rpcapi.ConductorAPI(transport)
        ctx = nl_context.get_admin_context()
        api.run_server_action(ctx, 'i-1', 'pause', 'host1', {'request_id': 'req-1'})
        assert actions.called.wait(10)
        api.run_record_action(ctx, 'i-1', 'lock', {'request_id': 'req-2'})  # a call: done
    finally:
        server.stop()
        server.wait()
        transport.cleanup()
    assert actions.submitted == [('i-1', 'pause', 'host1', {'request_id': 'req-1'})]
    assert actions.ran == [('i-1', 'lock', {'request_id': 'req-2'})]


def test_a_conductor_without_action_runner_refuses_actions() -> None:
    manager = _manager(FakeRunner())
    with pytest.raises(Exception, match='no server actions'):
        manager.run_server_action(nl_context.get_admin_context(), 'i-1', 'pause', 'h', {})


def test_an_rpcapi_capped_below_1_1_refuses_actions_before_sending(conf: cfg.ConfigOpts,
                                                                   monkeypatch) -> None:
    rpc.register_opts(conf)
    transport = rpc.get_transport(conf)
    api = conductor_rpcapi.ConductorAPI(transport)
    monkeypatch.setattr(api._client, 'can_send_version', lambda version: version == '1.0')
    with pytest.raises(Exception, match='needs RPC API 1.1'):
        api.run_server_action(nl_context.get_admin_context(), 'i-1', 'pause', 'h', {})
    with pytest.raises(Exception, match='needs RPC API 1.1'):
        api.run_record_action(nl_context.get_admin_context(), 'i-1', 'lock', {})
    transport.cleanup()
