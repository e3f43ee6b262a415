"""Boot, show, list and delete servers through the compute REST API."""

from __future__ import annotations

import hashlib
import time
import uuid

from nova_lite.api import auth as api_auth
from nova_lite.compute import rest
from nova_lite.virt import power_state
from tests.unit.compute_rest.conftest import PUBLIC_URL, Client, ComputeEnv

SERVER_KEYS = {
    'id', 'name', 'status', 'tenant_id', 'user_id', 'created', 'updated', 'hostId',
    'flavor', 'image', 'addresses', 'metadata', 'progress', 'OS-EXT-STS:vm_state',
    'OS-EXT-STS:task_state', 'OS-EXT-STS:power_state', 'OS-EXT-AZ:availability_zone',
    'OS-EXT-SRV-ATTR:host', 'security_groups', 'key_name', 'links',
    'os-extended-volumes:volumes_attached', 'accessIPv4', 'accessIPv6', 'config_drive',
    'OS-DCF:diskConfig',
}


def test_boot_through_rest_and_show_every_key(compute: ComputeEnv) -> None:
    env = compute.env
    response = compute.admin.post('/servers', {'server': compute.server_body(
        'vm1', metadata={'role': 'web'})})
    assert response.status_int == 202, response.text
    created = response.json['server']
    assert set(created) == {'id', 'links', 'adminPass', 'OS-DCF:diskConfig',
                            'security_groups'}
    assert created['links'][0] == {'rel': 'self',
                                   'href': f'{PUBLIC_URL}/v2.1/servers/{created["id"]}'}
    assert response.headers['Location'] == created['links'][0]['href']
    assert created['adminPass']

    server = compute.wait(created['id'])
    assert SERVER_KEYS <= set(server), SERVER_KEYS - set(server)
    assert 'fault' not in server
    assert server['status'] == 'ACTIVE' and server['progress'] == 100
    assert server['OS-EXT-STS:vm_state'] == 'active'
    assert server['OS-EXT-STS:power_state'] == power_state.RUNNING
    assert server['tenant_id'] == env.ctx.project_id
    assert server['user_id'] == env.ctx.user_id
    assert server['OS-EXT-SRV-ATTR:host'] == 'host1'
    assert server['hostId'] == hashlib.sha224(
        f'{env.ctx.project_id}host1'.encode()).hexdigest()
    assert server['flavor']['id'] == env.flavor['id']
    assert server['image']['id'] == env.image['id']
    assert server['metadata'] == {'role': 'web'}
    assert server['security_groups'] == [{'name': 'default'}]
    assert server['os-extended-volumes:volumes_attached'] == [{'id': env.volumes[0]['id']}]
    assert server['created'].endswith('Z') and server['updated'].endswith('Z')
    [address] = server['addresses']['net']
    assert address['version'] == 4 and address['OS-EXT-IPS:type'] == 'fixed'
    assert address['addr'].startswith('10.0.0.')
    port = env.cloud.networks.list_ports(env.ctx, device_id=created['id'])[0]
    assert address['OS-EXT-IPS-MAC:mac_addr'] == port['mac_address']

    attachments = compute.admin.get(f'/servers/{created["id"]}/os-volume_attachments')
    assert attachments.json['volumeAttachments'][0]['volumeId'] == env.volumes[0]['id']
    # Its port has the project's default group (made on first use, with its rules).
    [group] = compute.admin.get(f'/servers/{created["id"]}/os-security-groups').json[
        'security_groups']
    assert (group['name'], group['tenant_id']) == ('default', env.ctx.project_id)
    assert {(rule['ip_protocol'], rule['group']['name']) for rule in group['rules']} == {
        (None, 'default')}  # the ingress rules from the group itself, IPv4 and IPv6
    assert port['security_groups'] == [group['id']]

    # The legacy path form with the project id works too; another project's id does not.
    legacy = compute.admin.get(f'/{env.ctx.project_id}/servers/{created["id"]}')
    assert legacy.status_int == 200 and legacy.json['server']['id'] == created['id']
    assert compute.admin.get(f'/{uuid.uuid4().hex}/servers/{created["id"]}').status_int == 403

    # A reader of the project sees it, without the admin-only host attributes.
    as_reader = compute.reader.get(f'/servers/{created["id"]}')
    assert as_reader.status_int == 200
    assert 'OS-EXT-SRV-ATTR:host' not in as_reader.json['server']

    # Another project's member never sees it.
    assert compute.member.get(f'/servers/{created["id"]}').status_int == 404
    assert compute.member.delete(f'/servers/{created["id"]}').status_int == 404
    assert compute.member.get('/servers').json == {'servers': []}

    deleted = compute.admin.delete(f'/servers/{created["id"]}')
    assert deleted.status_int == 204 and deleted.body == b''
    deadline = time.monotonic() + 30
    while compute.admin.get(f'/servers/{created["id"]}').status_int != 404:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert env.volume()['status'] == 'available'


