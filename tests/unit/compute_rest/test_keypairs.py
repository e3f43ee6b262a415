"""``/os-keypairs`` as ``openstack keypair create/list/show/delete`` and Tempest use it.

The microversion is set in the WSGI environ, where negotiation leaves it (and
asked for in the header too once the API serves more than 2.1).
"""

from __future__ import annotations

import json
from typing import Any

import webob

from nova_lite.compute.rest import api_version, versions
from tests.unit.compute.test_keypair_keys import TEMPEST_RSA
from tests.unit.compute_rest.conftest import Client, ComputeEnv

BRIEF_21 = {'name', 'public_key', 'fingerprint'}
DETAIL_21 = BRIEF_21 | {'user_id', 'deleted', 'created_at', 'updated_at', 'deleted_at', 'id'}


def call(client: Client, method: str, path: str, body: Any = None, *,
         version: tuple[int, int] | None = None) -> webob.Response:
    headers = {'Content-Type': 'application/json'}
    if client.token is not None:
        headers['X-Auth-Token'] = client.token
    environ = {} if version is None else {api_version.ENVIRON_KEY: version}
    if version is not None and versions.MAX_VERSION != '2.1':
        # Once microversions are negotiated, ask for the version as clients do.
        headers['OpenStack-API-Version'] = f'compute {version[0]}.{version[1]}'
    req = webob.Request.blank(f'/v2.1{path}', environ=environ, method=method,
                              headers=headers)
    if body is not None:
        req.body = json.dumps(body).encode()
    return req.get_response(client.app)


def user_id(compute: ComputeEnv, client: Client) -> str:
    assert client.token is not None
    return str(compute.cloud.services.identity.context_from_token(client.token).user_id)


def test_generate_show_list_delete_at_2_1(compute: ComputeEnv) -> None:
    created = call(compute.member, 'POST', '/os-keypairs', {'keypair': {'name': 'gen-21'}})
    assert created.status_int == 200, created.text
    keypair = created.json['keypair']
    assert set(keypair) == BRIEF_21 | {'user_id', 'private_key'}
    assert keypair['user_id'] == user_id(compute, compute.member)
    assert keypair['private_key'].startswith('-----BEGIN RSA PRIVATE KEY-----')
    assert keypair['public_key'].startswith('ssh-rsa ')

    shown = call(compute.member, 'GET', '/os-keypairs/gen-21')
    assert shown.status_int == 200, shown.text
    detail = shown.json['keypair']
    assert set(detail) == DETAIL_21
    assert detail['deleted'] is False and detail['deleted_at'] is None
    assert isinstance(detail['id'], int) and detail['created_at'].endswith('Z')
    assert detail['fingerprint'] == keypair['fingerprint']
    assert 'private_key' not in shown.text

    listed = call(compute.member, 'GET', '/os-keypairs').json['keypairs']
    expected = {key: keypair[key] for key in BRIEF_21}
    assert {'keypair': expected} in listed
    # Another user neither sees nor reaches it.
    assert all(k['keypair']['name'] != 'gen-21'
               for k in call(compute.admin, 'GET', '/os-keypairs').json['keypairs'])
    assert call(compute.reader, 'GET', '/os-keypairs/gen-21').status_int == 404

    assert call(compute.member, 'DELETE', '/os-keypairs/gen-21').status_int == 202
    gone = call(compute.member, 'GET', '/os-keypairs/gen-21')
    assert gone.status_int == 404
    assert gone.json['itemNotFound']['message'].startswith('Keypair gen-21 not found')
    assert call(compute.member, 'DELETE', '/os-keypairs/gen-21').status_int == 404


def test_import_and_project_scoped_path(compute: ComputeEnv) -> None:
    created = call(compute.admin, 'POST', '/os-keypairs',
                   {'keypair': {'name': 'imported', 'public_key': TEMPEST_RSA}})
    assert created.status_int == 200, created.text
    keypair = created.json['keypair']
    assert 'private_key' not in keypair and keypair['public_key'] == TEMPEST_RSA
    assert keypair['fingerprint'].count(':') == 15
    project_id = compute.env.ctx.project_id
    shown = call(compute.admin, 'GET', f'/{project_id}/os-keypairs/imported')
    assert shown.status_int == 200 and shown.json['keypair']['name'] == 'imported'
    duplicate = call(compute.admin, 'POST', '/os-keypairs',
                     {'keypair': {'name': 'imported', 'public_key': TEMPEST_RSA}})
    assert duplicate.status_int == 409
    assert "'imported' already exists" in duplicate.json['conflictingRequest']['message']
    assert call(compute.admin, 'DELETE', '/os-keypairs/imported').status_int == 202


