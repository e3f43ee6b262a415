"""``/os-volumes``, ``/os-snapshots`` and ``/os-networks``: nova's pre-2.36 proxies."""

from __future__ import annotations

import uuid

import pytest

from tests.unit.compute_rest.conftest import ComputeEnv

VOLUME_KEYS = {'id', 'status', 'size', 'availabilityZone', 'createdAt', 'displayName',
               'displayDescription', 'volumeType', 'snapshotId', 'metadata', 'attachments'}


def test_volume_create_show_list_delete(compute: ComputeEnv) -> None:
    response = compute.member.post('/os-volumes', {'volume': {
        'size': 1, 'display_name': 'proxied', 'display_description': 'through nova',
        'metadata': {'k': 'v'}}})
    assert response.status_int == 200, response.text
    volume = response.json['volume']
    assert set(volume) == VOLUME_KEYS
    assert (volume['displayName'], volume['displayDescription']) == ('proxied', 'through nova')
    assert volume['size'] == 1 and volume['metadata'] == {'k': 'v'}
    assert volume['attachments'] == [{}]  # nova's "not attached"
    assert volume['status'] == 'available'
    shown = compute.member.get(f'/os-volumes/{volume["id"]}').json['volume']
    assert shown['id'] == volume['id']
    for path in ('/os-volumes', '/os-volumes/detail'):
        listed = compute.member.get(path).json['volumes']
        assert [v['id'] for v in listed] == [volume['id']]  # the member's project only
    assert volume['id'] not in [v['id'] for v in compute.reader.get('/os-volumes')
                                .json['volumes']]
    assert compute.reader.get(f'/os-volumes/{volume["id"]}').status_int == 404
    assert compute.member.delete(f'/os-volumes/{volume["id"]}').status_int == 202
    assert compute.member.get(f'/os-volumes/{volume["id"]}').status_int == 404


def test_attached_volume_shows_its_server(compute: ComputeEnv) -> None:
    server = compute.boot('with-volume', with_volume=True)
    [attached] = server['os-extended-volumes:volumes_attached']
    volume = compute.admin.get(f'/os-volumes/{attached["id"]}').json['volume']
    [attachment] = volume['attachments']
    assert attachment['serverId'] == server['id']
    assert attachment['volumeId'] == attached['id'] and attachment['device']
    # Cinder's InvalidVolume, passed on by the proxy.
    assert compute.admin.delete(f'/os-volumes/{attached["id"]}').status_int == 400


def test_volume_list_limit_and_offset(compute: ComputeEnv) -> None:
    made = [compute.member.post('/os-volumes', {'volume': {'size': 1}}).json['volume']['id']
            for _ in range(3)]
    everything = [v['id'] for v in compute.member.get('/os-volumes').json['volumes']]
    assert everything == made
    assert [v['id'] for v in compute.member.get('/os-volumes?limit=2').json['volumes']] == \
        made[:2]
    paged = compute.member.get('/os-volumes/detail?offset=1&limit=1').json['volumes']
    assert [v['id'] for v in paged] == made[1:2]
    assert compute.member.get('/os-volumes?offset=-1').status_int == 400
    for volume_id in made:
        compute.member.delete(f'/os-volumes/{volume_id}')


@pytest.mark.parametrize('volume', [{'size': '#$%'}, {'size': 0}, {'size': ''},
                                    {'display_name': 'no size'},
                                    {'size': 1, 'unknown': 'x'},
                                    {'size': 1, 'snapshot_id': str(uuid.uuid4())}])
def test_volume_create_bad_bodies(compute: ComputeEnv, volume: dict[str, object]) -> None:
    assert compute.member.post('/os-volumes', {'volume': volume}).status_int == 400


def test_volume_missing_ids_and_policy(compute: ComputeEnv) -> None:
    assert compute.member.get(f'/os-volumes/{uuid.uuid4()}').status_int == 404
    assert compute.member.delete(f'/os-volumes/{uuid.uuid4()}').status_int == 404
    assert compute.member.get('/os-volumes/').status_int == 404  # empty id, as nova
    assert compute.member.delete('/os-volumes/').status_int == 404
    assert compute.reader.post('/os-volumes', {'volume': {'size': 1}}).status_int == 403
    assert compute.anonymous.get('/os-volumes').status_int == 401


def test_snapshots_the_volume_service_does_not_have(compute: ComputeEnv) -> None:
    for path in ('/os-snapshots', '/os-snapshots/detail'):
        assert compute.member.get(path).json == {'snapshots': []}
    assert compute.member.get(f'/os-snapshots/{uuid.uuid4()}').status_int == 404
    assert compute.member.delete(f'/os-snapshots/{uuid.uuid4()}').status_int == 404
    gone = compute.member.post('/os-snapshots', {'snapshot': {'volume_id': str(uuid.uuid4())}})
    assert gone.status_int == 404
    volume = compute.member.post('/os-volumes', {'volume': {'size': 1}}).json['volume']
    refused = compute.member.post('/os-snapshots', {'snapshot': {'volume_id': volume['id']}})
    assert refused.status_int == 400
    assert 'cannot take snapshots' in refused.json['badRequest']['message']
    compute.member.delete(f'/os-volumes/{volume["id"]}')


def test_networks_list_and_show(compute: ComputeEnv) -> None:
    network = compute.env.network
    listed = compute.admin.get('/os-networks').json['networks']
    [entry] = [n for n in listed if n['id'] == network['id']]
    assert entry['label'] == network['name'] and entry['cidr'] is None
    shown = compute.reader.get(f'/os-networks/{network["id"]}').json['network']
    assert shown['label'] == network['name']
    assert compute.admin.get(f'/os-networks/{uuid.uuid4()}').status_int == 404
    assert compute.member.get(f'/os-networks/{network["id"]}').status_int == 404  # not theirs


def test_network_management_is_gone(compute: ComputeEnv) -> None:
    network_id = compute.env.network['id']
    assert compute.admin.post('/os-networks', {'network': {'label': 'x'}}).status_int == 410
    assert compute.admin.delete(f'/os-networks/{network_id}').status_int == 410
    assert compute.admin.post(f'/os-networks/{network_id}/action',
                              {'disassociate': None}).status_int == 410
    assert compute.member.post('/os-networks', {'network': {'label': 'x'}}).status_int == 403
