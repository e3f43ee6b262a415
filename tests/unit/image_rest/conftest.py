"""An embedded cloud with the image API in front of it, driven in-process with webob."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import webob

from nova_lite.api import auth
from nova_lite.api.auth import WSGIApp
from nova_lite.common import exception
from nova_lite.image import rest as image_rest
from tests.functional.conftest import CloudEnv, MakeEnv, make_env  # noqa: F401

PUBLIC_URL = 'http://127.0.0.1:9292'
PATCH_TYPE = 'application/openstack-images-v2.1-json-patch'
PASSWORD = 'image-rest-secret'


class ImageApi:
    """The image app plus a token; ``call`` sends one request and returns the response."""

    def __init__(self, env: CloudEnv, app: WSGIApp) -> None:
        self.env = env
        self.app = app
        self.token = env.token

    def call(self, method: str, path: str, *, json_body: Any = None, body: bytes | None = None,
             content_type: str | None = None, token: str | None = None,
             headers: dict[str, str] | None = None) -> webob.Response:
        all_headers = {'X-Auth-Token': token if token is not None else self.token}
        if json_body is not None:
            body = json.dumps(json_body).encode()
            content_type = content_type or 'application/json'
        if content_type:
            all_headers['Content-Type'] = content_type
        all_headers.update(headers or {})
        if not all_headers['X-Auth-Token']:
            del all_headers['X-Auth-Token']
        req = webob.Request.blank(path, method=method, headers=all_headers)
        if body is not None:
            req.body = body
        return req.get_response(self.app)

    def patch(self, image_id: str, ops: list[dict[str, Any]], **kwargs: Any) -> webob.Response:
        return self.call('PATCH', f'/v2/images/{image_id}', json_body=ops,
                         content_type=PATCH_TYPE, **kwargs)

    def create(self, **fields: Any) -> dict[str, Any]:
        body = {'disk_format': 'raw', 'container_format': 'bare', **fields}
        resp = self.call('POST', '/v2/images', json_body=body)
        assert resp.status_int == 201, resp.text
        return resp.json

    def user_token(self, role: str, *, project: str = 'other', user: str | None = None) -> str:
        """A token for a new (or existing) user holding ``role`` on ``project``."""
        identity = self.env.cloud.identity
        try:
            project_rec = identity.find_project(project, 'default')
        except exception.NotFound:
            project_rec = identity.create_project(project, 'default')
        name = user or f'{project}-{role}'
        user_rec = identity.create_user(name, 'default', PASSWORD,
                                        default_project_id=project_rec['id'])
        identity.assign_role(user_rec['id'], project_rec['id'],
                             identity.find_role(role)['id'])
        return identity.authenticate(user_name=name, user_domain_name='Default',
                                     password=PASSWORD, project_name=project,
                                     project_domain_name='Default')['token']

    def image_rows(self) -> list[dict[str, Any]]:
        return self.env.cloud.images.list_images(self.env.ctx)


@pytest.fixture
def api_factory(make_env: MakeEnv) -> Callable[[], ImageApi]:  # noqa: F811
    def _build() -> ImageApi:
        env = make_env(hosts=['host1'])
        services = env.cloud.services
        app = image_rest.make_app(
            env.cloud.conf, services,
            lambda inner: auth.LocalTokenAuth(inner, services.identity.validate_token),
            PUBLIC_URL)
        return ImageApi(env, app)

    return _build


@pytest.fixture
def api(api_factory: Callable[[], ImageApi]) -> ImageApi:
    return api_factory()
