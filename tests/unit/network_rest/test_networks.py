"""Network API: version documents, auth, and /v2.0/networks end to end."""

from __future__ import annotations

from collections.abc import Callable

from tests.unit.network_rest.conftest import PUBLIC_URL, NetworkApi, neutron_error

NETWORK_KEYS = {'id', 'name', 'project_id', 'tenant_id', 'admin_state_up', 'status', 'shared',
                'mtu', 'subnets', 'tags', 'created_at', 'updated_at', 'description',
                'revision_number', 'router:external', 'port_security_enabled',
                'availability_zones', 'availability_zone_hints', 'ipv4_address_scope',
                'ipv6_address_scope'}
# What an admin sees besides (the provider extension's admin-only attributes).
PROVIDER_KEYS = {'provider:network_type', 'provider:physical_network',
                 'provider:segmentation_id'}


def _create(api: NetworkApi, name: str, **extra: object) -> dict:
    response = api.post('/v2.0/networks', {'network': {'name': name, **extra}})
    assert response.status_int == 201, response.body
    return response.json['network']


def test_version_documents_need_no_token_the_rest_does(api: NetworkApi) -> None:
    response = api.get('/', token='')
    assert response.status_int == 200
    assert response.json == {'versions': [{
        'id': 'v2.0', 'status': 'CURRENT',
        'links': [{'rel': 'self', 'href': f'{PUBLIC_URL}/v2.0/'}]}]}
    for path in ('/v2.0', '/v2.0/'):
        resources = api.get(path, token='').json['resources']
        assert {r['collection'] for r in resources} == {'networks', 'subnets', 'ports'}
        assert all(r['links'][0]['href'].startswith(f'{PUBLIC_URL}/v2.0/')
                   for r in resources)
    for token in ('', 'not-a-token'):
        response = api.get('/v2.0/networks', token=token)
        assert response.status_int == 401
        assert response.headers['WWW-Authenticate'].startswith('Keystone uri=')
        neutron_error(response)


def test_create_show_list_filters_and_fields(api: NetworkApi) -> None:
    network = _create(api, 'alpha', admin_state_up=True, mtu=1400)
    assert set(network) == NETWORK_KEYS | PROVIDER_KEYS
    assert network['mtu'] == 1400 and network['shared'] is False
    assert network['project_id'] == api.env.ctx.project_id == network['tenant_id']
    assert network['subnets'] == [] and network['tags'] == []
    beta = _create(api, 'beta')

    shown = api.get(f"/v2.0/networks/{network['id']}").json['network']
    assert shown == network
    names = [n['name'] for n in api.get('/v2.0/networks').json['networks']]
    assert names == ['net', 'alpha', 'beta']  # 'net' is the fixture's

    def listed(query: str) -> list[str]:
        response = api.get(f'/v2.0/networks?{query}')
        assert response.status_int == 200, response.body
        return sorted(n['name'] for n in response.json['networks'])

    assert listed('name=alpha') == ['alpha']
    assert listed(f"id={network['id']}&id={beta['id']}") == ['alpha', 'beta']
    assert listed('shared=false&name=beta') == ['beta']
    assert listed('shared=true') == []
    assert listed('router:external=true') == []
    assert listed('router:external=false&mtu=1400') == ['alpha']
    assert listed(f'project_id={api.env.ctx.project_id}&name=alpha') == ['alpha']
    assert listed('tenant_id=someone-else') == []
    # filter-validation: a parameter that is no filter of the list is a 400, as in
    # neutron, never silently ignored.
    unknown = api.get('/v2.0/networks?name=alpha&deleted=False')
    assert unknown.status_int == 400
    assert "['deleted'] is invalid attribute for filtering" in \
        neutron_error(unknown)['message']

    only = api.get('/v2.0/networks?name=alpha&fields=id&fields=name').json['networks']
    assert only == [{'id': network['id'], 'name': 'alpha'}]
    one = api.get(f"/v2.0/networks/{network['id']}?fields=mtu").json
    assert one == {'network': {'mtu': 1400}}
    assert neutron_error(api.get('/v2.0/networks?shared=perhaps'))['message'].startswith(
        "Invalid value for 'shared'")

    # What OSC and openstacksdk do for `--network alpha`: GET by name, 404, then list.
    probe = api.get('/v2.0/networks/alpha')
    assert probe.status_int == 404
    assert neutron_error(probe)['type'] == 'NetworkNotFound'
    found = api.get('/v2.0/networks?name=alpha').json['networks']
    assert [n['id'] for n in found] == [network['id']]


def test_pagination_links_only_with_limit(api: NetworkApi) -> None:
    for name in ('p1', 'p2', 'p3'):
        _create(api, name)
    assert 'networks_links' not in api.get('/v2.0/networks').json
    first = api.get('/v2.0/networks?limit=2&name=p1&name=p2&name=p3').json
    assert [n['name'] for n in first['networks']] == ['p1', 'p2']
    (link,) = first['networks_links']
    assert link['rel'] == 'next'
    assert link['href'].startswith(f'{PUBLIC_URL}/v2.0/networks?')
    second = api.get(link['href'][len(PUBLIC_URL):]).json
    assert [n['name'] for n in second['networks']] == ['p3']
    assert second['networks_links'] == []
    assert api.get('/v2.0/networks?limit=-1').status_int == 400
    assert api.get('/v2.0/networks?limit=2&marker=nope').status_int == 400


def test_update_and_delete(api: NetworkApi) -> None:
    network = _create(api, 'alpha')
    response = api.put(f"/v2.0/networks/{network['id']}",
                       {'network': {'name': 'renamed', 'admin_state_up': False, 'mtu': 9000}})
    assert response.status_int == 200, response.body
    updated = response.json['network']
    assert (updated['name'], updated['admin_state_up'], updated['mtu']) == \
        ('renamed', False, 9000)
    assert api.get(f"/v2.0/networks/{network['id']}").json['network']['name'] == 'renamed'
    # OSC sends `network set --mtu 1400` as a string; neutron converts it.
    as_text = api.put(f"/v2.0/networks/{network['id']}", {'network': {'mtu': '1400'}})
    assert as_text.json['network']['mtu'] == 1400
    # Changing what cannot be changed is a 400 naming the attribute.
    refused = api.put(f"/v2.0/networks/{network['id']}", {'network': {'id': 'x'}})
    assert refused.status_int == 400 and "'network.id'" in neutron_error(refused)['message']

    deleted = api.delete(f"/v2.0/networks/{network['id']}")
    assert deleted.status_int == 204 and deleted.body == b''
    assert api.get(f"/v2.0/networks/{network['id']}").status_int == 404
    assert api.delete(f"/v2.0/networks/{network['id']}").status_int == 404


def test_delete_network_with_an_instance_port_is_409(
        api: NetworkApi, counts: Callable[[], dict[str, int]]) -> None:
    server = api.env.boot(with_volume=False)
    assert server['status'] == 'ACTIVE'
    network_id = api.env.network['id']
    ports = api.get(f"/v2.0/ports?device_id={server['id']}").json['ports']
    assert len(ports) == 1 and ports[0]['device_owner'].startswith('compute:')
    assert ports[0]['binding:host_id'] == 'host1'
    assert ports[0]['binding:vif_type'] == 'ovs'
    before = counts()
    response = api.delete(f'/v2.0/networks/{network_id}')
    assert response.status_int == 409
    assert neutron_error(response)['type'] == 'NetworkInUse'
    assert counts() == before
