"""GET /servers and /servers/detail filters and sorting, as nova reads them."""

from __future__ import annotations

import time
import urllib.parse
from typing import Any

import pytest

from tests.unit.compute_rest.conftest import Client, ComputeEnv


@pytest.fixture(scope='module')
def servers(compute: ComputeEnv) -> dict[str, dict[str, Any]]:
    """Three servers of the admin's project (one stopped) and one of another project."""
    booted = {name: compute.boot(name, with_volume=False, accessIPv4=ip)
              for name, ip in (('alpha', '192.0.2.3'), ('beta', '192.0.2.1'),
                               ('gamma', '192.0.2.2'))}
    compute.admin.action(booted['gamma']['id'], {'os-stop': None})
    booted['gamma'] = compute.wait(booted['gamma']['id'], status='SHUTOFF')
    other = compute.member.post('/servers', {'server': compute.server_body(
        'delta', with_volume=False, networks='none')})
    assert other.status_int == 202, other.text
    booted['delta'] = compute.wait(other.json['server']['id'], client=compute.member)
    return booted


def _names(client: Client, query: str, *, detail: bool = False,
           version: str = '2.1') -> list[str]:
    path = '/servers/detail' if detail else '/servers'
    response = client.get(f'{path}?{query}',
                          headers={'OpenStack-API-Version': f'compute {version}'})
    assert response.status_int == 200, response.text
    return [server['name'] for server in response.json['servers']]


def _status(client: Client, query: str, version: str = '2.1') -> tuple[int, str]:
    response = client.get(f'/servers?{query}',
                          headers={'OpenStack-API-Version': f'compute {version}'})
    return response.status_int, response.text


def test_image_flavor_and_missing_ones(compute: ComputeEnv,
                                       servers: dict[str, dict[str, Any]]) -> None:
    env = compute.env
    assert sorted(_names(compute.admin, f'image={env.image["id"]}')) == [
        'alpha', 'beta', 'gamma']
    image_url = f'http://127.0.0.1:9292/images/{env.image["id"]}'
    assert len(_names(compute.admin, urllib.parse.urlencode({'image': image_url}),
                      detail=True)) == 3
    assert len(_names(compute.admin, f'flavor={env.flavor["id"]}')) == 3
    assert _names(compute.admin, 'flavor=no-such-flavor') == []
    assert _names(compute.admin, 'image=0a8b9e3c-1d7f-4a51-9a43-3a1f0c2b6d11') == []


def test_name_status_ip(compute: ComputeEnv, servers: dict[str, dict[str, Any]]) -> None:
    assert sorted(_names(compute.admin, 'name=^[ab]')) == ['alpha', 'beta']
    assert _names(compute.admin, 'status=shutoff') == ['gamma']
    assert sorted(_names(compute.admin, 'status=SHUTOFF&status=ACTIVE')) == [
        'alpha', 'beta', 'gamma']
    [address] = servers['beta']['addresses']['net']
    assert _names(compute.admin, f'ip={address["addr"]}$') == ['beta']
    prefix = address['addr'].rsplit('.', 1)[0]
    assert len(_names(compute.admin, f'ip={prefix}')) == 3
    assert _names(compute.admin, 'ip=^172\\.') == []
    assert _status(compute.admin, 'ip=[')[0] == 400


def test_sorting(compute: ComputeEnv, servers: dict[str, dict[str, Any]]) -> None:
    assert _names(compute.admin, 'sort_key=display_name&sort_dir=asc') == [
        'alpha', 'beta', 'gamma']
    assert _names(compute.admin, 'sort_key=display_name') == ['gamma', 'beta', 'alpha']
    assert _names(compute.admin, 'sort_key=access_ip_v4&sort_dir=asc') == [
        'beta', 'gamma', 'alpha']
    assert _names(compute.admin, 'sort_key=vm_state&sort_dir=asc'
                                 '&sort_key=display_name&sort_dir=desc') == [
        'beta', 'alpha', 'gamma']
    status, text = _status(compute.admin, 'sort_key=colour')
    assert status == 400 and 'sort_key' in text
    status, text = _status(compute.admin, 'sort_key=display_name&sort_dir=up')
    assert status == 400 and 'sort_dir' in text
    status, text = _status(compute.admin, 'sort_dir=asc')
    assert status == 400 and 'sort_dir' in text
    assert _status(compute.reader, 'sort_key=host')[0] == 403
    assert _status(compute.admin, 'sort_key=host')[0] == 200


def test_paging_a_sorted_filtered_list(compute: ComputeEnv,
                                       servers: dict[str, dict[str, Any]]) -> None:
    first = compute.admin.get('/servers?sort_key=display_name&sort_dir=asc&limit=2')
    assert [s['name'] for s in first.json['servers']] == ['alpha', 'beta']
    href = first.json['servers_links'][0]['href']
    assert 'sort_key=display_name' in href
    rest = compute.admin.get(href.split('/v2.1', 1)[1])
    assert [s['name'] for s in rest.json['servers']] == ['gamma']
    assert _status(compute.admin, 'sort_key=display_name&marker=nope')[0] == 400


def test_admin_filters_and_projects(compute: ComputeEnv,
                                    servers: dict[str, dict[str, Any]]) -> None:
    assert len(_names(compute.admin, 'host=host1')) == 3
    assert _names(compute.admin, 'host=elsewhere') == []
    # A non-admin's host filter is ignored, as nova does below 2.75.
    assert len(_names(compute.reader, 'host=elsewhere')) == 3
    everyone = _names(compute.admin, 'all_tenants=1')
    assert 'delta' in everyone and 'alpha' in everyone
    other_project = compute.other_project
    assert _names(compute.admin, f'all_tenants=1&project_id={other_project}') == ['delta']
    assert _names(compute.admin, f'all_tenants=1&tenant_id={other_project}') == ['delta']
    assert 'delta' not in _names(compute.admin, f'project_id={other_project}')
    assert _status(compute.member, 'all_tenants=1')[0] == 403
    assert _names(compute.member, '') == ['delta']


def test_changes_since_and_reservation(compute: ComputeEnv,
                                       servers: dict[str, dict[str, Any]]) -> None:
    assert len(_names(compute.admin, 'changes-since=2000-01-01T00:00:00Z')) >= 3
    assert _names(compute.admin, 'changes-since=2999-01-01T00:00:00Z') == []
    status, text = _status(compute.admin, 'changes-since=soon')
    assert status == 400 and 'changes-since' in text
    status, text = _status(compute.admin, 'changes-since=2020-01-02T00:00:00Z'
                                          '&changes-before=2020-01-01T00:00:00Z', '2.66')
    assert status == 400 and 'changes-since' in text
    server = compute.admin.get(f'/servers/{servers["alpha"]["id"]}',
                               headers={'OpenStack-API-Version': 'compute 2.3'}).json['server']
    reservation_id = server['OS-EXT-SRV-ATTR:reservation_id']
    assert reservation_id.startswith('r-')
    assert _names(compute.admin, f'reservation_id={reservation_id}') == ['alpha']


def test_deleted_servers_show_with_changes_since(compute: ComputeEnv) -> None:
    server_id = compute.boot('short-lived', with_volume=False)['id']
    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204
    deadline = time.monotonic() + 30
    while compute.admin.get(f'/servers/{server_id}').status_int != 404:
        assert time.monotonic() < deadline, 'not deleted'
        time.sleep(0.02)
    assert 'short-lived' in _names(compute.admin, 'changes-since=2000-01-01T00:00:00Z')
    assert 'short-lived' not in _names(compute.admin, '')
