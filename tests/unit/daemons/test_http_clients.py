"""The HTTP service clients against served WSGI apps (cheroot on free ports).

The image and identity APIs are the real ones. The network and block storage
calls go to small stand-ins that answer in neutron's and cinder's shapes, so
the request paths, bodies and error mapping of the clients are checked
independently of those APIs' progress.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import webob

from nova_lite.api import auth as api_auth
from nova_lite.api import server as wsgi_server
from nova_lite.clients import http, http_auth
from nova_lite.common import exception, notifications
from nova_lite.identity import rest as identity_rest
from nova_lite.image import rest as image_rest
from tests.functional.conftest import CloudEnv, MakeEnv, make_env  # noqa: F401

PORT_ID = str(uuid.uuid4())


class _StubNetworkAndVolumeAPI:
    """Answers like neutron (``/v2.0/...``) and cinder (``/v3/{project}/...``)."""

    def __init__(self, validate: Callable[[str], dict[str, Any]]) -> None:
        self.requests: list[tuple[str, str, Any, dict[str, str]]] = []
        self._validate = validate

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        req = webob.Request(environ)
        body = json.loads(req.body) if req.body else None
        self.requests.append((req.method, req.path_qs, body, dict(req.headers)))
        try:
            self._validate(req.headers.get('X-Auth-Token', ''))
        except exception.NotAuthorized:
            return self._reply(environ, start_response, 401,
                               {'error': {'message': 'bad token'}})
        status, reply = self._route(req.method, req.path, body)
        return self._reply(environ, start_response, status, reply)

    @staticmethod
    def _reply(environ: dict[str, Any], start_response: Callable[..., Any], status: int,
               body: Any) -> Any:
        response = webob.Response(status=status)
        if body is not None:
            response.json_body = body
        return response(environ, start_response)

    @staticmethod
    def _route(method: str, path: str, body: Any) -> tuple[int, Any]:
        port = {'id': PORT_ID, 'network_id': 'net-1', 'mac_address': 'fa:16:3e:00:00:01',
                'fixed_ips': [{'subnet_id': 's', 'ip_address': '10.0.0.5'}],
                'binding:host_id': 'h1', 'device_id': 'i1'}
        if method == 'POST' and path == '/v2.0/ports':
            if body['port']['network_id'] == 'full':
                return 409, {'NeutronError': {'type': 'IpAddressExhausted',
                                              'message': 'No more IP addresses', 'detail': ''}}
            return 201, {'port': {**port, **body['port']}}
        if method == 'GET' and path == '/v2.0/ports':
            return 200, {'ports': [port]}
        if method == 'DELETE' and path.startswith('/v2.0/ports/'):
            return (204, None) if path.endswith(PORT_ID) else (
                404, {'NeutronError': {'type': 'NotFound', 'message': 'Port gone',
                                       'detail': ''}})
        if method == 'GET' and path.startswith('/v2.0/networks/'):
            return 200, {'network': {'id': path.rsplit('/', 1)[1], 'name': 'net'}}
        group = {'id': 'sg-1', 'name': 'web', 'security_group_rules': []}
        if path == '/v2.0/security-groups':
            return ((200, {'security_groups': [group]}) if method == 'GET' else
                    (201, {'security_group': {**group, **body['security_group']}}))
        if path == '/v2.0/security-groups/sg-1':
            return {'GET': (200, {'security_group': group}),
                    'PUT': (200, {'security_group': {**group, **(body or {}).get(
                        'security_group', {})}}),
                    'DELETE': (204, None)}[method]
        if path == '/v2.0/security-groups/in-use' and method == 'DELETE':
            return 409, {'NeutronError': {'type': 'SecurityGroupInUse',
                                          'message': 'Security Group in-use in use.',
                                          'detail': ''}}
        if path == '/v2.0/security-group-rules' and method == 'POST':
            return 201, {'security_group_rule': {'id': 'r-1', **body['security_group_rule']}}
        if path == '/v2.0/security-group-rules/r-1' and method == 'DELETE':
            return 204, None
        if re.fullmatch(r'/v3/\w+/attachments', path) and method == 'POST':
            attachment = body['attachment']
            return 200, {'attachment': {'id': 'att-1', 'status': 'reserved',
                                        'volume_id': attachment['volume_uuid'],
                                        'instance': attachment['instance_uuid']}}
        if re.fullmatch(r'/v3/\w+/attachments/att-1', path) and method == 'PUT':
            return 200, {'attachment': {'id': 'att-1', 'status': 'attached',
                                        'connection_info': {'driver_volume_type': 'file',
                                                            'data': {'device_path': '/x'}}}}
        if re.fullmatch(r'/v3/\w+/attachments/.+', path) and method == 'DELETE':
            return 404, {'itemNotFound': {'code': 404, 'message': 'no attachment'}}
        volume = {'id': 'vol-1', 'name': 'v', 'size': 1, 'status': 'available'}
        if re.fullmatch(r'/v3/\w+/volumes/detail', path) and method == 'GET':
            return 200, {'volumes': [volume]}
        if re.fullmatch(r'/v3/\w+/volumes', path) and method == 'POST':
            return 202, {'volume': {**volume, **body['volume']}}
        if re.fullmatch(r'/v3/\w+/volumes/vol-1', path) and method == 'DELETE':
            return 202, None
        if re.fullmatch(r'/v3/\w+/volumes/.+', path):
            return 400, {'badRequest': {'code': 400, 'message': "Invalid value for 'id'"}}
        snapshot = {'id': 'snap-1', 'volume_id': 'vol-1', 'status': 'available', 'size': 1}
        if re.fullmatch(r'/v3/\w+/snapshots/detail', path) and method == 'GET':
            return 200, {'snapshots': [snapshot]}
        if re.fullmatch(r'/v3/\w+/snapshots', path) and method == 'POST':
            return 202, {'snapshot': {**snapshot, 'name': body['snapshot']['name']}}
        if re.fullmatch(r'/v3/\w+/snapshots/snap-1', path):
            return (200, {'snapshot': snapshot}) if method == 'GET' else (202, None)
        return 404, {'itemNotFound': {'code': 404, 'message': f'{path} not found'}}


@pytest.fixture
def served(make_env: MakeEnv) -> Iterator[tuple[CloudEnv, _StubNetworkAndVolumeAPI]]:  # noqa: F811
    env = make_env()
    services, identity = env.cloud.services, env.cloud.identity

    def local_auth(app: Any) -> Any:
        return api_auth.LocalTokenAuth(app, identity.validate_token)

    stub = _StubNetworkAndVolumeAPI(identity.validate_token)
    servers = [wsgi_server.WSGIServer('identity', identity_rest.make_app(
                   env.cloud.conf, services, None, 'http://127.0.0.1:1'), '127.0.0.1', 0),
               wsgi_server.WSGIServer('image', image_rest.make_app(
                   env.cloud.conf, services, local_auth, 'http://127.0.0.1:1'), '127.0.0.1', 0),
               wsgi_server.WSGIServer('stub', stub, '127.0.0.1', 0)]
    for server in servers:
        server.start()
    urls = {'identity': f'{servers[0].url}/v3', 'image': servers[1].url,
            'network': servers[2].url, 'block-storage': f'{servers[2].url}/v3/$(project_id)s'}
    region = env.cloud.conf.identity.region_id
    for service in identity.list_services():
        if service['type'] in urls:
            identity.create_endpoint(service['id'], urls[service['type']], region_id=region)
    env.identity_root = servers[0].url  # type: ignore[attr-defined]
    yield env, stub
    for server in servers:
        server.stop()


def test_image_client_over_http_validating_with_the_identity_api(
        served: tuple[CloudEnv, _StubNetworkAndVolumeAPI],
        published: list[notifications.Notification]) -> None:
    env, _ = served
    session = http.new_session()
    validator = http_auth.HTTPTokenValidator(env.identity_root, session)  # type: ignore
    client = http.ImageClient(validator, session=session)

    image = client.get_image(env.ctx, env.image['id'])
    assert image['id'] == env.image['id'] and image['status'] == 'active'
    location = client.get_location(env.ctx, env.image['id'])
    assert location.endswith(f'/v2/images/{env.image["id"]}/file')
    data = b''.join(client.download_image(env.ctx, env.image['id']))
    assert data == b'\x00' * 4096 + b'nova_lite' * 100
    checks = [n for n in published if isinstance(n, notifications.TokenChecked)]
    assert checks and all(n.service == 'image' and n.over_http for n in checks)

    with pytest.raises(exception.NotFound):
        client.get_image(env.ctx, str(uuid.uuid4()))
    bad = env.ctx.from_dict({**env.ctx.to_dict(), 'auth_token': 'not-a-token'})
    with pytest.raises(exception.NotAuthorized):
        client.get_image(bad, env.image['id'])


def test_download_of_tampered_data_raises_image_corrupt(
        served: tuple[CloudEnv, _StubNetworkAndVolumeAPI]) -> None:
    env, _ = served
    client = http.ImageClient(env.cloud.identity.validate_token)
    location = env.cloud.images.get_location(env.ctx, env.image['id'])
    path = location.removeprefix('file://')
    assert os.path.isfile(path)
    with open(path, 'r+b') as data:
        data.write(b'\x01')  # same size, different bytes
    chunks = client.download_image(env.ctx, env.image['id'])
    with pytest.raises(exception.ImageCorrupt):
        list(chunks)


def test_network_client_paths_bodies_and_errors(
        served: tuple[CloudEnv, _StubNetworkAndVolumeAPI]) -> None:
    env, stub = served
    client = http.NetworkClient(env.cloud.identity.validate_token)
    port = client.create_port(env.ctx, network_id='net-1', fixed_ips=None, device_id='i1',
                              device_owner='compute:nova', binding_host_id='h1')
    method, path, body, headers = stub.requests[-1]
    assert (method, path) == ('POST', '/v2.0/ports')
    assert body == {'port': {'network_id': 'net-1', 'device_id': 'i1',
                             'device_owner': 'compute:nova', 'binding:host_id': 'h1'}}
    assert headers['X-Auth-Token'] == env.token
    # The called API keeps the caller's request id as its global request id.
    assert headers['X-Openstack-Request-Id'] == env.ctx.request_id == env.ctx.global_id
    assert port['mac_address'] == 'fa:16:3e:00:00:01'
    assert client.list_ports(env.ctx, device_id='i1')[0]['id'] == PORT_ID
    assert stub.requests[-1][1] == '/v2.0/ports?device_id=i1'
    assert client.get_network(env.ctx, 'net-1')['name'] == 'net'
    client.delete_port(env.ctx, PORT_ID)
    with pytest.raises(exception.NotFound):
        client.delete_port(env.ctx, 'other')
    with pytest.raises(exception.IpAddressExhausted):
        client.create_port(env.ctx, network_id='full')


def test_network_client_security_groups(
        served: tuple[CloudEnv, _StubNetworkAndVolumeAPI]) -> None:
    env, stub = served
    client = http.NetworkClient(env.cloud.identity.validate_token)
    assert client.list_security_groups(env.ctx, name='web', project_id=None)[0]['id'] == 'sg-1'
    assert stub.requests[-1][:2] == ('GET', '/v2.0/security-groups?name=web')
    assert client.get_security_group(env.ctx, 'sg-1')['name'] == 'web'
    made = client.create_security_group(env.ctx, name='db', description='d')
    assert stub.requests[-1][2] == {'security_group': {'name': 'db', 'description': 'd'}}
    assert made['name'] == 'db'
    assert client.update_security_group(env.ctx, 'sg-1', name='web2')['name'] == 'web2'
    assert stub.requests[-1][:3] == ('PUT', '/v2.0/security-groups/sg-1',
                                     {'security_group': {'name': 'web2'}})
    rule = client.create_security_group_rule(env.ctx, security_group_id='sg-1',
                                             direction='ingress', protocol='tcp')
    assert rule['id'] == 'r-1' and stub.requests[-1][1] == '/v2.0/security-group-rules'
    client.delete_security_group_rule(env.ctx, 'r-1')
    client.delete_security_group(env.ctx, 'sg-1')
    assert stub.requests[-1][:2] == ('DELETE', '/v2.0/security-groups/sg-1')
    with pytest.raises(exception.Conflict):
        client.delete_security_group(env.ctx, 'in-use')


def test_volume_client_attachments(served: tuple[CloudEnv, _StubNetworkAndVolumeAPI]) -> None:
    env, stub = served
    client = http.VolumeClient(env.cloud.identity.validate_token)
    attachment = client.reserve_volume(env.ctx, 'vol-1', 'inst-1')
    assert attachment['id'] == 'att-1' and attachment['instance_id'] == 'inst-1'
    assert stub.requests[-1][1] == f'/v3/{env.ctx.project_id}/attachments'
    assert stub.requests[-1][3]['Openstack-Api-Version'] == 'volume latest'
    info = client.attach_volume(env.ctx, 'att-1', 'h1', '/dev/vdb')
    assert info['driver_volume_type'] == 'file'
    assert stub.requests[-1][2] == {'attachment': {'connector': {'host': 'h1',
                                                                 'mountpoint': '/dev/vdb'}}}
    client.mark_attached(env.ctx, 'att-1', '/dev/vdc')  # a connector without a host
    assert stub.requests[-1][:3] == ('PUT', f'/v3/{env.ctx.project_id}/attachments/att-1',
                                     {'attachment': {'connector': {'mountpoint': '/dev/vdc'}}})
    client.detach_volume(env.ctx, 'gone')  # a missing attachment is already detached
    with pytest.raises(exception.InvalidInput):
        client.get_volume(env.ctx, 'bad')


def test_access_cache_keeps_a_validation_for_its_ttl() -> None:
    calls: list[str] = []
    now = [0.0]

    def validate(token: str) -> dict[str, Any]:
        calls.append(token)
        return {'expires_at': '2999-01-01T00:00:00Z', 'issued_at': '2000-01-01T00:00:00Z',
                'methods': ['password'], 'user': {'id': 'u', 'name': 'u',
                                                  'domain': {'id': 'd', 'name': 'd'}},
                'project': {'id': 'p', 'name': 'p', 'domain': {'id': 'd', 'name': 'd'}},
                'roles': [], 'catalog': []}

    cache = http_auth.AccessCache(validate, ttl=10, clock=lambda: now[0])
    assert cache.access('t').project_id == 'p'
    cache.access('t')
    assert calls == ['t']
    now[0] = 11
    cache.access('t')
    assert calls == ['t', 't']


class _DropsFirstConnection:
    """A server that closes its first connection without answering (as a server
    does with a keep-alive connection it has just timed out), then answers
    every later request with ``body``."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.connections = 0
        self._body = json.dumps(body).encode()
        self._socket = socket.create_server(('127.0.0.1', 0))
        self.url = f'http://127.0.0.1:{self._socket.getsockname()[1]}'
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._socket.accept()
            except OSError:
                return
            with conn:
                self.connections += 1
                conn.recv(65536)
                if self.connections > 1:
                    conn.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n'
                                 b'Connection: close\r\nContent-Length: '
                                 + str(len(self._body)).encode() + b'\r\n\r\n' + self._body)

    def close(self) -> None:
        self._socket.close()