def test_bad_requests_name_the_field(compute: ComputeEnv) -> None:
    cases: list[tuple[dict[str, Any], str, tuple[int, int] | None]] = [
        ({'name': ''}, 'name', None),
        ({'name': 'keypair-'.ljust(260, '0')}, 'name', None),
        ({'name': 'key_/.\\@:'}, 'name', None),
        ({'name': ' leading'}, 'name', None),
        ({'name': 'has@at'}, 'name', (2, 91)),
        ({'public_key': TEMPEST_RSA}, 'name', None),
        ({'name': 'k', 'public_key': 'ssh-rsa JUNK nova@ubuntu'}, 'public_key', None),
        ({'name': 'k', 'public_key': ' '}, 'public_key', None),
        ({'name': 'k', 'public_key': 'ssh-rsa ' + 'A' * 2048}, 'public_key', None),
        ({'name': 'k', 'public_key': TEMPEST_RSA, 'type': 'x509'}, 'public_key', (2, 2)),
        ({'name': 'k', 'type': 'ssh'}, 'type', None),
        ({'name': 'k', 'type': 'pgp'}, 'type', (2, 2)),
        ({'name': 'k', 'user_id': 'u'}, 'user_id', (2, 9)),
        ({'name': 'k'}, 'public_key', (2, 92)),
    ]
    for keypair, field, version in cases:
        response = call(compute.member, 'POST', '/os-keypairs', {'keypair': keypair},
                        version=version)
        assert response.status_int == 400, (keypair, response.text)
        assert field in response.json['badRequest']['message'], (keypair, response.text)
    assert call(compute.member, 'GET', '/os-keypairs').json['keypairs'] == []
    assert call(compute.anonymous, 'GET', '/os-keypairs').status_int == 401


def test_type_from_2_2(compute: ComputeEnv) -> None:
    v22 = (2, 2)
    ssh = call(compute.member, 'POST', '/os-keypairs', {'keypair': {'name': 'ssh22'}},
               version=v22)
    assert ssh.status_int == 201 and ssh.json['keypair']['type'] == 'ssh'
    cert = call(compute.member, 'POST', '/os-keypairs',
                {'keypair': {'name': 'cert22', 'type': 'x509'}}, version=v22)
    assert cert.status_int == 201, cert.text
    assert cert.json['keypair']['type'] == 'x509'
    assert cert.json['keypair']['public_key'].startswith('-----BEGIN CERTIFICATE-----')
    assert len(cert.json['keypair']['fingerprint']) == 59  # SHA-1, colon hex
    shown = call(compute.member, 'GET', '/os-keypairs/cert22', version=v22).json['keypair']
    assert set(shown) == DETAIL_21 | {'type'} and shown['type'] == 'x509'
    listed = call(compute.member, 'GET', '/os-keypairs', version=v22).json['keypairs']
    assert {k['keypair']['name']: k['keypair']['type'] for k in listed} == {
        'ssh22': 'ssh', 'cert22': 'x509'}
    # At 2.1 the same keypairs show no type.
    assert 'type' not in call(compute.member, 'GET', '/os-keypairs/ssh22').json['keypair']
    for name in ('ssh22', 'cert22'):
        assert call(compute.member, 'DELETE', f'/os-keypairs/{name}',
                    version=v22).status_int == 204


def test_admin_acts_for_another_user_from_2_10(compute: ComputeEnv) -> None:
    v210 = (2, 10)
    member_id = user_id(compute, compute.member)
    created = call(compute.admin, 'POST', '/os-keypairs',
                   {'keypair': {'name': 'for-member', 'user_id': member_id,
                                'type': 'ssh'}}, version=v210)
    assert created.status_int == 201, created.text
    assert created.json['keypair']['user_id'] == member_id
    mine = call(compute.member, 'GET', '/os-keypairs/for-member', version=v210)
    assert mine.status_int == 200 and mine.json['keypair']['user_id'] == member_id
    shown = call(compute.admin, 'GET', f'/os-keypairs/for-member?user_id={member_id}',
                 version=v210)
    assert shown.status_int == 200 and shown.json['keypair']['user_id'] == member_id
    listed = call(compute.admin, 'GET', f'/os-keypairs?user_id={member_id}', version=v210)
    assert [k['keypair']['name'] for k in listed.json['keypairs']] == ['for-member']
    # Before 2.10 user_id is ignored: the admin's own keypairs.
    assert call(compute.admin, 'GET', f'/os-keypairs/for-member?user_id={member_id}',
                ).status_int == 404
    # A non-admin cannot act for someone else.
    admin_id = user_id(compute, compute.admin)
    assert call(compute.member, 'GET', f'/os-keypairs?user_id={admin_id}',
                version=v210).status_int == 403
    assert call(compute.member, 'POST', '/os-keypairs',
                {'keypair': {'name': 'x', 'user_id': admin_id}},
                version=v210).status_int == 403
    assert call(compute.admin, 'DELETE', f'/os-keypairs/for-member?user_id={member_id}',
                version=v210).status_int == 204
    assert call(compute.member, 'GET', '/os-keypairs/for-member').status_int == 404


