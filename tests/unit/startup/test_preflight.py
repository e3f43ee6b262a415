"""Each start-up check: what passes, and the one line each mistake gets."""

from __future__ import annotations

import os
import socket

import pytest
from oslo_config import cfg

from nova_lite import preflight
from nova_lite.common import fernet_keys
from nova_lite.db import api as db_api
from nova_lite.db import migration
from nova_lite.identity import bootstrap
from nova_lite.identity import manager as identity_manager

SERVICE_PASSWORD = 'service-secret'


def test_database_not_migrated_names_db_sync(conf: cfg.ConfigOpts) -> None:
    with pytest.raises(preflight.Misconfigured) as caught:
        preflight.database(conf)
    assert caught.value.message.startswith('[database] connection: the database is at '
                                           'migration none')
    assert '"nova-lite-manage db sync"' in caught.value.message


def test_database_behind_head_names_db_sync(conf: cfg.ConfigOpts) -> None:
    database = db_api.Database.from_conf(conf)
    migration.upgrade(database, '0002')
    database.dispose()
    with pytest.raises(preflight.Misconfigured, match='at migration 0002, this code needs'):
        preflight.database(conf)


def test_migrated_database_passes(conf: cfg.ConfigOpts, db: db_api.Database) -> None:
    preflight.database(conf)


def test_unreachable_database(conf: cfg.ConfigOpts) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    conf.set_override('connection', f'postgresql+psycopg://nobody@127.0.0.1:{port}/none',
                      group='database')
    with pytest.raises(preflight.Misconfigured) as caught:
        preflight.database(conf)
    assert caught.value.message.startswith('[database] connection: cannot reach the '
                                           'database (')
    assert '\n' not in caught.value.message


@pytest.mark.parametrize(('check', 'option', 'command'), [
    (preflight.fernet_keys, '[identity] fernet_key_repository',
     'nova-lite-manage fernet setup'),
    (preflight.conductor_keys, '[conductor] token_key_repository',
     'nova-lite-manage conductor-keys setup'),
])
def test_key_repositories(conf: cfg.ConfigOpts, check: preflight.Check, option: str,
                          command: str) -> None:
    repo = (conf.identity.fernet_key_repository if check is preflight.fernet_keys
            else conf.conductor.token_key_repository)
    with pytest.raises(preflight.Misconfigured, match='does not exist') as caught:
        check(conf)
    assert caught.value.message.startswith(f'{option} {repo}')
    assert f'"{command}"' in caught.value.message
    os.makedirs(repo, mode=0o700)
    with pytest.raises(preflight.Misconfigured, match=f'has no keys; run "{command}"'):
        check(conf)
    fernet_keys.setup(repo)
    check(conf)
    os.chmod(repo, 0o755)
    with pytest.raises(preflight.Misconfigured) as caught:
        check(conf)
    assert caught.value.message == (f'{option} {repo} is readable by group or others '
                                    f'(mode 0755); run "chmod 700 {repo}"')


def _bootstrapped(conf: cfg.ConfigOpts, db: db_api.Database) -> None:
    fernet_keys.setup(conf.identity.fernet_key_repository)
    bootstrap.bootstrap(identity_manager.IdentityManager(conf, db), password='admin-secret',
                        service_password=SERVICE_PASSWORD)


def test_service_password_missing(conf: cfg.ConfigOpts, db: db_api.Database) -> None:
    with pytest.raises(preflight.Misconfigured) as caught:
        preflight.service_credentials(conf)
    assert caught.value.message.startswith('[keystone_authtoken] password is not set')
    assert '--service-password' in caught.value.message


def test_service_password_wrong(conf: cfg.ConfigOpts, db: db_api.Database) -> None:
    _bootstrapped(conf, db)
    from nova_lite.wiring import apps as api_apps

    api_apps.configure_keystone_authtoken(conf)
    conf.set_override('password', 'not-the-password', group='keystone_authtoken')
    with pytest.raises(preflight.Misconfigured) as caught:
        preflight.service_credentials(conf)
    assert caught.value.message.startswith('[keystone_authtoken] password: the service '
                                           'user nova_lite cannot sign in to project '
                                           'service')


def test_service_user_never_bootstrapped(conf: cfg.ConfigOpts, db: db_api.Database) -> None:
    fernet_keys.setup(conf.identity.fernet_key_repository)
    from nova_lite.wiring import apps as api_apps

    api_apps.configure_keystone_authtoken(conf)
    conf.set_override('password', SERVICE_PASSWORD, group='keystone_authtoken')
    with pytest.raises(preflight.Misconfigured, match='cannot sign in'):
        preflight.service_credentials(conf)


def test_right_service_password_passes(conf: cfg.ConfigOpts, db: db_api.Database) -> None:
    _bootstrapped(conf, db)
    from nova_lite.wiring import apps as api_apps

    api_apps.configure_keystone_authtoken(conf)
    conf.set_override('password', SERVICE_PASSWORD, group='keystone_authtoken')
    preflight.service_credentials(conf)


def test_another_identity_service_is_not_asked(conf: cfg.ConfigOpts) -> None:
    from nova_lite.wiring import apps as api_apps

    api_apps.configure_keystone_authtoken(conf)
    conf.set_override('password', 'whatever', group='keystone_authtoken')
    conf.set_override('auth_url', 'http://keystone.example/v3', group='keystone_authtoken')
    preflight.service_credentials(conf)  # no database needed, nothing raised


def test_port_in_use(conf: cfg.ConfigOpts) -> None:
    with socket.socket() as taken:
        taken.bind(('127.0.0.1', 0))
        taken.listen()
        port = taken.getsockname()[1]
        conf.set_override('compute_port', port, group='api')
        with pytest.raises(preflight.Misconfigured) as caught:
            preflight.api_ports(conf)
    assert caught.value.message == (f'[api] compute_port {port} on 127.0.0.1 is in use by '
                                    'another process; stop that process or choose another '
                                    'port')


def test_free_ports_pass(conf: cfg.ConfigOpts) -> None:
    for option in ('identity_port', 'compute_port', 'image_port', 'network_port',
                   'volume_port'):
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            conf.set_override(option, sock.getsockname()[1], group='api')
    preflight.api_ports(conf)


def test_open_state_path_is_warned_about(conf: cfg.ConfigOpts,
                                         caplog: pytest.LogCaptureFixture) -> None:
    os.makedirs(conf.state_path, mode=0o700)
    preflight.state_path(conf)
    assert caplog.records == []
    os.chmod(conf.state_path, 0o755)
    preflight.state_path(conf)
    assert f'run "chmod 700 {conf.state_path}"' in caplog.text
