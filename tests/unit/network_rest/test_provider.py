"""Provider attributes (provider, multi-provider) of networks over the REST API."""

from __future__ import annotations

from typing import Any

from tests.unit.network_rest.conftest import NetworkApi, neutron_error

TYPE, PHYSNET, SEG_ID = ('provider:network_type', 'provider:physical_network',
                         'provider:segmentation_id')


def _create(api: NetworkApi, body: dict[str, Any], *, token: str | None = None,
            status: int = 201) -> dict[str, Any]:
    response = api.post('/v2.0/networks', {'network': {'name': 'n', **body}}, token=token)
    assert response.status_int == status, response.body
    return response.json['network'] if status < 300 else neutron_error(response)


def test_admin_sets_provider_attributes_and_ids_are_taken_once(api: NetworkApi) -> None:
    vlan = _create(api, {TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 100})
    assert (vlan[TYPE], vlan[PHYSNET], vlan[SEG_ID]) == ('vlan', 'physnet1', 100)
    assert 'segments' not in vlan
    assert api.get(f"/v2.0/networks/{vlan['id']}").json['network'][SEG_ID] == 100
    assert 'VLAN 100' in _create(api, {TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 100},
                                 status=409)['message']
    _create(api, {TYPE: 'vlan', PHYSNET: 'physnet2', SEG_ID: '100'})  # another physnet
    flat = _create(api, {TYPE: 'flat', PHYSNET: 'public'})
    assert (flat[TYPE], flat[PHYSNET], flat[SEG_ID]) == ('flat', 'public', None)
    _create(api, {TYPE: 'flat', PHYSNET: 'public'}, status=409)
    vxlan = _create(api, {TYPE: 'vxlan', SEG_ID: 5000})
    _create(api, {TYPE: 'vxlan', SEG_ID: 5000}, status=409)
    assert _create(api, {TYPE: 'geneve', SEG_ID: 5000})[SEG_ID] == 5000
    assert _create(api, {TYPE: 'local'})[TYPE] == 'local'
    assert api.delete(f"/v2.0/networks/{vxlan['id']}").status_int == 204
    _create(api, {TYPE: 'vxlan', SEG_ID: 5000})  # free again once its network is gone

    for body, field in (({TYPE: 'bogus'}, TYPE), ({PHYSNET: 'physnet1'}, TYPE),
                        ({TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 4095}, SEG_ID),
                        ({TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 0}, SEG_ID),
                        ({TYPE: 'vlan', SEG_ID: 10}, PHYSNET),
                        ({TYPE: 'vlan', PHYSNET: 'physnet1'}, SEG_ID),
                        ({TYPE: 'vxlan', SEG_ID: 2 ** 24}, SEG_ID),
                        ({TYPE: 'vxlan', PHYSNET: 'p'}, PHYSNET),
                        ({TYPE: 'flat', PHYSNET: 'p', SEG_ID: 3}, SEG_ID),
                        ({TYPE: 'vlan', PHYSNET: 'p', SEG_ID: 'ten'}, SEG_ID),
                        ({TYPE: 'local', 'segments': [{TYPE: 'local'}]}, 'segments')):
        assert field in _create(api, body, status=400)['message'], body
    changed = api.put(f"/v2.0/networks/{vlan['id']}", {'network': {SEG_ID: 101}})
    assert changed.status_int == 400 and SEG_ID in neutron_error(changed)['message']
    same = api.put(f"/v2.0/networks/{vlan['id']}", {'network': {SEG_ID: 100, 'name': 'v'}})
    assert same.status_int == 200 and same.json['network']['name'] == 'v'


def test_project_networks_get_a_vni_and_members_see_no_provider_attributes(
        api: NetworkApi) -> None:
    member = api.user_token('proj-b', 'user-b', ('member', 'reader'))
    first = _create(api, {}, token=member)
    second = _create(api, {}, token=member)
    assert not {TYPE, PHYSNET, SEG_ID, 'segments'} & set(first)
    assert _create(api, {TYPE: 'vlan', PHYSNET: 'p', SEG_ID: 5}, token=member,
                   status=403)['type'] == 'PolicyNotAuthorized'
    _create(api, {'segments': [{TYPE: 'local'}]}, token=member, status=403)
    seen = {n['id']: n for n in api.get('/v2.0/networks').json['networks']}
    vnis = [seen[net['id']][SEG_ID] for net in (first, second)]
    assert [seen[first['id']][TYPE], seen[first['id']][PHYSNET]] == ['vxlan', None]
    assert vnis[0] != vnis[1] and all(1 <= vni <= 1000 for vni in vnis)
    assert api.get(f"/v2.0/networks?fields={SEG_ID}&id={first['id']}").json[
        'networks'] == [{SEG_ID: vnis[0]}]
    conf = api.env.cloud.conf
    conf.set_override('tenant_network_type', 'local', group='network')
    try:
        local = _create(api, {}, token=member)
    finally:
        conf.clear_override('tenant_network_type', group='network')
    shown = api.get(f"/v2.0/networks/{local['id']}").json['network']
    assert (shown[TYPE], shown[PHYSNET], shown[SEG_ID]) == ('local', None, None)


def test_multi_provider_segments(api: NetworkApi) -> None:
    segments = [{TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 200},
                {TYPE: 'vxlan', PHYSNET: None, SEG_ID: 7000}]
    made = _create(api, {'segments': segments})
    assert made['segments'] == segments and TYPE not in made
    assert api.get(f"/v2.0/networks/{made['id']}").json['network']['segments'] == segments
    _create(api, {'segments': [{TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 200}]},
            status=409)
    single = _create(api, {'segments': [{TYPE: 'vlan', PHYSNET: 'physnet1', SEG_ID: 201}]})
    assert single[SEG_ID] == 201 and 'segments' not in single
    for body, field in (({'segments': []}, 'segments'),
                        ({'segments': [{TYPE: 'vlan'}]}, 'segments[0].' + PHYSNET),
                        ({'segments': [{TYPE: 'local'}, {TYPE: 'local'}]}, 'segments'),
                        ({'segments': [{'colour': 'red'}]}, 'colour')):
        assert field in _create(api, body, status=400)['message'], body
