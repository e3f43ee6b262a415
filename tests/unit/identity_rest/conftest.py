"""An identity API app over a bootstrapped database, and a small webob client."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
import webob
from oslo_config import cfg

from nova_lite import conf as nl_conf
from nova_lite.common import fernet_keys, rpc
from nova_lite.db import api as db_api
from nova_lite.identity import bootstrap, manager
from nova_lite.identity import rest as identity_rest
from nova_lite.wiring import services as api_services

PUBLIC_URL = 'http://127.0.0.1:5000'
ADMIN_PASSWORD = 'admin-secret-P'
SERVICE_PASSWORD = 'service-secret-P'


class Client:
    """Sends requests to the identity app in-process."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def request(self, method: str, path: str, body: Any = None, *, token: str | None = None,
                headers: dict[str, str] | None = None, raw: bytes | None = None,
                content_type: str = 'application/json') -> webob.Response:
        all_headers = dict(headers or {})
        if token is not None:
            all_headers['X-Auth-Token'] = token
        req = webob.Request.blank(path, method=method, headers=all_headers)
        if raw is not None or body is not None:
            req.content_type = content_type
            req.body = raw if raw is not None else json.dumps(body).encode()
        return req.get_response(self.app)

    def login(self, user: str, password: str, project: str | None = None) -> str:
        auth: dict[str, Any] = {'identity': {'methods': ['password'], 'password': {'user': {
            'name': user, 'domain': {'name': 'Default'}, 'password': password}}}}
        if project is not None:
            auth['scope'] = {'project': {'name': project, 'domain': {'id': 'default'}}}
        response = self.request('POST', '/v3/auth/tokens', {'auth': auth})
        assert response.status_int == 201, response.text
        return response.headers['X-Subject-Token']


class IdentityEnv:
    def __init__(self, services: api_services.ApiServices, app: Any,
                 booted: dict[str, Any]) -> None:
        self.services = services
        self.identity = services.identity
        self.client = Client(app)
        self.booted = booted
        self.admin_token = self.client.login('admin', ADMIN_PASSWORD, 'admin')

    def add_member(self, user: str, project: str, role: str = 'member') -> dict[str, Any]:
        """A new project (unless it exists) and user holding ``role`` on it."""
        identity = self.identity
        try:
            proj = identity.find_project(project, 'default')
        except Exception:  # noqa: BLE001 - NotFound: create it
            proj = identity.create_project(project, 'default')
        new_user = identity.create_user(user, 'default', f'{user}-password',
                                        default_project_id=proj['id'])
        identity.assign_role(new_user['id'], proj['id'], identity.find_role(role)['id'])
        token = self.client.login(user, f'{user}-password', project)
        return {'user': new_user, 'project': proj, 'token': token}


def build_services(conf: cfg.ConfigOpts, db: db_api.Database) -> api_services.ApiServices:
    fernet_keys.setup(conf.identity.fernet_key_repository)
    return api_services.build(conf, db, rpc.get_transport(conf))


@pytest.fixture(scope='session')
def _booted_template(tmp_path_factory: pytest.TempPathFactory,
                     _migrated_sqlite_template: str) -> tuple[str, dict[str, Any]]:
    """A migrated database with bootstrap (and the service user) done, made once.

    bcrypt and SQLite commits make bootstrap slow-ish; each test copies the file.
    The configuration comes from a file, not overrides (those would leak into the
    option groups the test's own ``conf`` shares).
    """
    root = tmp_path_factory.mktemp('booted')
    path = root / 'booted.sqlite'
    shutil.copyfile(_migrated_sqlite_template, path)
    conf_file = root / 'nova-lite.conf'
    conf_file.write_text(f'[DEFAULT]\nstate_path = {root}\n[database]\n'
                         f'connection = sqlite:///{path}\n[identity]\nbcrypt_rounds = 4\n')
    config = cfg.ConfigOpts()
    nl_conf.register_opts(config)
    config(['--config-file', str(conf_file)], project='nova_lite', default_config_files=[],
           default_config_dirs=[])
    database = db_api.Database.from_conf(config)
    booted = bootstrap.bootstrap(manager.IdentityManager(config, database),
                                 password=ADMIN_PASSWORD, service_password=SERVICE_PASSWORD)
    database.dispose()
    return str(path), booted


@pytest.fixture
def env(conf: cfg.ConfigOpts,
        _booted_template: tuple[str, dict[str, Any]]) -> Iterator[IdentityEnv]:
    """The identity app over a bootstrapped copy of the template database."""
    template, booted = _booted_template
    url = sa.engine.make_url(conf.database.connection)
    os.makedirs(os.path.dirname(url.database), exist_ok=True)
    shutil.copyfile(template, url.database)
    database = db_api.Database.from_conf(conf)
    services = build_services(conf, database)
    app = identity_rest.make_app(conf, services, None, PUBLIC_URL)
    yield IdentityEnv(services, app, dict(booted, changed=[]))
    database.dispose()
