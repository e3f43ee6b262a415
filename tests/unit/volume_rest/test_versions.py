"""Version documents, microversion negotiation, authentication, unknown routes."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.volume_rest.conftest import PUBLIC_URL, Client


def _check_version_list(body: dict[str, Any]) -> None:
    (version,) = body['versions']
    assert version['id'] == 'v3.0'
    assert version['status'] == 'CURRENT'
    assert version['version'] == '3.70'
    assert version['min_version'] == '3.0'
    assert version['updated']
    assert {'rel': 'self', 'href': f'{PUBLIC_URL}/v3/'} in version['links']
    assert version['media-types'][0]['base'] == 'application/json'


@pytest.mark.parametrize('path,status', [('/', 300), ('/v3', 200), ('/v3/', 200)])
def test_version_documents_need_no_token(app: Any, path: str, status: int) -> None:
    for token in (None, 'not-a-token'):
        response = Client(app, token, '').get(path, absolute=True)
        assert response.status_int == status
        _check_version_list(response.json)


def test_routes_need_a_valid_token(app: Any, admin: Client) -> None:
    for token in (None, 'not-a-token'):
        response = Client(app, token, admin.project_id).get('/volumes')
        assert response.status_int == 401
        assert response.json['unauthorized']['code'] == 401
        assert response.headers['WWW-Authenticate'].startswith('Keystone uri=')


@pytest.mark.parametrize('header,served', [
    (None, '3.0'), ('volume 3.0', '3.0'), ('volume latest', '3.70'), ('VOLUME 3.0', '3.0'),
    ('compute 2.1', '3.0'), ('compute 2.90, volume 3.27', '3.27'), ('volume 3.70', '3.70')])
def test_accepted_microversions_are_served(admin: Client, header: str | None,
                                           served: str) -> None:
    headers = {'OpenStack-API-Version': header} if header else {}
    response = admin.get('/volumes', headers=headers)
    assert response.status_int == 200
    assert response.headers['OpenStack-API-Version'] == f'volume {served}'
    assert 'OpenStack-API-Version' in response.headers['Vary']


@pytest.mark.parametrize('header,status', [('volume 3.71', 406), ('volume 2.0', 406),
                                           ('volume 4.0', 406), ('volume 3', 400),
                                           ('volume 3.x', 400), ('volume 03.0', 400)])
def test_other_microversions_are_refused(admin: Client, header: str, status: int) -> None:
    response = admin.get('/volumes', headers={'OpenStack-API-Version': header})
    assert response.status_int == status
    (fault,) = response.json.values()
    assert fault['code'] == status
    assert 'maximum is 3.70' in fault['message'] or 'OpenStack-API-Version' in fault['message']


def test_unknown_paths_are_404_and_wrong_methods_405(admin: Client) -> None:
    assert admin.get('/nothing-here').status_int == 404
    assert admin.get('/volumes/detail/extra').status_int == 404
    assert admin.get('', ).status_int == 404
    response = admin.request('PATCH', '/volumes')
    assert response.status_int == 405
    assert response.json['badMethod']['code'] == 405


def test_fixed_resources(admin: Client, env: Any) -> None:
    types = admin.get('/types')
    assert types.status_int == 200
    (volume_type,) = types.json['volume_types']
    assert volume_type['name'] == '__DEFAULT__'
    assert admin.get(f'/types/{volume_type["id"]}').json['volume_type'] == volume_type
    assert admin.get('/types/gold').status_int == 404
    zones = admin.get('/os-availability-zone')
    assert zones.json == {'availabilityZoneInfo': [
        {'zoneName': 'nova', 'zoneState': {'available': True}}]}
    assert admin.get('/snapshots').json == {'snapshots': []}
    assert admin.get('/snapshots/detail').json == {'snapshots': []}
    assert admin.get('/backups').json == {'backups': []}
    assert admin.get('/backups/detail').json == {'backups': []}
    absolute = admin.get('/limits').json['limits']['absolute']
    assert absolute['totalVolumesUsed'] == 1  # the env's volume
    assert absolute['totalGigabytesUsed'] == env.volumes[0]['size']
    assert absolute['maxTotalVolumes'] == -1  # conftest lifts the admin project's
    assert absolute['maxTotalBackups'] == 10  # [volume_quota] backups
