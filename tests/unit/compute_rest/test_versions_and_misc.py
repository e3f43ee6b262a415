"""Version documents, microversion headers, auth errors and the small endpoints."""

from __future__ import annotations

import pytest

from tests.unit.compute_rest.conftest import PUBLIC_URL, ComputeEnv


@pytest.mark.parametrize('path', ['/v2.1', '/v2.1/'])
def test_version_document_without_token(compute: ComputeEnv, path: str) -> None:
    response = compute.anonymous.get(path, absolute=True)
    assert response.status_int == 200
    version = response.json['version']
    assert version['id'] == 'v2.1' and version['status'] == 'CURRENT'
    assert version['version'] == '2.104' and version['min_version'] == '2.1'
    assert version['updated']
    assert {'rel': 'self', 'href': f'{PUBLIC_URL}/v2.1/'} in version['links']
    assert version['media-types'][0]['base'] == 'application/json'
    assert response.headers['OpenStack-API-Version'] == 'compute 2.1'
    assert response.headers['X-OpenStack-Nova-API-Version'] == '2.1'
    assert 'OpenStack-API-Version' in response.headers['Vary']


def test_root_lists_versions(compute: ComputeEnv) -> None:
    [legacy, version] = compute.anonymous.get('/', absolute=True).json['versions']
    assert version['id'] == 'v2.1'
    assert version['links'][0]['href'] == f'{PUBLIC_URL}/v2.1/'
    # v2.0 first, as Nova lists it; its self link answers its version document.
    assert legacy['id'] == 'v2.0' and legacy['status'] == 'SUPPORTED'
    assert legacy['links'][0]['href'] == f'{PUBLIC_URL}/v2/'
    for path in ('/v2', '/v2/'):
        shown = compute.admin.get(path, absolute=True).json['version']
        assert shown['id'] == 'v2.0' and shown['links'][0]['href'] == f'{PUBLIC_URL}/v2/'


@pytest.mark.parametrize('headers,status,answered', [
    ({}, 200, '2.1'),
    ({'OpenStack-API-Version': 'compute 2.1'}, 200, '2.1'),
    ({'OpenStack-API-Version': 'compute latest'}, 200, '2.104'),
    ({'OpenStack-API-Version': 'volume 3.70, compute 2.47'}, 200, '2.47'),
    ({'OpenStack-API-Version': 'volume 3.70'}, 200, '2.1'),
    ({'X-OpenStack-Nova-API-Version': '2.1'}, 200, '2.1'),
    ({'X-OpenStack-Nova-API-Version': 'latest'}, 200, '2.104'),
    ({'X-OpenStack-Nova-API-Version': '2.60'}, 200, '2.60'),
    ({'OpenStack-API-Version': 'compute 2.95',
      'X-OpenStack-Nova-API-Version': '2.3'}, 200, '2.95'),
    ({'OpenStack-API-Version': 'compute 2.100'}, 200, '2.100'),
    ({'OpenStack-API-Version': 'compute 2.104'}, 200, '2.104'),
    ({'OpenStack-API-Version': 'compute 2.105'}, 406, '2.1'),
    ({'X-OpenStack-Nova-API-Version': '3.0'}, 406, '2.1'),
    ({'OpenStack-API-Version': 'compute 2.0'}, 406, '2.1'),
    ({'OpenStack-API-Version': 'compute 1.1'}, 406, '2.1'),
    ({'OpenStack-API-Version': 'compute two'}, 400, '2.1'),
    ({'X-OpenStack-Nova-API-Version': '2.05'}, 400, '2.1'),
    ({'X-OpenStack-Nova-API-Version': '2'}, 400, '2.1'),
])
def test_microversions(compute: ComputeEnv, headers: dict[str, str], status: int,
                       answered: str) -> None:
    response = compute.admin.get('/flavors', headers=headers)
    assert response.status_int == status, response.text
    assert response.headers['OpenStack-API-Version'] == f'compute {answered}'
    assert response.headers['X-OpenStack-Nova-API-Version'] == answered
    assert 'X-OpenStack-Nova-API-Version' in response.headers['Vary']
    if status == 406:
        assert 'is not supported by the API. Minimum is 2.1 and maximum is 2.104.' in (
            response.text)
    if status == 400:
        assert 'Must be of format MajorNum.MinorNum' in response.text


def test_token_required(compute: ComputeEnv) -> None:
    response = compute.anonymous.get('/servers')
    assert response.status_int == 401
    assert 'WWW-Authenticate' in response.headers
    assert response.json['unauthorized']['code'] == 401
    bad = compute.admin.get('/servers', headers={'X-Auth-Token': 'not-a-token'})
    assert bad.status_int == 401


def test_unknown_paths_and_methods(compute: ComputeEnv) -> None:
    assert compute.admin.get('/nothing-here').status_int == 404
    assert compute.admin.request('PUT', '/servers').status_int == 405
    assert compute.admin.request('PATCH', '/flavors/small').status_int == 405


def test_small_endpoints(compute: ComputeEnv) -> None:
    zones = compute.member.get('/os-availability-zone').json['availabilityZoneInfo']
    assert zones == [{'zoneName': 'nova', 'zoneState': {'available': True}, 'hosts': None}]
    assert compute.member.get('/os-keypairs').json == {'keypairs': []}
    assert compute.member.get('/os-keypairs/k').status_int == 404
    extensions = compute.member.get('/extensions').json['extensions']
    assert {'Hosts', 'Keypairs', 'ServerGroups'} <= {e['name'] for e in extensions}
    shown = compute.member.get('/extensions/os-consoles').json['extension']
    assert shown['alias'] == 'os-consoles' and shown['name'] == 'Consoles'
    assert compute.member.get('/extensions/os-nothing').status_int == 404

    compute.boot('counted', with_volume=False)
    absolute = compute.admin.get('/limits').json['limits']['absolute']
    assert absolute['maxTotalInstances'] == -1 and absolute['maxTotalCores'] == -1
    assert absolute['maxTotalKeypairs'] == 100 and absolute['maxServerMeta'] == 128
    assert absolute['totalInstancesUsed'] == 1
    assert absolute['totalCoresUsed'] == compute.env.flavor['vcpus']
    assert absolute['totalRAMUsed'] == compute.env.flavor['memory_mb']
    assert compute.member.get('/limits').json['limits']['absolute']['totalInstancesUsed'] == 0


def test_hypervisors_for_admins(compute: ComputeEnv) -> None:
    [hypervisor] = compute.admin.get('/os-hypervisors').json['hypervisors']
    assert hypervisor['hypervisor_hostname'] and hypervisor['state'] == 'up'
    assert hypervisor['status'] == 'enabled'
    [detail] = compute.admin.get('/os-hypervisors/detail').json['hypervisors']
    assert detail['vcpus'] > 0 and detail['service']['host'] == 'host1'
    assert compute.member.get('/os-hypervisors').status_int == 403
    assert compute.reader.get('/os-hypervisors').status_int == 403
