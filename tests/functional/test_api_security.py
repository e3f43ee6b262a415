"""Security of the five REST APIs, over real HTTP against a running nova-lite-all.

Every request goes through what a client meets: the identity API's own token
check, keystonemiddleware's ``auth_token`` in front of compute, image, network
and block storage, then each API's policy and project scoping.

- No token, a tampered token, an expired token and a revoked token are 401 at
  every API (without a token, with ``WWW-Authenticate: Keystone uri=...``
  naming the identity API).
- A user with only the ``reader`` role can list but not create (403), and
  nothing is created.
- A member of project B gets 404 for project A's network, subnet, port, image,
  volume and server, and does not see them in its lists.
- No password ever reaches the log file or stderr (debug logging is on).

keystonemiddleware caches a validated token for ``[keystone_authtoken]
token_cache_time`` seconds (nova_lite/wiring/apps.py does not change
keystonemiddleware's default, 300 s; no memcached, so the cache is the API
worker's memory). A cached token's ``expires_at`` is checked on every request,
so expiry always wins; a revocation is only seen when the token is validated
again, i.e. up to 300 s later for a token used before it was revoked (see
test_revoked_token_used_before_is_401_everywhere).

One cloud (fake virt driver) serves most of the module; a second one with
``[identity] token_expiration = 3`` serves the expiry tests.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from nova_lite.wiring import apps
from tests.functional import nova_lite_all

TOKEN_LIFETIME = 3
ADMIN = {'name': 'admin', 'password': nova_lite_all.ADMIN_PASSWORD, 'project': 'admin'}
APIS = ('identity', 'compute', 'image', 'network', 'volume')
SERVICE_APIS = APIS[1:]


class Api:
    """Plain HTTP calls to one running cloud's five APIs."""

    def __init__(self, cloud: nova_lite_all.RunningCloud) -> None:
        self.cloud = cloud
        self.http = requests.Session()

    def url(self, api: str, path: str) -> str:
        return f'http://127.0.0.1:{self.cloud.ports[api]}{path}'

    def call(self, method: str, api: str, path: str, token: str | None = None,
             body: Any = None, headers: dict[str, str] | None = None) -> requests.Response:
        sent = dict(headers or {})
        if token is not None:
            sent['X-Auth-Token'] = token
        return self.http.request(method, self.url(api, path), json=body, headers=sent,
                                 timeout=30)

    def ok(self, method: str, api: str, path: str, token: str, body: Any = None,
           expect: int | tuple[int, ...] = (200, 201, 202, 204)) -> Any:
        resp = self.call(method, api, path, token, body)
        allowed = expect if isinstance(expect, tuple) else (expect,)
        assert resp.status_code in allowed, (method, path, resp.status_code, resp.text)
        return resp.json() if resp.content else None

    def issue(self, user: str, password: str, project: str) -> tuple[str, dict[str, Any]]:
        """A project-scoped token (by names in the Default domain) and its body."""
        resp = self.call('POST', 'identity', '/v3/auth/tokens', body={'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': user, 'domain': {'id': 'default'}, 'password': password}}},
            'scope': {'project': {'name': project, 'domain': {'id': 'default'}}}}})
        assert resp.status_code == 201, resp.text
        return resp.headers['X-Subject-Token'], resp.json()['token']

    def probe(self, api: str, token: str | None, project_id: str) -> requests.Response:
        """A read at ``api`` that needs a valid (admin or project) token."""
        path = {'identity': '/v3/projects', 'compute': '/v2.1/servers',
                'image': '/v2/images', 'network': '/v2.0/networks',
                'volume': f'/v3/{project_id}/volumes'}[api]
        return self.call('GET', api, path, token)

    def statuses(self, token: str | None, project_id: str,
                 apis: tuple[str, ...] = APIS) -> dict[str, int]:
        return {api: self.probe(api, token, project_id).status_code for api in apis}


