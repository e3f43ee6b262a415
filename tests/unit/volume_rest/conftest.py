"""An embedded cloud with the block storage API in front of it, driven through webob.

One cloud per test module (starting and stopping one takes about two
seconds): it is built like tests/functional/conftest.py's make_env fixture
(with hosts=['host1']) but on a configuration of its own, module-scoped, as
the function-scoped ``conf`` fixture cannot be. Tests therefore use unique
names and compare counts before and after rather than absolute numbers.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import webob

from nova_lite import embedded
from nova_lite.api import auth as api_auth
from nova_lite.volume import rest
from tests.conftest import make_cloud_conf
from tests.functional.conftest import CloudEnv

PUBLIC_URL = 'http://127.0.0.1:8776'
PASSWORD = 'volume-rest-secret'
_UNSET: Any = object()
UNLIMITED_RESOURCES = ('volumes', 'snapshots', 'gigabytes')


class Client:
    """Calls the app as one user; paths are relative to /v3/<project_id>."""

    def __init__(self, app: Any, token: str | None, project_id: str) -> None:
        self.app = app
        self.token = token
        self.project_id = project_id

    def request(self, method: str, path: str, body: Any = _UNSET, *,
                project_id: str | None = None, raw: bytes | None = None,
                headers: dict[str, str] | None = None, absolute: bool = False,
                content_type: str = 'application/json') -> webob.Response:
        url = path if absolute else f'/v3/{project_id or self.project_id}{path}'
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

    def put(self, path: str, body: Any = _UNSET, **kwargs: Any) -> webob.Response:
        return self.request('PUT', path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> webob.Response:
        return self.request('DELETE', path, **kwargs)


def osc_create_body(size: Any = 1, name: str | None = 'v1', **extra: Any) -> dict[str, Any]:
    """What ``openstack volume create --size N name`` (OSC 10.5) posts."""
    volume = {'size': size, 'snapshot_id': None, 'name': name, 'description': None,
              'volume_type': None, 'availability_zone': None, 'metadata': None,
              'imageRef': None, 'source_volid': None, 'consistencygroup_id': None,
              'backup_id': None}
    volume.update(extra)
    return {'volume': volume}


@pytest.fixture(scope='module')
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CloudEnv]:
    tmp_path = tmp_path_factory.mktemp('volume_rest')
    config = make_cloud_conf(tmp_path)
    cloud = embedded.EmbeddedCloud(config, hosts=['host1'])
    cloud.start()
    try:
        env = CloudEnv(cloud)
        # The module's tests share the admin project: its volumes must not run into
        # the default block storage quotas (test_quota_sets sets its own).
        cloud.volumes.quotas.update(env.ctx.project_id, dict.fromkeys(UNLIMITED_RESOURCES, -1))
        yield env
    finally:
        cloud.stop()
        config.reset()


@pytest.fixture(scope='module')
def app(env: CloudEnv) -> Any:
    services = env.cloud.services
    return rest.make_app(env.cloud.conf, services,
                         lambda inner: api_auth.LocalTokenAuth(
                             inner, services.identity.validate_token),
                         PUBLIC_URL)


@pytest.fixture(scope='module')
def admin(app: Any, env: CloudEnv) -> Client:
    return Client(app, env.token, env.ctx.project_id)


def make_user(env: CloudEnv, app: Any, roles: list[str], *,
              project_id: str | None = None) -> Client:
    """A new user with ``roles`` on ``project_id`` (default: a new project)."""
    identity = env.cloud.identity
    domain_id = identity.find_domain('Default')['id']
    suffix = uuid.uuid4().hex[:8]
    if project_id is None:
        project_id = identity.create_project(f'p-{suffix}', domain_id)['id']
    user = identity.create_user(f'u-{suffix}', domain_id, PASSWORD)
    for role in roles:
        identity.assign_role(user['id'], project_id, identity.find_role(role)['id'])
    token = identity.authenticate(user_id=user['id'], password=PASSWORD,
                                  project_id=project_id)['token']
    return Client(app, token, project_id)


def volume_count(env: CloudEnv) -> int:
    return len(env.cloud.volumes.list_volumes(env.ctx))
