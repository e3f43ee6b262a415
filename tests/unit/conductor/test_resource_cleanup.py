"""The conductor's teardown and what it reports held, over fakes of the client Protocols."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from nova_lite.clients import payloads, protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.conductor import resource_cleanup

INSTANCE = '6f1c1e36-4b8e-4d0b-9d39-000000000001'
OTHER = '6f1c1e36-4b8e-4d0b-9d39-000000000002'


class FakeNetworks:
    """Ports in memory, as the network service keeps them."""

    def __init__(self, ports: list[payloads.Port]) -> None:
        self.ports = {port['id']: port for port in ports}
        self.deleted: list[str] = []

    def get_network(self, ctx: nl_context.RequestContext,
                    network_id: str) -> payloads.Network:
        return {'id': network_id, 'name': 'net'}

    def list_networks(self, ctx: nl_context.RequestContext) -> list[payloads.Network]:
        return []

    def get_port(self, ctx: nl_context.RequestContext, port_id: str) -> payloads.Port:
        return self.ports[port_id]

    def list_ports(self, ctx: nl_context.RequestContext,
                   **filters: Any) -> list[payloads.Port]:
        return [port for port in self.ports.values()
                if all(port.get(key) == value for key, value in filters.items())]

    def create_port(self, ctx: nl_context.RequestContext, **fields: Any) -> payloads.Port:
        raise AssertionError('teardown creates no port')

    def update_port(self, ctx: nl_context.RequestContext, port_id: str,
                    **changes: Any) -> payloads.Port:
        port = self.ports[port_id]
        port['device_id'] = changes['device_id']
        port['device_owner'] = changes['device_owner']
        port['binding:host_id'] = changes['binding_host_id']
        return port

    def delete_port(self, ctx: nl_context.RequestContext, port_id: str) -> None:
        self.deleted.append(port_id)
        del self.ports[port_id]


class FakeVolumes:
    """Attachments in memory; detaching one twice is not an error."""

    def __init__(self, attachments: list[payloads.Attachment]) -> None:
        self.attachments = {item['id']: item for item in attachments}

    def get_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> payloads.Volume:
        return {'id': volume_id}

    def reserve_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                       instance_id: str) -> payloads.Attachment:
        raise AssertionError('teardown reserves nothing')

    def attach_volume(self, ctx: nl_context.RequestContext, attachment_id: str, host: str,
                      mountpoint: str) -> payloads.ConnectionInfo:
        raise AssertionError('teardown attaches nothing')

    def detach_volume(self, ctx: nl_context.RequestContext, attachment_id: str) -> None:
        self.attachments.pop(attachment_id, None)

    def list_attachments(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[payloads.Attachment]:
        return [item for item in self.attachments.values()
                if all(item.get(key) == value for key, value in filters.items())]


class FakeScheduler:
    def __init__(self, claims: list[dict[str, Any]], *, fail: bool = False) -> None:
        self.claims = claims
        self.fail = fail

    def release_claim(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        if self.fail:
            raise exception.NovaLiteError('scheduler down')
        self.claims = [c for c in self.claims if c['instance_id'] != instance_id]

    def list_claims(self, ctx: nl_context.RequestContext,
                    instance_id: str | None = None) -> list[dict[str, Any]]:
        return [c for c in self.claims if instance_id in (None, c['instance_id'])]

    def get_host_usage(self, ctx: nl_context.RequestContext,
                       host: str | None = None) -> list[dict[str, Any]]:
        return [{'host': 'h1', 'vcpus_used': len(self.claims)}]


class FakeCompute:
    def __init__(self) -> None:
        self.destroyed: list[tuple[str, str]] = []

    def destroy_instance(self, ctx: nl_context.RequestContext, host: str, *,
                         instance_id: str) -> None:
        self.destroyed.append((host, instance_id))


def _port(port_id: str, device_id: str, owner: str = 'compute:nova') -> payloads.Port:
    return {'id': port_id, 'device_id': device_id, 'device_owner': owner,
            'network_id': 'net', 'binding:host_id': 'h1',
            'fixed_ips': [{'subnet_id': 's', 'ip_address': f'10.0.0.{len(port_id)}'}]}


@pytest.fixture
def services() -> Iterator[tuple[FakeNetworks, FakeVolumes, FakeScheduler, FakeCompute]]:
    networks = FakeNetworks([_port('made', INSTANCE), _port('users', INSTANCE),
                             _port('router', '', owner='network:router_interface'),
                             _port('others', OTHER)])
    volumes = FakeVolumes([{'id': 'a1', 'instance_id': INSTANCE, 'volume_id': 'v1'},
                           {'id': 'a2', 'instance_id': OTHER, 'volume_id': 'v2'}])
    scheduler = FakeScheduler([{'instance_id': INSTANCE, 'host': 'h1'},
                               {'instance_id': OTHER, 'host': 'h1'}])
    yield networks, volumes, scheduler, FakeCompute()


def _resources(networks: protocols.NetworkClient, volumes: protocols.VolumeClient,
               scheduler: resource_cleanup.SchedulerClaims,
               compute: Any) -> resource_cleanup.InstanceResources:
    return resource_cleanup.InstanceResources(networks, volumes, scheduler, compute)


def test_what_the_services_hold(services: Any) -> None:
    resources = _resources(*services)
    ctx = nl_context.get_admin_context()
    assert {p['id'] for p in resources.ports(ctx)} == {'made', 'users', 'others'}
    assert [p['id'] for p in resources.ports(ctx, INSTANCE)] == ['made', 'users']
    assert [a['id'] for a in resources.attachments(ctx)] == ['a1', 'a2']
    assert [a['id'] for a in resources.attachments(ctx, OTHER)] == ['a2']
    assert resources.claims(ctx, INSTANCE) == [{'instance_id': INSTANCE, 'host': 'h1'}]
    assert resources.host_usage(ctx) == [{'host': 'h1', 'vcpus_used': 2}]


def test_sweep_frees_only_the_instances_and_unbinds_the_users_port(services: Any) -> None:
    networks, volumes, scheduler, compute = services
    resources = _resources(*services)
    ctx = nl_context.get_admin_context()
    instance = {'id': INSTANCE, 'build_request': {'networks': [{'port': 'users'}]}}
    resources.sweep(ctx, instance, {'h1', 'h2'})
    assert networks.deleted == ['made']
    assert networks.ports['users']['device_id'] == ''
    assert set(networks.ports) == {'users', 'router', 'others'}
    assert list(volumes.attachments) == ['a2']
    assert scheduler.list_claims(ctx) == [{'instance_id': OTHER, 'host': 'h1'}]
    assert compute.destroyed == [('h1', INSTANCE), ('h2', INSTANCE)]
    resources.sweep(ctx, instance, set())  # again: nothing left, nothing fails
    assert networks.deleted == ['made']


def test_one_failing_part_does_not_stop_the_sweep(services: Any,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    networks, volumes, _scheduler, compute = services
    resources = _resources(networks, volumes, FakeScheduler([], fail=True), compute)
    resources.sweep(nl_context.get_admin_context(),
                    {'id': INSTANCE, 'build_request': {}}, set())
    assert 'Cleanup of resource claim' in caplog.text
    assert networks.deleted == ['made', 'users'] and list(volumes.attachments) == ['a2']