class World:
    """What the module's tests share: the cloud, the admin's token and some resources."""

    def __init__(self, api: Api, token: str, project_id: str) -> None:
        self.api = api
        self.token = token
        self.project_id = project_id
        self.passwords = [nova_lite_all.ADMIN_PASSWORD, nova_lite_all.SERVICE_PASSWORD]
        roles = api.ok('GET', 'identity', '/v3/roles', token)['roles']
        self.roles = {role['name']: role['id'] for role in roles}

    def new_project(self, name: str) -> str:
        return self.api.ok('POST', 'identity', '/v3/projects', self.token,
                           {'project': {'name': name, 'domain_id': 'default'}})['project']['id']

    def new_user(self, name: str, project_id: str, role: str) -> str:
        """A user holding only ``role`` on the project; returns its password."""
        password = f'pw-{name}-{uuid.uuid4().hex}'
        self.passwords.append(password)
        user = self.api.ok('POST', 'identity', '/v3/users', self.token, {'user': {
            'name': name, 'password': password, 'domain_id': 'default',
            'default_project_id': project_id}})['user']
        self.api.ok('PUT', 'identity', f'/v3/projects/{project_id}/users/{user["id"]}'
                    f'/roles/{self.roles[role]}', self.token, expect=204)
        return password


def _start(workdir: str, extra_config: str = '') -> nova_lite_all.RunningCloud:
    cloud = nova_lite_all.RunningCloud(workdir, fault_injection=False, virt_driver='fake',
                                       extra_config=extra_config)
    cloud.start()
    return cloud


def _stop(cloud: nova_lite_all.RunningCloud) -> None:
    if cloud.process is not None and cloud.process.poll() is None:
        cloud.stop()


@pytest.fixture(scope='module')
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    cloud = _start(str(tmp_path_factory.mktemp('security')))
    try:
        api = Api(cloud)
        token, body = api.issue(ADMIN['name'], ADMIN['password'], ADMIN['project'])
        yield World(api, token, body['project']['id'])
    finally:
        _stop(cloud)


