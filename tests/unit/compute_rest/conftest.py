"""An embedded cloud (one fake-driver host) with the compute API in front, via webob.

One cloud per test module (starting and stopping one takes seconds); tests
create their own servers and flavors and assert on those.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
import webob

from nova_lite import embedded
from nova_lite.api import auth as api_auth
from nova_lite.compute import rest
from tests.conftest import make_cloud_conf
from tests.functional.conftest import CloudEnv

PUBLIC_URL = 'http://127.0.0.1:8774'
PASSWORD = 'compute-rest-secret'
_UNSET: Any = object()


class Client:
    """Calls the compute app as one user; paths are relative to /v2.1."""

    def __init__(self, app: Any, token: str | None) -> None:
        self.app = app
        self.token = token

    def request(self, method: str, path: str, body: Any = _UNSET, *,
                raw: bytes | None = None, headers: dict[str, str] | None = None,
                absolute: bool = False,
                content_type: str = 'application/json') -> webob.Response:
        url = path if absolute else f'/v2.1{path}'
        all_headers = {'Content-Type': content_type}
        if self.token is not None:
            all_headers['X-Auth-Token'] = self.token
        all_headers.update(headers or {})
        data = raw if raw is not None else (
            None if body is _UNSET else json.dumps(body).encode())
        req = webob.Request.blank(url, method=method, headers=all_headers,
                                  **({'body': data} if data is not None else {}))
        return req.get_response(self.app)

    def get(self, path: str, **kwargs: Any) -> webob.Response:
        return self.request('GET', path, **kwargs)

    def post(self, path: str, body: Any = _UNSET, **kwargs: Any) -> webob.Response:
        return self.request('POST', path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> webob.Response:
        return self.request('DELETE', path, **kwargs)

    def action(self, server_id: str, body: Any) -> webob.Response:
        return self.post(f'/servers/{server_id}/action', body)


class ComputeEnv:
    """The cloud, the compute app, and clients for four kinds of caller."""

    def __init__(self, env: CloudEnv) -> None:
        self.env = env
        self.cloud = env.cloud
        services = env.cloud.services
        self.app = rest.make_app(
            env.cloud.conf, services,
            lambda app: api_auth.LocalTokenAuth(app, services.identity.validate_token),
            PUBLIC_URL)
        identity = services.identity
        # Public, so that the second project's member can boot it too.
        services.images.update_image(env.ctx, env.image['id'], visibility='public')
        roles = {role['name']: role['id'] for role in identity.list_roles()}
        admin_project = env.ctx.project_id
        self.other_project = identity.create_project('other', 'default')['id']
        self.admin = Client(self.app, env.token)
        self.anonymous = Client(self.app, None)
        self.member = self._user(identity, 'member1', self.other_project, roles['member'])
        self.reader = self._user(identity, 'reader1', admin_project, roles['reader'])

    def _user(self, identity: Any, name: str, project_id: str, role_id: str) -> Client:
        user = identity.create_user(name, 'default', PASSWORD)
        identity.assign_role(user['id'], project_id, role_id)
        token = identity.authenticate(user_id=user['id'], password=PASSWORD,
                                      project_id=project_id)['token']
        return Client(self.app, token)

    def server_body(self, name: str, **kwargs: Any) -> dict[str, Any]:
        """What ``openstack server create --image --flavor --network`` posts."""
        body = self.env.server_body(name, **kwargs)
        body.update({'min_count': 1, 'max_count': 1})
        body.setdefault('block_device_mapping_v2', [])
        body['block_device_mapping_v2'].insert(0, {
            'uuid': body['imageRef'], 'boot_index': 0, 'source_type': 'image',
            'destination_type': 'local', 'delete_on_termination': True})
        return body

    def create(self, name: str, client: Client | None = None, **kwargs: Any) -> str:
        response = (client or self.admin).post('/servers',
                                               {'server': self.server_body(name, **kwargs)})
        assert response.status_int == 202, response.text
        return response.json['server']['id']

    def wait(self, server_id: str, *, status: str = 'ACTIVE',
             client: Client | None = None, timeout: float = 30.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            response = (client or self.admin).get(f'/servers/{server_id}')
            assert response.status_int == 200, response.text
            server = response.json['server']
            if server['status'] == status and server['OS-EXT-STS:task_state'] is None:
                return server
            assert server['status'] in ('BUILD', status) or server['OS-EXT-STS:task_state'], \
                server
            time.sleep(0.02)
        raise AssertionError(f'{server_id} not {status} after {timeout} s')

    def wait_gone(self, server_id: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.admin.get(f'/servers/{server_id}').status_int == 404:
                return
            time.sleep(0.02)
        raise AssertionError(f'{server_id} not deleted after {timeout} s')

    def boot(self, name: str, **kwargs: Any) -> dict[str, Any]:
        return self.wait(self.create(name, **kwargs))

    def instance_count(self) -> int:
        return len(self.cloud.instances.list(include_deleted=True))


@pytest.fixture(scope='module')
def compute(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ComputeEnv]:
    """A started cloud (host1, fake driver) and its compute API, for one test module."""
    config = make_cloud_conf(tmp_path_factory.mktemp('compute_rest'))
    cloud = embedded.EmbeddedCloud(config, hosts=['host1'])
    cloud.start()
    try:
        yield ComputeEnv(CloudEnv(cloud))
    finally:
        cloud.stop()
        config.reset()

