"""Validation at the door: a boot naming what the project cannot use is refused at once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.unit.compute_rest.conftest import ComputeEnv


@pytest.fixture(scope='module')
def private_flavor(compute: ComputeEnv) -> dict[str, Any]:
    return compute.cloud.compute_api.add_flavor(compute.env.ctx, {
        'name': 'private-one', 'vcpus': 1, 'ram': 64, 'disk': 1,
        'os-flavor-access:is_public': False})


def _refused(compute: ComputeEnv, client: Any, field: str, **fields: Any) -> None:
    before = compute.instance_count()
    body = compute.server_body('refused', with_volume=False, networks='none')
    body.update(fields)
    response = client.post('/servers', {'server': body})
    assert response.status_int == 400, response.text
    assert field in response.json['badRequest']['message'], response.text
    assert compute.instance_count() == before


def test_another_projects_resources_are_400(compute: ComputeEnv) -> None:
    env = compute.env
    port = env.cloud.networks.create_port(env.ctx, network_id=env.network['id'])
    try:
        _refused(compute, compute.member, 'networks.0', networks=[{'uuid': env.network['id']}])
        _refused(compute, compute.member, 'networks.0', networks=[{'port': port['id']}])
        _refused(compute, compute.member, 'block_device_mapping_v2.0.uuid',
                 block_device_mapping_v2=[{'uuid': env.volumes[0]['id'],
                                           'source_type': 'volume',
                                           'destination_type': 'volume'}])
        _refused(compute, compute.member, 'key_name', key_name='nobodys-key')
    finally:
        env.cloud.networks.delete_port(env.ctx, port['id'])


def test_private_flavor_is_for_admins(compute: ComputeEnv,
                                      private_flavor: dict[str, Any]) -> None:
    _refused(compute, compute.member, 'flavorRef', flavorRef=private_flavor['id'])
    body = compute.server_body('admin-private', with_volume=False, networks='none',
                               flavorRef=private_flavor['id'])
    response = compute.admin.post('/servers', {'server': body})
    assert response.status_int == 202, response.text
    compute.wait(response.json['server']['id'])
    assert compute.admin.delete(f'/servers/{response.json["server"]["id"]}').status_int == 204


def test_security_groups_and_ports(compute: ComputeEnv) -> None:
    _refused(compute, compute.admin, 'security_groups.0.name',
             security_groups=[{'name': 'does_not_exist'}])
    port = compute.cloud.networks.create_port(compute.env.ctx,
                                              network_id=compute.env.network['id'])
    try:
        _refused(compute, compute.admin, 'networks',
                 networks=[{'port': port['id']}, {'port': port['id']}])
    finally:
        compute.cloud.networks.delete_port(compute.env.ctx, port['id'])
    body = compute.server_body('default-group', with_volume=False, networks='none',
                               security_groups=[{'name': 'default'}])
    response = compute.admin.post('/servers', {'server': body})
    assert response.status_int == 202, response.text
    compute.wait(response.json['server']['id'])
    assert compute.admin.delete(f'/servers/{response.json["server"]["id"]}').status_int == 204
