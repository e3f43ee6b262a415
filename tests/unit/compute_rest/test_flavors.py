"""Flavors: what ``openstack flavor create/list/show/delete`` sends and reads."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.compute_rest.conftest import PUBLIC_URL, ComputeEnv

FLAVOR_KEYS = {'id', 'name', 'ram', 'vcpus', 'disk', 'swap', 'OS-FLV-EXT-DATA:ephemeral',
               'OS-FLV-DISABLED:disabled', 'os-flavor-access:is_public', 'rxtx_factor',
               'links'}  # 2.1: no description (2.55)


def osc_body(name: str, **changes: Any) -> dict[str, Any]:
    """What ``openstack flavor create --ram R --vcpus V --disk D name`` (OSC 10.5) posts."""
    flavor = {'name': name, 'ram': 256, 'vcpus': 1, 'disk': 1, 'id': None, 'swap': 0,
              'OS-FLV-EXT-DATA:ephemeral': 0, 'rxtx_factor': 1.0,
              'os-flavor-access:is_public': True}
    flavor.update(changes)
    return {'flavor': flavor}


def test_create_show_list_delete(compute: ComputeEnv) -> None:
    created = compute.admin.post('/flavors', osc_body('m1.tiny'))
    assert created.status_int == 200, created.text
    flavor = created.json['flavor']
    assert set(flavor) == FLAVOR_KEYS
    assert flavor['swap'] == '' and flavor['ram'] == 256 and flavor['disk'] == 1
    assert flavor['os-flavor-access:is_public'] is True
    assert flavor['OS-FLV-DISABLED:disabled'] is False
    assert flavor['links'][0]['href'] == f'{PUBLIC_URL}/v2.1/flavors/{flavor["id"]}'
    assert len(flavor['id']) == 36  # "id": null -> a generated uuid

    shown = compute.member.get(f'/flavors/{flavor["id"]}')
    assert shown.status_int == 200 and shown.json['flavor'] == flavor
    # OSC's name lookup: GET /flavors/<name> must be 404, then the detail list.
    assert compute.member.get('/flavors/m1.tiny').status_int == 404
    listed = compute.member.get('/flavors/detail?is_public=None').json['flavors']
    assert [f for f in listed if f['name'] == 'm1.tiny'] == [flavor]
    brief = compute.member.get('/flavors').json['flavors']
    assert {'id': flavor['id'], 'name': 'm1.tiny', 'links': flavor['links']} in brief
    assert compute.member.get(f'/flavors/{flavor["id"]}/os-extra_specs').json == {
        'extra_specs': {}}

    with_swap = compute.admin.post('/flavors', osc_body('m1.swap', id='swappy', swap=512,
                                                        description='with swap'),
                                   headers={'OpenStack-API-Version': 'compute 2.55'})
    assert with_swap.json['flavor']['swap'] == 512
    assert with_swap.json['flavor']['id'] == 'swappy'
    assert with_swap.json['flavor']['description'] == 'with swap'

    duplicate = compute.admin.post('/flavors', osc_body('m1.tiny'))
    assert duplicate.status_int == 409

    assert compute.member.delete(f'/flavors/{flavor["id"]}').status_int == 403
    assert compute.admin.delete(f'/flavors/{flavor["id"]}').status_int == 202
    assert compute.admin.get(f'/flavors/{flavor["id"]}').status_int == 404
    assert compute.admin.delete(f'/flavors/{flavor["id"]}').status_int == 404


def test_private_flavors_and_filters(compute: ComputeEnv) -> None:
    private = compute.admin.post('/flavors', osc_body(
        'private', ram=4096, **{'os-flavor-access:is_public': False})).json['flavor']
    assert compute.member.get(f'/flavors/{private["id"]}').status_int == 404
    member_names = {f['name'] for f in compute.member.get('/flavors/detail').json['flavors']}
    assert 'private' not in member_names
    assert compute.admin.get(f'/flavors/{private["id"]}').status_int == 200
    access = compute.admin.get(f'/flavors/{private["id"]}/os-flavor-access')
    assert access.json == {'flavor_access': []}
    assert compute.admin.get('/flavors/small/os-flavor-access').status_int == 404
    assert compute.member.get(f'/flavors/{private["id"]}/os-flavor-access').status_int == 403
    # Nova's is_public filter: admins too see only public (and granted) flavors by default.
    assert compute.admin.get('/flavors/detail?minRam=4096').json['flavors'] == []
    big = compute.admin.get('/flavors/detail?minRam=4096&is_public=none').json['flavors']
    assert [f['name'] for f in big] == ['private']
    only_private = compute.admin.get('/flavors?is_public=false').json['flavors']
    assert [f['name'] for f in only_private] == ['private']
    assert compute.admin.get('/flavors?is_public=maybe').status_int == 400
    assert compute.admin.get('/flavors?minRam=lots').status_int == 400

    page = compute.admin.get('/flavors?limit=1').json
    assert len(page['flavors']) == 1 and page['flavors_links'][0]['rel'] == 'next'
    assert 'flavors_links' not in compute.admin.get('/flavors').json


def test_only_admins_create(compute: ComputeEnv) -> None:
    before = compute.cloud.flavors.list()
    for client in (compute.member, compute.reader):
        response = client.post('/flavors', osc_body('mine'))
        assert response.status_int == 403
    assert compute.anonymous.post('/flavors', osc_body('mine')).status_int == 401
    assert compute.cloud.flavors.list() == before


@pytest.mark.parametrize('body,field', [
    ({}, 'flavor'),
    ({'flavor': 'small'}, 'flavor'),
    ({'flavor': {}, 'extra': 1}, 'extra'),
    (osc_body(''), 'name'),
    (osc_body('x' * 256), 'name'),
    (osc_body(' padded '), 'name'),
    (osc_body('f', ram=0), 'ram'),
    (osc_body('f', ram=-1), 'ram'),
    (osc_body('f', ram='lots'), 'ram'),
    (osc_body('f', ram=2 ** 40), 'ram'),
    (osc_body('f', vcpus=0), 'vcpus'),
    (osc_body('f', vcpus=1.5), 'vcpus'),
    (osc_body('f', disk=-1), 'disk'),
    (osc_body('f', swap=-1), 'swap'),
    (osc_body('f', **{'OS-FLV-EXT-DATA:ephemeral': -1}), 'OS-FLV-EXT-DATA:ephemeral'),
    (osc_body('f', **{'os-flavor-access:is_public': 'maybe'}), 'os-flavor-access:is_public'),
    (osc_body('f', id='bad/id'), 'id'),
    (osc_body('f', id='x' * 256), 'id'),
    (osc_body('f', colour='red'), 'colour'),
    ({'flavor': {'name': 'f', 'vcpus': 1, 'disk': 1}}, 'ram'),
])
def test_bad_flavor_bodies(compute: ComputeEnv, body: Any, field: str) -> None:
    before = compute.cloud.flavors.list()
    response = compute.admin.post('/flavors', body)
    assert response.status_int == 400, response.text
    assert field in response.json['badRequest']['message']
    assert compute.cloud.flavors.list() == before