@pytest.fixture(scope='module')
def expiring(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    cloud = _start(str(tmp_path_factory.mktemp('expiring')),
                   f'[identity]\ntoken_expiration = {TOKEN_LIFETIME}\n')
    try:
        yield Api(cloud)
    finally:
        _stop(cloud)


@pytest.fixture(scope='module')
def image_data(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = str(tmp_path_factory.mktemp('img') / 'tiny.qcow2')
    subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', path, '64M'], check=True)
    with open(path, 'rb') as image:
        return image.read()


def _upload(api: Api, token: str, image_id: str, data: bytes) -> None:
    resp = api.http.put(api.url('image', f'/v2/images/{image_id}/file'), data=data,
                        headers={'X-Auth-Token': token,
                                 'Content-Type': 'application/octet-stream'}, timeout=30)
    assert resp.status_code == 204, resp.text


@pytest.fixture(scope='module')
def shared(world: World, image_data: bytes) -> dict[str, str]:
    """The admin's public image and flavor, and a network with a subnet in its project."""
    api, token = world.api, world.token
    image = api.ok('POST', 'image', '/v2/images', token, {
        'name': 'public-img', 'disk_format': 'qcow2', 'container_format': 'bare',
        'visibility': 'public'})
    _upload(api, token, image['id'], image_data)
    flavor = api.ok('POST', 'compute', '/v2.1/flavors', token, {'flavor': {
        'name': 'tiny', 'ram': 64, 'vcpus': 1, 'disk': 1}})['flavor']
    network = api.ok('POST', 'network', '/v2.0/networks', token,
                     {'network': {'name': 'admin-net'}})['network']
    api.ok('POST', 'network', '/v2.0/subnets', token, {'subnet': {
        'network_id': network['id'], 'cidr': '10.50.0.0/24', 'ip_version': 4}})
    return {'image': image['id'], 'flavor': flavor['id'], 'network': network['id']}


def _flip_middle(token: str) -> str:
    middle = len(token) // 2
    flipped = 'B' if token[middle] == 'A' else 'A'
    return token[:middle] + flipped + token[middle + 1:]


def _expires_at(token_body: dict[str, Any]) -> float:
    text = token_body['expires_at'].replace('Z', '+00:00')
    return datetime.datetime.fromisoformat(text).timestamp()


def _all(status: int, apis: tuple[str, ...] = APIS) -> dict[str, int]:
    return {api: status for api in apis}


# --- no token, tampered token ------------------------------------------------------


def test_a_valid_token_is_accepted_everywhere(world: World) -> None:
    assert world.api.statuses(world.token, world.project_id) == _all(200)


def test_no_token_is_401_naming_the_identity_api(world: World) -> None:
    identity = world.api.url('identity', '')
    for api in APIS:
        resp = world.api.probe(api, None, world.project_id)
        assert resp.status_code == 401, (api, resp.text)
        challenge = resp.headers.get('WWW-Authenticate', '')
        assert challenge.startswith('Keystone uri='), (api, challenge)
        assert identity in challenge, (api, challenge)


def test_tampered_token_is_401_everywhere(world: World) -> None:
    tampered = _flip_middle(world.token)
    assert tampered != world.token and len(tampered) == len(world.token)
    assert world.api.statuses(tampered, world.project_id) == _all(401)
    for api in APIS:  # the challenge comes with it
        resp = world.api.probe(api, tampered, world.project_id)
        assert 'WWW-Authenticate' in resp.headers, api
    truncated = world.token[:-4]
    assert world.api.statuses(truncated, world.project_id) == _all(401)
    assert world.api.statuses('not-a-token', world.project_id) == _all(401)
    # The real token still works: a bad one was not cached in its place.
    assert world.api.statuses(world.token, world.project_id) == _all(200)


def test_tampered_token_cannot_create(world: World) -> None:
    tampered = _flip_middle(world.token)
    before = world.api.ok('GET', 'network', '/v2.0/networks', world.token)['networks']
    resp = world.api.call('POST', 'network', '/v2.0/networks', tampered,
                          {'network': {'name': 'forged'}})
    assert resp.status_code == 401, resp.text
    resp = world.api.call('POST', 'identity', '/v3/users', tampered,
                          {'user': {'name': 'forged', 'password': 'x-forged-secret'}})
    assert resp.status_code == 401, resp.text
    assert world.api.ok('GET', 'network', '/v2.0/networks', world.token)['networks'] == before
    users = world.api.ok('GET', 'identity', '/v3/users', world.token)['users']
    assert 'forged' not in [user['name'] for user in users]


# --- expired tokens (the second cloud) ----------------------------------------------


def test_expired_token_is_401_everywhere(expiring: Api) -> None:
    """Two tokens: one used (and cached by keystonemiddleware) before it expires, one not."""
    used, body = expiring.issue(ADMIN['name'], ADMIN['password'], ADMIN['project'])
    fresh, fresh_body = expiring.issue(ADMIN['name'], ADMIN['password'], ADMIN['project'])
    project_id = body['project']['id']
    assert used != fresh
    early = expiring.statuses(used, project_id)
    assert time.time() < _expires_at(body), 'too slow: the token expired while in use'
    assert early == _all(200)

    time.sleep(max(_expires_at(body), _expires_at(fresh_body)) - time.time() + 1.0)

    assert expiring.statuses(fresh, project_id) == _all(401)
    # keystonemiddleware still has ``used`` in its cache, but checks expires_at on
    # every request: an expired token is refused at once, whatever token_cache_time is.
    assert expiring.statuses(used, project_id) == _all(401)
    # The identity API does not revive it either.
    resp = expiring.call('GET', 'identity', '/v3/auth/tokens', fresh,
                         headers={'X-Subject-Token': fresh})
    assert resp.status_code == 401, resp.text


# --- revoked tokens -----------------------------------------------------------------


def test_revoked_token_is_401_everywhere(world: World) -> None:
    token, _ = world.api.issue(ADMIN['name'], ADMIN['password'], ADMIN['project'])
    resp = world.api.call('DELETE', 'identity', '/v3/auth/tokens', world.token,
                          headers={'X-Subject-Token': token})
    assert resp.status_code == 204, resp.text
    assert world.api.statuses(token, world.project_id) == _all(401)
    resp = world.api.call('GET', 'identity', '/v3/auth/tokens', world.token,
                          headers={'X-Subject-Token': token})
    assert resp.status_code == 404, resp.text
    # Revoking one token leaves the others alone.
    assert world.api.statuses(world.token, world.project_id) == _all(200)


def test_a_token_revokes_itself(world: World) -> None:
    token, _ = world.api.issue(ADMIN['name'], ADMIN['password'], ADMIN['project'])
    resp = world.api.call('DELETE', 'identity', '/v3/auth/tokens', token,
                          headers={'X-Subject-Token': token})
    assert resp.status_code == 204, resp.text
    assert world.api.statuses(token, world.project_id) == _all(401)


def test_revoked_token_used_before_is_401_at_identity(world: World) -> None:
    token, _ = world.api.issue(ADMIN['name'], ADMIN['password'], ADMIN['project'])
    assert world.api.statuses(token, world.project_id) == _all(200)
    resp = world.api.call('DELETE', 'identity', '/v3/auth/tokens', world.token,
                          headers={'X-Subject-Token': token})
    assert resp.status_code == 204, resp.text
    assert world.api.statuses(token, world.project_id, ('identity',)) == {'identity': 401}


def test_revoked_token_used_before_is_401_everywhere_within_the_cache_time(
        world: World) -> None:
    """A token the service APIs validated (and cached) before it was revoked is
    refused everywhere once the cached validation expires: at most
    [keystone_authtoken] token_cache_time (nova_lite's default, 10 s) later;
    identity refuses it at once."""
    token, _ = world.api.issue(ADMIN['name'], ADMIN['password'], ADMIN['project'])
    assert world.api.statuses(token, world.project_id) == _all(200)
    resp = world.api.call('DELETE', 'identity', '/v3/auth/tokens', world.token,
                          headers={'X-Subject-Token': token})
    assert resp.status_code == 204, resp.text
    revoked_at = time.monotonic()
    assert world.api.statuses(token, world.project_id, ('identity',)) == {'identity': 401}
    time.sleep(max(0.0, apps.TOKEN_CACHE_TIME + 1 - (time.monotonic() - revoked_at)))
    assert world.api.statuses(token, world.project_id) == _all(401)


# --- the reader role ----------------------------------------------------------------


def _admin_counts(world: World) -> dict[str, int]:
    api, token, project = world.api, world.token, world.project_id
    return {
        'servers': len(api.ok('GET', 'compute', '/v2.1/servers', token)['servers']),
        'flavors': len(api.ok('GET', 'compute', '/v2.1/flavors', token)['flavors']),
        'images': len(api.ok('GET', 'image', '/v2/images', token)['images']),
        'networks': len(api.ok('GET', 'network', '/v2.0/networks', token)['networks']),
        'subnets': len(api.ok('GET', 'network', '/v2.0/subnets', token)['subnets']),
        'volumes': len(api.ok('GET', 'volume', f'/v3/{project}/volumes', token)['volumes']),
    }


def test_reader_can_list_but_not_create(world: World, shared: dict[str, str]) -> None:
    api, project = world.api, world.project_id
    password = world.new_user('auditor', project, 'reader')
    token, body = api.issue('auditor', password, 'admin')
    assert [role['name'] for role in body['roles']] == ['reader']
    before = _admin_counts(world)

    seen = {
        'servers': api.ok('GET', 'compute', '/v2.1/servers', token)['servers'],
        'flavors': api.ok('GET', 'compute', '/v2.1/flavors', token)['flavors'],
        'images': api.ok('GET', 'image', '/v2/images', token)['images'],
        'networks': api.ok('GET', 'network', '/v2.0/networks', token)['networks'],
        'volumes': api.ok('GET', 'volume', f'/v3/{project}/volumes', token)['volumes'],
    }
    assert shared['flavor'] in [flavor['id'] for flavor in seen['flavors']]
    assert shared['image'] in [image['id'] for image in seen['images']]
    assert shared['network'] in [network['id'] for network in seen['networks']]

    creates = [
        ('compute', '/v2.1/servers', {'server': {
            'name': 'by-reader', 'imageRef': shared['image'], 'flavorRef': shared['flavor'],
            'networks': [{'uuid': shared['network']}]}}),
        ('compute', '/v2.1/flavors', {'flavor': {
            'name': 'by-reader', 'ram': 64, 'vcpus': 1, 'disk': 1}}),
        ('image', '/v2/images', {'name': 'by-reader', 'disk_format': 'qcow2',
                                 'container_format': 'bare'}),
        ('network', '/v2.0/networks', {'network': {'name': 'by-reader'}}),
        ('network', '/v2.0/subnets', {'subnet': {
            'network_id': shared['network'], 'cidr': '10.51.0.0/24', 'ip_version': 4}}),
        ('volume', f'/v3/{project}/volumes', {'volume': {'name': 'by-reader', 'size': 1}}),
        ('identity', '/v3/projects', {'project': {'name': 'by-reader'}}),
    ]
    for service, path, payload in creates:
        resp = api.call('POST', service, path, token, payload)
        assert resp.status_code == 403, (path, resp.status_code, resp.text)
    assert _admin_counts(world) == before
    projects = api.ok('GET', 'identity', '/v3/projects', world.token)['projects']
    assert 'by-reader' not in [p['name'] for p in projects]


# --- project isolation --------------------------------------------------------------


def _wait_server(api: Api, token: str, server_id: str, status: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        server = api.ok('GET', 'compute', f'/v2.1/servers/{server_id}', token)['server']
        if server['status'] == status:
            return server
        assert server['status'] != 'ERROR', server
        time.sleep(0.3)
    raise AssertionError(f'server {server_id} never reached {status}')


@pytest.fixture(scope='module')
def tenants(world: World, shared: dict[str, str], image_data: bytes) -> dict[str, Any]:
    """Projects A and B with a member each; A owns a network, subnet, port, image,
    volume and an ACTIVE server."""
    api = world.api
    ids = {}
    for name in ('proj-a', 'proj-b'):
        project_id = world.new_project(name)
        password = world.new_user(f'member-{name}', project_id, 'member')
        token, _ = api.issue(f'member-{name}', password, name)
        ids[name] = {'project': project_id, 'token': token}
    token_a, project_a = ids['proj-a']['token'], ids['proj-a']['project']
    network = api.ok('POST', 'network', '/v2.0/networks', token_a,
                     {'network': {'name': 'net-a'}})['network']
    subnet = api.ok('POST', 'network', '/v2.0/subnets', token_a, {'subnet': {
        'network_id': network['id'], 'cidr': '10.60.0.0/24', 'ip_version': 4}})['subnet']
    image = api.ok('POST', 'image', '/v2/images', token_a, {
        'name': 'img-a', 'disk_format': 'qcow2', 'container_format': 'bare',
        'visibility': 'private'})
    _upload(api, token_a, image['id'], image_data)
    volume = api.ok('POST', 'volume', f'/v3/{project_a}/volumes', token_a,
                    {'volume': {'name': 'vol-a', 'size': 1}})['volume']
    server = api.ok('POST', 'compute', '/v2.1/servers', token_a, {'server': {
        'name': 'vm-a', 'imageRef': image['id'], 'flavorRef': shared['flavor'],
        'networks': [{'uuid': network['id']}]}})['server']
    _wait_server(api, token_a, server['id'], 'ACTIVE')
    ports = api.ok('GET', 'network', f'/v2.0/ports?device_id={server["id"]}',
                   token_a)['ports']
    assert len(ports) == 1, ports
    return {'a': ids['proj-a'], 'b': ids['proj-b'], 'network': network['id'],
            'subnet': subnet['id'], 'image': image['id'], 'volume': volume['id'],
            'server': server['id'], 'port': ports[0]['id']}


def _a_resources(tenants: dict[str, Any], project: str) -> dict[str, tuple[str, str]]:
    """Where each of A's resources is read, from a caller acting in ``project``."""
    return {
        'network': ('network', f'/v2.0/networks/{tenants["network"]}'),
        'subnet': ('network', f'/v2.0/subnets/{tenants["subnet"]}'),
        'port': ('network', f'/v2.0/ports/{tenants["port"]}'),
        'image': ('image', f'/v2/images/{tenants["image"]}'),
        'image file': ('image', f'/v2/images/{tenants["image"]}/file'),
        'volume': ('volume', f'/v3/{project}/volumes/{tenants["volume"]}'),
        'server': ('compute', f'/v2.1/servers/{tenants["server"]}'),
    }


def test_owner_sees_its_resources(world: World, tenants: dict[str, Any]) -> None:
    token = tenants['a']['token']
    for name, (service, path) in _a_resources(tenants, tenants['a']['project']).items():
        resp = world.api.call('GET', service, path, token)
        assert resp.status_code == 200, (name, resp.status_code, resp.text)


def test_other_project_gets_404(world: World, tenants: dict[str, Any]) -> None:
    token = tenants['b']['token']
    for name, (service, path) in _a_resources(tenants, tenants['b']['project']).items():
        resp = world.api.call('GET', service, path, token)
        assert resp.status_code == 404, (name, resp.status_code, resp.text)


def test_other_project_lists_do_not_show_them(world: World,
                                               tenants: dict[str, Any]) -> None:
    api, token, project_b = world.api, tenants['b']['token'], tenants['b']['project']
    listed = {
        'network': api.ok('GET', 'network', '/v2.0/networks', token)['networks'],
        'subnet': api.ok('GET', 'network', '/v2.0/subnets', token)['subnets'],
        'port': api.ok('GET', 'network', '/v2.0/ports', token)['ports'],
        'image': api.ok('GET', 'image', '/v2/images', token)['images'],
        'volume': api.ok('GET', 'volume', f'/v3/{project_b}/volumes/detail',
                         token)['volumes'],
        'server': api.ok('GET', 'compute', '/v2.1/servers/detail', token)['servers'],
    }
    for name, items in listed.items():
        assert tenants[name] not in [item['id'] for item in items], name
    # Asking for another project's resources by filter or flag shows nothing either.
    by_device = api.ok('GET', 'network', f'/v2.0/ports?device_id={tenants["server"]}',
                       token)['ports']
    assert by_device == []
    resp = api.call('GET', 'compute', '/v2.1/servers/detail?all_tenants=1', token)
    assert resp.status_code == 403, resp.text
    assert tenants['server'] not in resp.text


def test_other_project_cannot_use_project_a_urls(world: World,
                                                 tenants: dict[str, Any]) -> None:
    """B's token with A's project in the URL is refused (cinder: 400; nova: 403)."""
    api, token, project_a = world.api, tenants['b']['token'], tenants['a']['project']
    resp = api.call('GET', 'volume', f'/v3/{project_a}/volumes/{tenants["volume"]}', token)
    assert resp.status_code == 400, resp.text
    resp = api.call('GET', 'volume', f'/v3/{project_a}/volumes', token)
    assert resp.status_code == 400, resp.text
    resp = api.call('GET', 'compute', f'/v2.1/{project_a}/servers/{tenants["server"]}',
                    token)
    assert resp.status_code == 403, resp.text
    assert tenants['volume'] not in resp.text and tenants['server'] not in resp.text


def test_other_project_cannot_change_or_delete(world: World,
                                               tenants: dict[str, Any]) -> None:
    api, token_b, project_b = world.api, tenants['b']['token'], tenants['b']['project']
    attempts = [
        ('PUT', 'network', f'/v2.0/networks/{tenants["network"]}',
         {'network': {'name': 'stolen'}}),
        ('PATCH', 'image', f'/v2/images/{tenants["image"]}', None),
        ('PUT', 'volume', f'/v3/{project_b}/volumes/{tenants["volume"]}',
         {'volume': {'name': 'stolen'}}),
        ('POST', 'compute', f'/v2.1/servers/{tenants["server"]}/action', {'os-stop': None}),
        ('DELETE', 'compute', f'/v2.1/servers/{tenants["server"]}', None),
        ('DELETE', 'volume', f'/v3/{project_b}/volumes/{tenants["volume"]}', None),
        ('DELETE', 'image', f'/v2/images/{tenants["image"]}', None),
        ('DELETE', 'network', f'/v2.0/ports/{tenants["port"]}', None),
        ('DELETE', 'network', f'/v2.0/subnets/{tenants["subnet"]}', None),
        ('DELETE', 'network', f'/v2.0/networks/{tenants["network"]}', None),
    ]
    for method, service, path, body in attempts:
        if method == 'PATCH':
            resp = api.http.patch(
                api.url(service, path), timeout=30,
                json=[{'op': 'replace', 'path': '/name', 'value': 'stolen'}],
                headers={'X-Auth-Token': token_b,
                         'Content-Type': 'application/openstack-images-v2.1-json-patch'})
        else:
            resp = api.call(method, service, path, token_b, body)
        assert resp.status_code == 404, (method, path, resp.status_code, resp.text)
    token_a, project_a = tenants['a']['token'], tenants['a']['project']
    for name, (service, path) in _a_resources(tenants, project_a).items():
        resp = api.call('GET', service, path, token_a)
        assert resp.status_code == 200, (name, resp.status_code, resp.text)
        assert 'stolen' not in resp.text, name
    server = api.ok('GET', 'compute', f'/v2.1/servers/{tenants["server"]}', token_a)
    assert server['server']['status'] == 'ACTIVE'


# --- logs (keep last: it reads what every test above made the cloud log) -------------


def test_passwords_never_appear_in_logs(world: World, expiring: Api,
                                        tenants: dict[str, Any]) -> None:
    assert len(world.passwords) >= 5  # admin, service, reader, two members
    # A failed login with a wrong password must not log it either.
    wrong = f'wrong-{uuid.uuid4().hex}'
    resp = world.api.call('POST', 'identity', '/v3/auth/tokens', body={'auth': {
        'identity': {'methods': ['password'], 'password': {'user': {
            'name': 'admin', 'domain': {'id': 'default'}, 'password': wrong}}}}})
    assert resp.status_code == 401, resp.text
    secrets = [world.token, tenants['a']['token'], tenants['b']['token']]
    time.sleep(0.5)  # let the worker flush its log lines
    for cloud in (world.api.cloud, expiring.cloud):
        for path in (cloud.log_file, cloud.stderr_path):
            assert os.path.exists(path), path
            with open(path, encoding='utf-8', errors='replace') as log:
                text = log.read()
            for password in [*world.passwords, wrong]:
                assert password not in text, f'a password appears in {path}'
            for token in secrets:  # nor do the tokens themselves
                assert token not in text, f'a token appears in {path}'
        with open(cloud.log_file, encoding='utf-8', errors='replace') as log:
            assert 'DEBUG' in log.read(), 'debug logging is off: the check proves little'
