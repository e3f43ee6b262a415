"""The REST calls of the benchmark, with plain ``requests`` as the admin user."""

from __future__ import annotations

import time
from typing import Any

import requests

from . import cloud as bench_cloud

TIMEOUT = 60


class ApiError(Exception):
    """An answer the benchmark did not expect (its message says which)."""


def issue_token(identity_url: str) -> str:
    body: dict[str, Any] = {'auth': {'identity': {'methods': ['password'], 'password': {'user': {
        'name': 'admin', 'domain': {'id': 'default'},
        'password': bench_cloud.ADMIN_PASSWORD}}},
        'scope': {'project': {'name': 'admin', 'domain': {'id': 'default'}}}}}
    response = requests.post(f'{identity_url}/v3/auth/tokens', json=body, timeout=TIMEOUT)
    if response.status_code != 201:
        raise ApiError(f'token: {response.status_code} {response.text[:200]}')
    return response.headers['X-Subject-Token']


class CloudApi:
    """One client: its own HTTP session (connection pool) and the shared token."""

    def __init__(self, ports: dict[str, int], token: str) -> None:
        self.base = {name: f'http://127.0.0.1:{port}' for name, port in ports.items()}
        self.session = requests.Session()
        self.session.headers['X-Auth-Token'] = token

    def call(self, method: str, service: str, path: str, expect: int,
             **kwargs: Any) -> Any:
        response = self.session.request(method, f'{self.base[service]}{path}',
                                        timeout=TIMEOUT, **kwargs)
        if response.status_code != expect:
            raise ApiError(f'{method} {path}: {response.status_code} {response.text[:200]}')
        return response.json() if response.content else None

    def boot_resources(self) -> dict[str, str]:
        """An 8 KiB raw image, a 1-vCPU 64 MiB flavor, a network with a /16 subnet."""
        image = self.call('POST', 'image', '/v2/images', 201, json={
            'name': 'bench-img', 'disk_format': 'raw', 'container_format': 'bare'})
        self.call('PUT', 'image', f'/v2/images/{image["id"]}/file', 204, data=b'\0' * 8192,
                  headers={'Content-Type': 'application/octet-stream'})
        flavor = self.call('POST', 'compute', '/v2.1/flavors', 200, json={'flavor': {
            'name': 'bench-flavor', 'ram': 64, 'vcpus': 1, 'disk': 1, 'id': None}})['flavor']
        network = self.call('POST', 'network', '/v2.0/networks', 201,
                            json={'network': {'name': 'bench-net'}})['network']
        self.call('POST', 'network', '/v2.0/subnets', 201, json={'subnet': {
            'network_id': network['id'], 'ip_version': 4, 'cidr': '10.64.0.0/16'}})
        return {'image': image['id'], 'flavor': flavor['id'], 'network': network['id']}

    def create_server(self, name: str, resources: dict[str, str]) -> str:
        server = {'name': name, 'imageRef': resources['image'],
                  'flavorRef': resources['flavor'],
                  'networks': [{'uuid': resources['network']}]}
        answer = self.call('POST', 'compute', '/v2.1/servers', 202, json={'server': server})
        server_id: str = answer['server']['id']
        return server_id

    def wait_settled(self, server_id: str, poll: float, timeout: float) -> dict[str, Any]:
        """GET the server every ``poll`` seconds until it leaves BUILD."""
        deadline = time.monotonic() + timeout
        while True:
            server: dict[str, Any] = self.call('GET', 'compute', f'/v2.1/servers/{server_id}',
                                               200)['server']
            if server['status'] != 'BUILD':
                return server
            if time.monotonic() > deadline:
                raise ApiError(f'server {server_id} still in BUILD after {timeout} s')
            time.sleep(poll)

    def delete_and_wait(self, server_id: str, poll: float, timeout: float) -> None:
        """DELETE the server, then GET it every ``poll`` seconds until a 404."""
        self.call('DELETE', 'compute', f'/v2.1/servers/{server_id}', 204)
        deadline = time.monotonic() + timeout
        while True:
            response = self.session.get(f'{self.base["compute"]}/v2.1/servers/{server_id}',
                                        timeout=TIMEOUT)
            if response.status_code == 404:
                return
            if response.status_code != 200:
                raise ApiError(f'GET deleted server: {response.status_code}')
            if time.monotonic() > deadline:
                raise ApiError(f'server {server_id} not gone {timeout} s after its delete')
            time.sleep(poll)

    def hypervisors(self) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = self.call('GET', 'compute', '/v2.1/os-hypervisors/detail',
                                                200)['hypervisors']
        return nodes

    def server_count(self) -> int:
        return len(self.call('GET', 'compute', '/v2.1/servers', 200)['servers'])