def test_paging_from_2_35(compute: ComputeEnv) -> None:
    for name in ('p1', 'p2', 'p3'):
        assert call(compute.reader, 'POST', '/os-keypairs',
                    {'keypair': {'name': name, 'public_key': TEMPEST_RSA}}).status_int == 200
    v235 = (2, 35)
    first = call(compute.reader, 'GET', '/os-keypairs?limit=2', version=v235).json
    assert [k['keypair']['name'] for k in first['keypairs']] == ['p1', 'p2']
    assert first['keypairs_links'][0]['rel'] == 'next'
    assert first['keypairs_links'][0]['href'].endswith('/v2.1/os-keypairs?limit=2&marker=p2')
    rest = call(compute.reader, 'GET', '/os-keypairs?limit=2&marker=p2', version=v235).json
    assert [k['keypair']['name'] for k in rest['keypairs']] == ['p3']
    assert 'keypairs_links' not in rest
    assert call(compute.reader, 'GET', '/os-keypairs?marker=nope',
                version=v235).status_int == 400
    assert call(compute.reader, 'GET', '/os-keypairs?limit=x', version=v235).status_int == 400
    # Before 2.35 the list is whole.
    assert len(call(compute.reader, 'GET', '/os-keypairs?limit=1').json['keypairs']) == 3
    for name in ('p1', 'p2', 'p3'):
        call(compute.reader, 'DELETE', f'/os-keypairs/{name}')


def test_2_92_imports_names_with_at(compute: ComputeEnv) -> None:
    created = call(compute.member, 'POST', '/os-keypairs',
                   {'keypair': {'name': 'me@host key', 'public_key': TEMPEST_RSA}},
                   version=(2, 92))
    assert created.status_int == 201, created.text
    assert call(compute.member, 'GET', '/os-keypairs/me@host%20key').status_int == 200
    assert call(compute.member, 'DELETE', '/os-keypairs/me@host%20key').status_int == 202
    dotted = call(compute.member, 'POST', '/os-keypairs',
                  {'keypair': {'name': 'my.key.json', 'public_key': TEMPEST_RSA}})
    assert dotted.status_int == 200, dotted.text
    shown = call(compute.member, 'GET', '/os-keypairs/my.key.json')
    assert shown.status_int == 200 and shown.json['keypair']['name'] == 'my.key.json'
    assert call(compute.member, 'DELETE', '/os-keypairs/my.key.json').status_int == 202


def test_boot_with_key_name(compute: ComputeEnv) -> None:
    created = call(compute.admin, 'POST', '/os-keypairs',
                   {'keypair': {'name': 'bootkey', 'public_key': TEMPEST_RSA}})
    assert created.status_int == 200
    before = compute.instance_count()
    unknown = compute.admin.post('/servers', {'server': compute.server_body(
        'nokey', with_volume=False, key_name='missing')})
    assert unknown.status_int == 400
    assert unknown.json['badRequest']['message'] == 'Invalid key_name provided.'
    # The member's own key is not the admin's to use, and the other way round.
    call(compute.member, 'POST', '/os-keypairs', {'keypair': {'name': 'memberkey'}})
    others = compute.admin.post('/servers', {'server': compute.server_body(
        'others', with_volume=False, key_name='memberkey')})
    assert others.status_int == 400
    assert compute.instance_count() == before

    server_id = compute.create('withkey', with_volume=False, key_name='bootkey')
    server = compute.wait(server_id)
    assert server['key_name'] == 'bootkey'
    instance = compute.cloud.instances.get(server_id)
    assert instance['key_data'] == TEMPEST_RSA
    plain = compute.wait(compute.create('nokey2', with_volume=False))
    assert plain['key_name'] is None
    assert compute.cloud.instances.get(plain['id'])['key_data'] is None
    # The server keeps its key after the keypair is gone.
    call(compute.admin, 'DELETE', '/os-keypairs/bootkey')
    assert compute.cloud.instances.get(server_id)['key_data'] == TEMPEST_RSA
    for sid in (server_id, plain['id']):
        assert compute.admin.delete(f'/servers/{sid}').status_int == 204
