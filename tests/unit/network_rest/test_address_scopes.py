"""Address scopes: CRUD, pools joining them, no overlapping prefixes inside one."""

from __future__ import annotations

from typing import Any

from tests.unit.network_rest.conftest import NetworkApi, neutron_error


def _scope(api: NetworkApi, status: int = 201, token: str | None = None,
           **fields: Any) -> dict[str, Any]:
    response = api.post('/v2.0/address-scopes',
                        {'address_scope': {'name': 's', 'ip_version': 4, **fields}}, token=token)
    assert response.status_int == status, response.body
    return response.json.get('address_scope') or response.json


def _pool(api: NetworkApi, prefix: str, **fields: Any) -> Any:
    return api.post('/v2.0/subnetpools', {'subnetpool': {'name': 'p', 'prefixes': [prefix],
                                                         **fields}})


def test_crud_and_policy(api: NetworkApi) -> None:
    scope = _scope(api)
    assert {key: scope[key] for key in ('name', 'ip_version', 'shared', 'project_id',
                                        'tenant_id')} == {
        'name': 's', 'ip_version': 4, 'shared': False, 'project_id': api.env.ctx.project_id,
        'tenant_id': api.env.ctx.project_id}
    url = f"/v2.0/address-scopes/{scope['id']}"
    assert api.get(url).json['address_scope'] == scope
    renamed = api.put(url, {'address_scope': {'name': 'r'}})
    assert renamed.status_int == 200 and renamed.json['address_scope']['name'] == 'r'
    assert [item['id'] for item in api.get('/v2.0/address-scopes?name=r').json[
        'address_scopes']] == [scope['id']]
    member = api.user_token('proj-b', 'user-b', ('member', 'reader'))
    assert _scope(api, 403, token=member, shared=True)
    assert api.get(url, token=member).status_int == 404
    assert _scope(api, 400, ip_version=5)
    assert api.delete(url).status_int == 204
    gone = api.get(url)
    assert gone.status_int == 404 and neutron_error(gone)['type'] == 'AddressScopeNotFound'
    _pools_in_a_scope_do_not_overlap(api)


def _pools_in_a_scope_do_not_overlap(api: NetworkApi) -> None:
    scope = _scope(api)
    first = _pool(api, '10.0.0.0/16', address_scope_id=scope['id'])
    assert first.status_int == 201, first.body
    assert first.json['subnetpool']['address_scope_id'] == scope['id']
    clash = _pool(api, '10.0.128.0/17', address_scope_id=scope['id'])
    assert clash.status_int == 409
    assert neutron_error(clash)['type'] == 'AddressScopePrefixConflict'
    # Outside the scope the same prefix is fine; joining the scope later is not.
    loose = _pool(api, '10.0.0.0/24')
    assert loose.status_int == 201
    join = api.put(f"/v2.0/subnetpools/{loose.json['subnetpool']['id']}",
                   {'subnetpool': {'address_scope_id': scope['id']}})
    assert join.status_int == 409
    grow = api.put(f"/v2.0/subnetpools/{first.json['subnetpool']['id']}/add_prefixes",
                   {'prefixes': ['10.1.0.0/16']})
    assert grow.status_int == 200
    v6 = _pool(api, 'fd00::/48', address_scope_id=scope['id'])
    assert v6.status_int == 400
    assert neutron_error(v6)['type'] == 'IllegalSubnetPoolAssociationToAddressScope'
    in_use = api.delete(f"/v2.0/address-scopes/{scope['id']}")
    assert in_use.status_int == 409
    assert neutron_error(in_use)['type'] == 'AddressScopeInUse'
    leave = api.put(f"/v2.0/subnetpools/{first.json['subnetpool']['id']}",
                    {'subnetpool': {'address_scope_id': None}})
    assert leave.status_int == 200 and leave.json['subnetpool']['address_scope_id'] is None
    assert api.delete(f"/v2.0/address-scopes/{scope['id']}").status_int == 204
