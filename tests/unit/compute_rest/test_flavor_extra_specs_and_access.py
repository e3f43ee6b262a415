"""Flavor extra specs (os-extra_specs) and flavor access (private flavors for projects)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.compute_rest.conftest import ComputeEnv
from tests.unit.compute_rest.test_flavors import osc_body


def _v(version: str) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {version}'}


def _flavor(compute: ComputeEnv, name: str, **changes: Any) -> dict[str, Any]:
    response = compute.admin.post('/flavors', osc_body(name, **changes))
    assert response.status_int == 200, response.text
    flavor: dict[str, Any] = response.json['flavor']
    return flavor


def test_extra_specs_set_show_update_delete(compute: ComputeEnv) -> None:
    flavor_id = _flavor(compute, 'specs')['id']
    path = f'/flavors/{flavor_id}/os-extra_specs'
    specs = {'hw:numa_nodes': '1', 'hw:cpu_policy': 'shared'}
    created = compute.admin.post(path, {'extra_specs': specs})
    assert created.status_int == 200 and created.json == {'extra_specs': specs}
    assert compute.member.get(path).json == {'extra_specs': specs}
    assert compute.member.get(f'{path}/hw:numa_nodes').json == {'hw:numa_nodes': '1'}
    updated = compute.admin.request('PUT', f'{path}/hw:numa_nodes', {'hw:numa_nodes': '2'})
    assert updated.status_int == 200 and updated.json == {'hw:numa_nodes': '2'}
    shown = compute.admin.get(f'/flavors/{flavor_id}', headers=_v('2.61')).json['flavor']
    assert shown['extra_specs'] == {'hw:numa_nodes': '2', 'hw:cpu_policy': 'shared'}
    assert 'extra_specs' not in compute.admin.get(f'/flavors/{flavor_id}',
                                                  headers=_v('2.60')).json['flavor']
    assert compute.admin.delete(f'{path}/hw:numa_nodes').status_int == 200
    assert compute.admin.get(f'{path}/hw:numa_nodes').status_int == 404
    assert compute.admin.delete(f'{path}/hw:numa_nodes').status_int == 404
    assert compute.admin.get(path).json == {'extra_specs': {'hw:cpu_policy': 'shared'}}
    # Numbers are stored as strings, as Nova does.
    assert compute.admin.post(path, {'extra_specs': {'quota:cpu_quota': 10}}).json == {
        'extra_specs': {'quota:cpu_quota': '10'}}


def test_extra_specs_errors_and_policy(compute: ComputeEnv) -> None:
    flavor_id = _flavor(compute, 'specs-errors')['id']
    path = f'/flavors/{flavor_id}/os-extra_specs'
    for client in (compute.member, compute.reader):
        assert client.post(path, {'extra_specs': {'a': 'b'}}).status_int == 403
        assert client.request('PUT', f'{path}/a', {'a': 'b'}).status_int == 403
        assert client.delete(f'{path}/a').status_int == 403
    assert compute.admin.post(path, {'extra_specs': {'bad/key': 'x'}}).status_int == 400
    assert compute.admin.post(path, {'extra_specs': {'k': 'x' * 256}}).status_int == 400
    assert compute.admin.post(path, {'extra_specs': {'k': ['list']}}).status_int == 400
    assert compute.admin.post(path, {'specs': {}}).status_int == 400
    assert compute.admin.request('PUT', f'{path}/a', {'b': '1'}).status_int == 400
    assert compute.admin.request('PUT', f'{path}/a', {'a': '1', 'b': '2'}).status_int == 400
    assert compute.admin.get('/flavors/nope/os-extra_specs').status_int == 404
    assert compute.admin.post('/flavors/nope/os-extra_specs',
                              {'extra_specs': {'a': 'b'}}).status_int == 404


@pytest.mark.parametrize('specs,status_286', [
    ({'hw:cpu_policy': 'shared', 'foo:bar': 'baz'}, 200),   # custom namespaces are free
    ({'hw:cpu_policy': 'sometimes'}, 400),
    ({'hw:numa_nodes': 'zero'}, 400),
    ({'trait:HW_CPU_X86_AVX': 'wanted'}, 400),
    ({'hw_rng:no_such_key': '1'}, 400),
    ({'resources:VCPU': '2'}, 200),
])
def test_extra_specs_validation_from_2_86(compute: ComputeEnv, specs: dict[str, str],
                                          status_286: int) -> None:
    flavor_id = _flavor(compute, f'validated-{abs(hash(str(specs)))}')['id']
    path = f'/flavors/{flavor_id}/os-extra_specs'
    body = {'extra_specs': specs}
    assert compute.admin.post(path, body, headers=_v('2.85')).status_int == 200
    assert compute.admin.post(path, body, headers=_v('2.86')).status_int == status_286


def test_flavor_access_grants_a_private_flavor(compute: ComputeEnv) -> None:
    flavor_id = _flavor(compute, 'granted', **{'os-flavor-access:is_public': 'False'})['id']
    project = compute.other_project
    action = f'/flavors/{flavor_id}/action'
    assert compute.member.get(f'/flavors/{flavor_id}').status_int == 404
    added = compute.admin.post(action, {'addTenantAccess': {'tenant': project}})
    assert added.status_int == 200
    assert added.json == {'flavor_access': [{'flavor_id': flavor_id, 'tenant_id': project}]}
    assert compute.admin.get(f'/flavors/{flavor_id}/os-flavor-access').json == added.json
    # The granted project sees, lists and may boot it.
    assert compute.member.get(f'/flavors/{flavor_id}').status_int == 200
    assert flavor_id in {f['id'] for f in compute.member.get('/flavors').json['flavors']}
    assert compute.admin.post(action, {'addTenantAccess': {'tenant': project}}
                              ).status_int == 409
    assert compute.member.post(action, {'removeTenantAccess': {'tenant': project}}
                               ).status_int == 403
    removed = compute.admin.post(action, {'removeTenantAccess': {'tenant': project}})
    assert removed.status_int == 200 and removed.json == {'flavor_access': []}
    assert compute.admin.post(action, {'removeTenantAccess': {'tenant': project}}
                              ).status_int == 404
    assert compute.member.get(f'/flavors/{flavor_id}').status_int == 404
    assert compute.admin.post('/flavors/nope/action',
                              {'addTenantAccess': {'tenant': project}}).status_int == 404
    assert compute.admin.post(action, {'grant': {'tenant': project}}).status_int == 400


def test_public_flavors_have_no_access_list(compute: ComputeEnv) -> None:
    flavor_id = _flavor(compute, 'everyones')['id']
    assert compute.admin.get(f'/flavors/{flavor_id}/os-flavor-access').status_int == 404
    response = compute.admin.post(f'/flavors/{flavor_id}/action',
                                  {'addTenantAccess': {'tenant': compute.other_project}})
    assert response.status_int == 409


def test_boot_with_a_private_flavor_without_access_is_a_400(compute: ComputeEnv) -> None:
    flavor_id = _flavor(compute, 'not-yours', **{'os-flavor-access:is_public': False})['id']
    body = compute.server_body('private-boot')
    body['flavorRef'] = flavor_id
    response = compute.member.post('/servers', {'server': body})
    assert response.status_int == 400, response.text
    assert 'flavorRef' in response.text
