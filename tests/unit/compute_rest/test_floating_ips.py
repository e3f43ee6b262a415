"""``/os-floating-ips``, ``/os-floating-ip-pools`` and the addFloatingIp and
removeFloatingIp server actions, through the network service's floating IPs."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import text
from tests.unit.compute_rest.conftest import ComputeEnv


def _at(version: tuple[int, int]) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {text(version)}'}


@pytest.fixture(scope='module')
def public(compute: ComputeEnv) -> dict[str, Any]:
    """``public`` (external) and a router from the servers' network to it."""
    networks, ctx = compute.cloud.services.networks, compute.env.ctx
    public = networks.create_network(ctx, name='public', router_external=True)
    networks.create_subnet(ctx, network_id=public['id'], cidr='172.24.4.0/24')
    router = networks.create_router(ctx, name='router1',
                                    external_gateway_info={'network_id': public['id']})
    networks.add_router_interface(ctx, router['id'], subnet_id=compute.env.subnet['id'])
    return public


def _floating(compute: ComputeEnv) -> list[dict[str, Any]]:
    return list(compute.admin.get('/os-floating-ips').json['floating_ips'])


def test_pools_allocate_show_release(compute: ComputeEnv, public: dict[str, Any]) -> None:
    assert compute.admin.get('/os-floating-ip-pools').json == {
        'floating_ip_pools': [{'name': 'public'}]}
    response = compute.admin.post('/os-floating-ips', {'pool': 'public'})
    assert response.status_int == 200, response.text
    fip = response.json['floating_ip']
    assert set(fip) == {'id', 'ip', 'fixed_ip', 'instance_id', 'pool'}
    assert fip['pool'] == 'public' and fip['ip'].startswith('172.24.4.')
    assert fip['fixed_ip'] is None and fip['instance_id'] is None
    assert compute.admin.get(f"/os-floating-ips/{fip['id']}").json['floating_ip'] == fip
    assert fip in _floating(compute)
    # By the network's id too (Tempest names the pool so); an unknown pool is a 404.
    by_id = compute.admin.post('/os-floating-ips', {'pool': public['id']})
    assert by_id.status_int == 200
    assert compute.admin.post('/os-floating-ips', {'pool': 'nope'}).status_int == 404
    for made in (fip, by_id.json['floating_ip']):
        assert compute.admin.delete(f"/os-floating-ips/{made['id']}").status_int == 202
        assert compute.admin.get(f"/os-floating-ips/{made['id']}").status_int == 404
    assert compute.admin.delete(f"/os-floating-ips/{fip['id']}").status_int == 404


def test_add_remove_floating_ip_and_server_delete(compute: ComputeEnv,
                                                  public: dict[str, Any]) -> None:
    server = compute.boot('with-fip', with_volume=False)
    fip = compute.admin.post('/os-floating-ips', {'pool': 'public'}).json['floating_ip']
    add = compute.admin.action(server['id'], {'addFloatingIp': {'address': fip['ip']}})
    assert add.status_int == 202, add.text
    shown = compute.admin.get(f"/os-floating-ips/{fip['id']}").json['floating_ip']
    assert shown['instance_id'] == server['id'] and shown['fixed_ip']
    addresses = compute.admin.get(f"/servers/{server['id']}").json['server']['addresses']
    entries = [entry for network in addresses.values() for entry in network]
    assert {(e['addr'], e['OS-EXT-IPS:type']) for e in entries} == {
        (shown['fixed_ip'], 'fixed'), (fip['ip'], 'floating')}
    # A second floating IP for the same fixed IP is a 400; unknown addresses 404.
    second = compute.admin.post('/os-floating-ips', {'pool': 'public'}).json['floating_ip']
    assert compute.admin.action(server['id'], {'addFloatingIp': {
        'address': second['ip']}}).status_int == 400
    assert compute.admin.action(server['id'], {'addFloatingIp': {
        'address': '0.0.0.0'}}).status_int == 404
    assert compute.admin.action(server['id'], {'addFloatingIp': {
        'address': ''}}).status_int == 400
    remove = compute.admin.action(server['id'], {'removeFloatingIp': {'address': fip['ip']}})
    assert remove.status_int == 202
    assert compute.admin.action(server['id'], {'removeFloatingIp': {
        'address': fip['ip']}}).status_int == 409
    addresses = compute.admin.get(f"/servers/{server['id']}").json['server']['addresses']
    assert all(e['OS-EXT-IPS:type'] == 'fixed' for n in addresses.values() for e in n)
    # Deleting the server leaves its floating IP allocated and disassociated.
    assert compute.admin.action(server['id'], {'addFloatingIp': {
        'address': fip['ip']}}).status_int == 202
    assert compute.admin.delete(f"/servers/{server['id']}").status_int == 204
    compute.wait_gone(server['id'])
    after = compute.admin.get(f"/os-floating-ips/{fip['id']}").json['floating_ip']
    assert (after['instance_id'], after['fixed_ip']) == (None, None)
    for made in (fip, second):
        assert compute.admin.delete(f"/os-floating-ips/{made['id']}").status_int == 202


