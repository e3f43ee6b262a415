"""An embedded cloud with the network API in front of it, driven in-process with webob."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
import webob

from nova_lite.api import auth
from nova_lite.db import api as db_api
from nova_lite.db.models import network as models
from nova_lite.network import rest
from tests.functional.conftest import CloudEnv, MakeEnv, make_env  # noqa: F401

PUBLIC_URL = 'http://127.0.0.1:9696'
MEMBER_PASSWORD = 'member-secret-1'


class NetworkApi:
    """The network app of one cloud and a way to call it."""

    def __init__(self, env: CloudEnv) -> None:
        self.env = env
        services = env.cloud.services
        self.app = rest.make_app(
            services.conf, services,
            lambda app: auth.LocalTokenAuth(app, services.identity.validate_token), PUBLIC_URL)
        self.token = env.token

    def call(self, method: str, path: str, body: Any = None, *, token: str | None = None,
             raw: bytes | None = None, content_type: str = 'application/json',
             headers: dict[str, str] | None = None) -> webob.Response:
        all_headers = {'X-Auth-Token': self.token if token is None else token,
                       'Content-Type': content_type, **(headers or {})}
        if token == '':
            del all_headers['X-Auth-Token']
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = webob.Request.blank(path, method=method, headers=all_headers)
        if data is not None:
            request.body = data
        return request.get_response(self.app)

    def get(self, path: str, **kwargs: Any) -> webob.Response:
        return self.call('GET', path, **kwargs)

    def post(self, path: str, body: Any, **kwargs: Any) -> webob.Response:
        return self.call('POST', path, body, **kwargs)

    def put(self, path: str, body: Any, **kwargs: Any) -> webob.Response:
        return self.call('PUT', path, body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> webob.Response:
        return self.call('DELETE', path, **kwargs)

    def user_token(self, project_name: str, user_name: str, roles: tuple[str, ...]) -> str:
        """A token of a new user with ``roles`` on a new project."""
        identity = self.env.cloud.identity
        project = identity.create_project(project_name, 'default')
        user = identity.create_user(user_name, 'default', MEMBER_PASSWORD)
        for role in roles:
            identity.assign_role(user['id'], project['id'], identity.find_role(role)['id'])
        return identity.authenticate(user_name=user_name, user_domain_name='Default',
                                     password=MEMBER_PASSWORD, project_id=project['id'])['token']


def row_counts(db: db_api.Database) -> dict[str, int]:
    """Rows in each network table (to prove that a refused call wrote nothing)."""
    with db.reader() as session:
        return {model.__tablename__: session.scalar(sa.select(sa.func.count())
                                                    .select_from(model))
                for model in (models.Network, models.Subnet, models.AllocationPool,
                              models.Port, models.IPAllocation)}


@pytest.fixture
def api(make_env: MakeEnv) -> NetworkApi:  # noqa: F811
    return NetworkApi(make_env(hosts=['host1']))


@pytest.fixture
def counts(api: NetworkApi) -> Callable[[], dict[str, int]]:
    return lambda: row_counts(api.env.cloud.db)


def neutron_error(response: webob.Response) -> dict[str, Any]:
    error = response.json['NeutronError']
    assert set(error) == {'type', 'message', 'detail'}
    return error