def test_names_and_unknown_ids_are_404(compute: ComputeEnv) -> None:
    for probe in ('vm1', str(uuid.uuid4()), 'x' * 300):
        response = compute.admin.get(f'/servers/{probe}')
        assert response.status_int == 404, probe
        assert response.json['itemNotFound']['code'] == 404
    assert compute.admin.delete(f'/servers/{uuid.uuid4()}').status_int == 404


def test_list_detail_filters_and_paging(compute: ComputeEnv) -> None:
    ids = {name: compute.create(name, with_volume=False) for name in ('web-1', 'web-2', 'db-1')}
    for server_id in ids.values():
        compute.wait(server_id)

    brief = compute.admin.get('/servers').json['servers']
    assert {s['id'] for s in brief} >= set(ids.values())
    assert set(brief[0]) == {'id', 'name', 'links'}

    web = compute.admin.get('/servers/detail?name=^web-&deleted=False&fields=id').json
    assert sorted(s['name'] for s in web['servers']) == ['web-1', 'web-2']
    assert 'servers_links' not in web
    exact = compute.admin.get('/servers/detail?name=db-1').json['servers']
    assert [s['id'] for s in exact] == [ids['db-1']]
    assert compute.admin.get('/servers?name=nothing-like-this').json == {'servers': []}
    bad_regex = compute.admin.get('/servers?name=(')
    assert bad_regex.status_int == 400 and 'name' in bad_regex.text

    active = compute.admin.get('/servers/detail?status=active').json['servers']
    assert set(ids.values()) <= {s['id'] for s in active}
    assert compute.admin.get('/servers/detail?status=SHUTOFF').json['servers'] == []

    page = compute.admin.get('/servers?name=^web-&limit=1').json
    assert len(page['servers']) == 1
    [link] = page['servers_links']
    assert link['rel'] == 'next' and f'marker={page["servers"][0]["id"]}' in link['href']
    rest = compute.admin.get(f'/servers?name=^web-&limit=1&marker={page["servers"][0]["id"]}')
    assert len(rest.json['servers']) == 1 and 'servers_links' not in rest.json
    assert compute.admin.get(f'/servers?marker={uuid.uuid4()}').status_int == 400
    assert compute.admin.get('/servers?limit=-1').status_int == 400

    # all_tenants: admins only; a member's own list stays its project's.
    theirs = compute.create('theirs', client=compute.member, with_volume=False,
                            networks='none')
    compute.wait(theirs, client=compute.member)
    assert theirs not in {s['id'] for s in compute.admin.get('/servers').json['servers']}
    everyone = compute.admin.get('/servers?all_tenants=True').json['servers']
    assert theirs in {s['id'] for s in everyone}
    assert compute.member.get('/servers?all_tenants=1').status_int == 403
    assert compute.admin.get('/servers?all_tenants=maybe').status_int == 400
    server = compute.admin.get(f'/servers/{theirs}').json['server']  # admin sees any
    assert server['addresses'] == {} and server['os-extended-volumes:volumes_attached'] == []


def test_a_policy_file_may_let_readers_boot_and_delete(compute: ComputeEnv, tmp_path) -> None:
    """Who boots and deletes is oslo.policy's rule alone (no role check behind it)."""
    body = {'server': compute.server_body('by-reader', with_volume=False)}
    assert compute.reader.post('/servers', body).status_int == 403
    policy_file = tmp_path / 'policy.yaml'
    policy_file.write_text('"os_compute_api:servers:create": "role:reader"\n'
                           '"os_compute_api:servers:delete": "role:reader"\n')
    conf = compute.cloud.conf
    conf.set_override('policy_file', str(policy_file), group='oslo_policy')
    try:
        services = compute.cloud.services
        app = rest.make_app(
            conf, services,
            lambda inner: api_auth.LocalTokenAuth(inner, services.identity.validate_token),
            PUBLIC_URL)
        reader = Client(app, compute.reader.token)
        created = reader.post('/servers', body)
        assert created.status_int == 202, created.text
        server_id = created.json['server']['id']
        compute.wait(server_id)
        assert reader.delete(f'/servers/{server_id}').status_int == 204
    finally:
        conf.clear_override('policy_file', group='oslo_policy')
    deadline = time.monotonic() + 30
    while compute.admin.get(f'/servers/{server_id}').status_int != 404:
        assert time.monotonic() < deadline, 'the server was not deleted'
        time.sleep(0.05)