def test_proxy_gone_at_2_36_and_actions_at_2_44(compute: ComputeEnv,
                                                public: dict[str, Any]) -> None:
    for path in ('/os-floating-ips', '/os-floating-ip-pools'):
        below = compute.admin.get(path, headers=_at((2, 35)))
        assert below.status_int == 200
        assert compute.admin.get(path, headers=_at(changes.PROXY_APIS_REMOVED)
                                 ).status_int == 404
    server = compute.boot('versioned-fip', with_volume=False)
    fip = compute.admin.post('/os-floating-ips', {'pool': 'public'}).json['floating_ip']
    body = {'addFloatingIp': {'address': fip['ip']}}
    gone = compute.admin.post(f"/servers/{server['id']}/action", body,
                              headers=_at(changes.FLOATING_IP_ACTIONS_GONE))
    assert gone.status_int == 404
    below = compute.admin.post(f"/servers/{server['id']}/action", body,
                               headers=_at((2, 43)))
    assert below.status_int == 202
    # The member of another project neither sees nor changes the admin's address.
    assert compute.member.get(f"/os-floating-ips/{fip['id']}").status_int == 404
    assert compute.member.get('/os-floating-ips').json['floating_ips'] == []
    compute.admin.delete(f"/servers/{server['id']}")
    compute.wait_gone(server['id'])
    assert compute.admin.delete(f"/os-floating-ips/{fip['id']}").status_int == 202


def _types(compute: ComputeEnv, server_id: str) -> dict[str, str]:
    addresses = compute.admin.get(f'/servers/{server_id}').json['server']['addresses']
    return {e['addr']: e['OS-EXT-IPS:type'] for n in addresses.values() for e in n}


def test_an_address_moved_to_another_server_leaves_the_first(compute: ComputeEnv,
                                                             public: dict[str, Any]) -> None:
    first = compute.boot('fip-first', with_volume=False)
    second = compute.boot('fip-second', with_volume=False)
    fip = compute.admin.post('/os-floating-ips', {'pool': 'public'}).json['floating_ip']
    for server in (first, second):
        assert compute.admin.action(server['id'], {'addFloatingIp': {
            'address': fip['ip']}}).status_int == 202
    assert fip['ip'] not in _types(compute, first['id'])
    assert _types(compute, second['id'])[fip['ip']] == 'floating'
    # Not on the first server any more: removing it there is a 409.
    assert compute.admin.action(first['id'], {'removeFloatingIp': {
        'address': fip['ip']}}).status_int == 409
    for server in (first, second):
        compute.admin.delete(f"/servers/{server['id']}")
        compute.wait_gone(server['id'])
    assert compute.admin.delete(f"/os-floating-ips/{fip['id']}").status_int == 202


def test_network_over_quota_is_novas_403(compute: ComputeEnv, public: dict[str, Any]) -> None:
    quotas, project = compute.cloud.services.networks.quotas, compute.env.ctx.project_id
    assert project is not None
    quotas.update(project, {'floatingip': 0})
    try:
        response = compute.admin.post('/os-floating-ips', {'pool': 'public'})
        assert response.status_int == 403, response.text
        assert 'IP allocation over quota in pool public.' in response.text
    finally:
        quotas.delete(project)