def test_a_connection_dropped_before_the_answer_is_retried(
        make_env: MakeEnv) -> None:  # noqa: F811
    env = make_env()
    identity = env.cloud.identity
    server = _DropsFirstConnection({'network': {'id': 'net-1', 'name': 'net'}})
    try:
        network = next(s for s in identity.list_services() if s['type'] == 'network')
        identity.create_endpoint(network['id'], server.url,
                                 region_id=env.cloud.conf.identity.region_id)
        client = http.NetworkClient(identity.validate_token)
        assert client.get_network(env.ctx, 'net-1')['name'] == 'net'
        assert server.connections == 2
    finally:
        server.close()


def test_image_proxy_calls_over_http(served: tuple[CloudEnv, _StubNetworkAndVolumeAPI]) -> None:
    env, _ = served
    client = http.ImageClient(env.cloud.identity.validate_token)
    created = env.cloud.images.create_image(env.ctx, name='proxied', os_distro='a',
                                            os_version='1')
    listed = client.list_images(env.ctx, name='proxied')
    assert [image['id'] for image in listed] == [created['id']]
    assert env.image['id'] in [image['id'] for image in client.list_images(env.ctx)]
    # One JSON patch: replace a property, add one, remove one.
    updated = client.update_image(env.ctx, created['id'], os_distro='b', arch='x86_64',
                                  os_version=None, absent=None)
    assert (updated['os_distro'], updated['arch']) == ('b', 'x86_64')
    assert 'os_version' not in updated
    stored = env.cloud.images.get_image(env.ctx, created['id'])
    assert (stored['os_distro'], stored.get('os_version')) == ('b', None)
    client.delete_image(env.ctx, created['id'])
    with pytest.raises(exception.NotFound):
        client.get_image(env.ctx, created['id'])
    with pytest.raises(exception.NotFound):
        client.delete_image(env.ctx, created['id'])


