"""shelve, shelveOffload and unshelve through POST /servers/{id}/action on the embedded
cloud (fake driver): the states they move through and end in, the '<name>-shelved'
image, the host given back and taken again, their refusals and microversion bodies."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from nova_lite.api import auth as api_auth
from nova_lite.compute import rest
from tests.unit.compute_rest.conftest import PUBLIC_URL, Client, ComputeEnv

V277 = {'OpenStack-API-Version': 'compute 2.77'}
V291 = {'OpenStack-API-Version': 'compute 2.91'}


def _shelved_images(compute: ComputeEnv, name: str) -> list[dict[str, Any]]:
    return [image for image in compute.cloud.services.images.list_images(compute.env.ctx)
            if image['name'] == f'{name}-shelved']


def _wait_no_image(compute: ComputeEnv, name: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while _shelved_images(compute, name):
        assert time.monotonic() < deadline, f'{name}-shelved still there'
        time.sleep(0.02)


@pytest.fixture(scope='module')
def project_member(compute: ComputeEnv) -> Client:
    """A member (not an admin) of the project the admin client boots in."""
    identity = compute.cloud.services.identity
    roles = {role['name']: role['id'] for role in identity.list_roles()}
    return compute._user(identity, 'shelve-member', compute.env.ctx.project_id,
                         roles['member'])


@pytest.fixture
def never_offloading(compute: ComputeEnv) -> Iterator[Client]:
    """An admin client of a compute API whose shelve never offloads (-1)."""
    conf = compute.cloud.conf
    conf.set_override('shelved_offload_time', -1)
    services = compute.cloud.services
    app = rest.make_app(conf, services, lambda app: api_auth.LocalTokenAuth(
        app, services.identity.validate_token), PUBLIC_URL)
    try:
        yield Client(app, compute.env.token)
    finally:
        conf.clear_override('shelved_offload_time')


def test_shelve_offloads_at_once_and_unshelve_brings_it_back(compute: ComputeEnv) -> None:
    server_id = compute.boot('shelve-me', with_volume=False)['id']
    claims_before = compute.cloud.services.scheduler_rpcapi.list_claims(
        compute.env.ctx, instance_id=server_id)
    assert claims_before
    response = compute.admin.action(server_id, {'shelve': None})
    assert response.status_int == 202, response.text
    server = compute.wait(server_id, status='SHELVED_OFFLOADED')
    assert server['OS-EXT-STS:vm_state'] == 'shelved_offloaded'
    assert server['OS-EXT-SRV-ATTR:host'] is None
    assert compute.cloud.services.scheduler_rpcapi.list_claims(
        compute.env.ctx, instance_id=server_id) == []  # the host's resources released
    [host] = compute.cloud.compute_hosts
    assert server_id not in host.manager.driver.list_instance_ids()
    [image] = _shelved_images(compute, 'shelve-me')
    assert image['status'] == 'active' and image['size'] > 0
    instance = compute.cloud.instances.get(server_id)
    assert instance['build_request']['shelved_image_id'] == image['id']

    response = compute.admin.action(server_id, {'unshelve': None})
    assert response.status_int == 202, response.text
    server = compute.wait(server_id, status='ACTIVE')
    assert server['OS-EXT-SRV-ATTR:host'] == 'host1'
    assert server_id in host.manager.driver.list_instance_ids()
    assert compute.cloud.services.scheduler_rpcapi.list_claims(
        compute.env.ctx, instance_id=server_id)
    _wait_no_image(compute, 'shelve-me')
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    assert [a['action'] for a in actions['instanceActions']] == ['unshelve', 'shelve',
                                                                  'create']


def test_shelve_without_offload_then_shelve_offload(compute: ComputeEnv,
                                                    never_offloading: Client,
                                                    project_member: Client) -> None:
    server_id = compute.boot('shelve-keep', with_volume=False)['id']
    assert never_offloading.action(server_id, {'shelve': {}}).status_int == 202
    server = compute.wait(server_id, status='SHELVED')
    assert server['OS-EXT-SRV-ATTR:host'] == 'host1'
    assert server['OS-EXT-STS:power_state'] == 4  # shut down on its host
    # Only an offloaded server takes a zone (2.77).
    refused = compute.admin.request('POST', f'/servers/{server_id}/action',
                                    {'unshelve': {'availability_zone': 'nova'}},
                                    headers=V277)
    assert refused.status_int == 409, refused.text
    # shelveOffload is an admin's.
    refused = project_member.action(server_id, {'shelveOffload': None})
    assert refused.status_int == 403, refused.text
    assert compute.admin.action(server_id, {'shelveOffload': None}).status_int == 202
    compute.wait(server_id, status='SHELVED_OFFLOADED')
    response = compute.admin.request('POST', f'/servers/{server_id}/action',
                                     {'unshelve': {'availability_zone': 'nova'}},
                                     headers=V277)
    assert response.status_int == 202, response.text
    assert compute.wait(server_id)['OS-EXT-AZ:availability_zone'] == 'nova'
    _wait_no_image(compute, 'shelve-keep')


def test_unshelve_of_a_shelved_server_powers_it_on(compute: ComputeEnv,
                                                   never_offloading: Client) -> None:
    server_id = compute.boot('shelve-on', with_volume=False)['id']
    assert never_offloading.action(server_id, {'shelve': None}).status_int == 202
    compute.wait(server_id, status='SHELVED')
    assert compute.admin.action(server_id, {'unshelve': None}).status_int == 202
    assert compute.wait(server_id)['OS-EXT-STS:power_state'] == 1
    _wait_no_image(compute, 'shelve-on')


def test_wrong_states_are_409_and_unknown_servers_404(compute: ComputeEnv) -> None:
    server_id = compute.boot('shelve-states', with_volume=False)['id']
    for body in ({'unshelve': None}, {'shelveOffload': None}):
        refused = compute.admin.action(server_id, body)
        assert refused.status_int == 409, refused.text
    assert compute.admin.action(server_id, {'shelve': None}).status_int == 202
    compute.wait(server_id, status='SHELVED_OFFLOADED')
    for body in ({'shelve': None}, {'shelveOffload': None}, {'os-start': None}):
        refused = compute.admin.action(server_id, body)
        assert refused.status_int == 409, (body, refused.text)
    missing = '8c7c9b4e-3cf5-4a86-a5a4-0a0f3c8d0000'
    for body in ({'shelve': None}, {'unshelve': None}, {'shelveOffload': None}):
        assert compute.admin.action(missing, body).status_int == 404
    # A shelved server is deleted with its image.
    assert _shelved_images(compute, 'shelve-states')
    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204
    compute.wait_gone(server_id)
    assert _shelved_images(compute, 'shelve-states') == []


@pytest.mark.parametrize('body,headers,field', [
    ({'unshelve': {'availability_zone': 'nova'}}, {}, 'unshelve'),  # below 2.77
    ({'unshelve': {'host': 'host1'}}, V277, 'unshelve.host'),  # below 2.91
    ({'unshelve': {'availability_zone': None}}, V277, 'unshelve.availability_zone'),
    ({'unshelve': {'availability_zone': ''}}, V291, 'availability_zone'),
    ({'unshelve': {'zone': 'nova'}}, V291, 'zone'),
    ({'shelve': {'x': 1}}, {}, 'shelve'),
])
def test_bad_unshelve_bodies(compute: ComputeEnv, body: dict[str, Any],
                             headers: dict[str, str], field: str) -> None:
    """UNSHELVE_AVAILABILITY_ZONE (2.77) and UNSHELVE_HOST (2.91): each field needs its
    version; refused before the server is looked at further."""
    server_id = compute.boot('shelve-bodies', with_volume=False)['id']
    response = compute.admin.request('POST', f'/servers/{server_id}/action', body,
                                      headers=headers)
    assert response.status_int == 400, response.text
    assert field in response.text


def test_unshelve_to_a_host_is_an_admins_at_2_91(compute: ComputeEnv,
                                                 project_member: Client) -> None:
    """UNSHELVE_HOST: an admin names the host (and may unpin the zone with null);
    a project member shelves and could unshelve, but not to a host."""
    member = project_member
    server_id = compute.boot('shelve-host', with_volume=False)['id']
    assert member.action(server_id, {'shelve': None}).status_int == 202
    compute.wait(server_id, status='SHELVED_OFFLOADED')
    refused = member.request('POST', f'/servers/{server_id}/action',
                                     {'unshelve': {'host': 'host1'}}, headers=V291)
    assert refused.status_int == 403, refused.text
    response = compute.admin.request('POST', f'/servers/{server_id}/action',
                                     {'unshelve': {'host': 'host1',
                                                   'availability_zone': None}},
                                     headers=V291)
    assert response.status_int == 202, response.text
    assert compute.wait(server_id)['OS-EXT-SRV-ATTR:host'] == 'host1'
