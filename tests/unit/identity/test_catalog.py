"""The service catalog: URLs, substitution, the keystone v3 shape."""

from __future__ import annotations

from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.identity import catalog, manager

EXPECTED = {
    'identity': ('keystone', 'http://127.0.0.1:5000/v3'),
    'compute': ('nova', 'http://127.0.0.1:8774/v2.1'),
    'image': ('glance', 'http://127.0.0.1:9292'),
    'network': ('neutron', 'http://127.0.0.1:9696'),
    'block-storage': ('cinderv3', 'http://127.0.0.1:8776/v3/{project}'),
}


@pytest.mark.parametrize('base,expected', [
    ('http://127.0.0.1', 'http://127.0.0.1:8774/v2.1'),
    ('https://cloud.example/', 'https://cloud.example:8774/v2.1'),
    ('http://cloud.example:80', 'http://cloud.example:8774/v2.1'),
    ('http://[::1]', 'http://[::1]:8774/v2.1'),
])
def test_endpoint_url(base: str, expected: str) -> None:
    assert catalog.endpoint_url(base, 8774, '/v2.1') == expected


@pytest.mark.parametrize('base', ['', 'cloud.example', 'ftp://cloud.example', 'http://'])
def test_endpoint_url_refuses_bad_base(base: str) -> None:
    with pytest.raises(exception.InvalidInput) as err:
        catalog.endpoint_url(base, 5000, '/v3')
    assert err.value.kwargs['field'] == 'public_base_url'


def test_substitute() -> None:
    assert catalog.substitute('http://h:8776/v3/$(project_id)s', 'p1') == 'http://h:8776/v3/p1'
    assert catalog.substitute('http://h:8776/v2/$(tenant_id)s', 'p1') == 'http://h:8776/v2/p1'
    assert catalog.substitute('http://h:9292', 'p1') == 'http://h:9292'
    assert catalog.substitute('http://h/$(user_id)s', 'p1') is None


def test_catalog_shape_and_urls(identity: manager.IdentityManager,
                                booted: dict[str, Any]) -> None:
    project_id = booted['project_id']
    entries = identity.get_catalog(project_id)
    assert sorted(e['type'] for e in entries) == sorted(EXPECTED)
    for entry in entries:
        assert set(entry) == {'type', 'name', 'id', 'endpoints'}
        name, url = EXPECTED[entry['type']]
        assert entry['name'] == name
        assert len(entry['id']) == 32
        (endpoint,) = entry['endpoints']
        assert set(endpoint) == {'id', 'interface', 'region', 'region_id', 'url'}
        assert endpoint['interface'] == 'public'
        assert endpoint['region'] == endpoint['region_id'] == 'RegionOne'
        assert endpoint['url'] == url.format(project=project_id)


def test_catalog_uses_public_base_url(conf: cfg.ConfigOpts,
                                      identity: manager.IdentityManager) -> None:
    from nova_lite.identity import bootstrap

    conf.set_override('public_base_url', 'https://cloud.example', group='identity')
    summary = bootstrap.bootstrap(identity, password='pw')
    urls = {e['type']: e['endpoints'][0]['url']
            for e in identity.get_catalog(summary['project_id'])}
    assert urls['compute'] == 'https://cloud.example:8774/v2.1'


def test_catalog_of_unknown_project(identity: manager.IdentityManager,
                                    booted: dict[str, Any]) -> None:
    with pytest.raises(exception.NotFound, match='project_id'):
        identity.get_catalog('0' * 32)


def test_endpoint_helpers_are_idempotent_and_update_the_url(
        identity: manager.IdentityManager) -> None:
    identity.create_region('RegionTwo')
    assert identity.create_region('RegionTwo') == {'id': 'RegionTwo', 'description': '',
                                                   'parent_region_id': None}
    service = identity.create_service('compute', 'nova')
    assert identity.create_service('compute', 'nova') == service
    first = identity.create_endpoint(service['id'], 'http://a:8774/v2.1', region_id='RegionTwo')
    again = identity.create_endpoint(service['id'], 'http://a:8774/v2.1', region_id='RegionTwo')
    moved = identity.create_endpoint(service['id'], 'http://b:8774/v2.1', region_id='RegionTwo')
    assert first == again
    assert moved['id'] == first['id'] and moved['url'] == 'http://b:8774/v2.1'
    assert len(identity.list_endpoints()) == 1


@pytest.mark.parametrize('kwargs,error,field', [
    ({'url': 'not a url'}, exception.InvalidInput, 'url'),
    ({'interface': 'private'}, exception.InvalidInput, 'interface'),
    ({'region_id': 'Nowhere'}, exception.NotFound, 'region_id'),
    ({'service_id': 'f' * 32}, exception.NotFound, 'service_id'),
])
def test_create_endpoint_bad_input(identity: manager.IdentityManager, kwargs: dict[str, Any],
                                   error: type[Exception], field: str) -> None:
    identity.create_region('RegionOne')
    service = identity.create_service('image', 'glance')
    args = {'service_id': service['id'], 'url': 'http://h:9292', 'region_id': 'RegionOne'}
    args.update(kwargs)
    with pytest.raises(error, match=field):
        identity.create_endpoint(**args)
    assert identity.list_endpoints() == []