def test_volume_proxy_calls_over_http(served: tuple[CloudEnv, _StubNetworkAndVolumeAPI]) -> None:
    env, stub = served
    client = http.VolumeClient(env.cloud.identity.validate_token)
    assert [v['id'] for v in client.list_volumes(env.ctx)] == ['vol-1']
    assert stub.requests[-1][:2] == ('GET', f'/v3/{env.ctx.project_id}/volumes/detail')
    created = client.create_volume(env.ctx, size=2, name='n', metadata={'k': 'v'})
    assert created['size'] == 2
    assert stub.requests[-1][2] == {'volume': {'size': 2, 'name': 'n', 'metadata': {'k': 'v'}}}
    client.delete_volume(env.ctx, 'vol-1')
    assert stub.requests[-1][:2] == ('DELETE', f'/v3/{env.ctx.project_id}/volumes/vol-1')


def test_snapshot_proxy_calls_over_http(
        served: tuple[CloudEnv, _StubNetworkAndVolumeAPI]) -> None:
    env, stub = served
    client = http.VolumeClient(env.cloud.identity.validate_token)
    prefix = f'/v3/{env.ctx.project_id}'
    assert [s['id'] for s in client.list_snapshots(env.ctx)] == ['snap-1']
    assert stub.requests[-1][:2] == ('GET', f'{prefix}/snapshots/detail')
    made = client.create_snapshot(env.ctx, 'vol-1', name='s', force=True)
    assert made['name'] == 's'
    assert stub.requests[-1][2] == {'snapshot': {'volume_id': 'vol-1', 'name': 's',
                                                 'description': None, 'force': True}}
    assert client.get_snapshot(env.ctx, 'snap-1')['volume_id'] == 'vol-1'
    client.delete_snapshot(env.ctx, 'snap-1')
    assert stub.requests[-1][:2] == ('DELETE', f'{prefix}/snapshots/snap-1')
    with pytest.raises(exception.NotFound):
        client.get_snapshot(env.ctx, 'snap-2')
    copy = client.create_volume_from_snapshot(env.ctx, 'snap-1', name='c')
    assert stub.requests[-1][2] == {'volume': {'snapshot_id': 'snap-1', 'name': 'c'}}
    assert copy['snapshot_id'] == 'snap-1'
