"""Shared fixtures: a fresh configuration, a migrated database per test."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite import conf as nl_conf
from nova_lite.common import context as nl_context
from nova_lite.common import notifications, rpc
from nova_lite.db import api as db_api
from nova_lite.db import migration

PG_ADMIN_URL = os.environ.get('NOVA_LITE_TEST_PG_URL',
                              'postgresql+psycopg://postgres@127.0.0.1:5432/test')


def make_test_conf(path: os.PathLike[str]) -> cfg.ConfigOpts:
    """A fresh ConfigOpts with every nova_lite group, state (and SQLite) under path."""
    config = cfg.ConfigOpts()
    nl_conf.register_opts(config)
    config([], project='nova_lite', default_config_files=[], default_config_dirs=[])
    config.set_override('state_path', f'{path}/state')
    config.set_override('host', 'test-host')
    config.set_override('connection', f'sqlite:///{path}/state/nova_lite.sqlite',
                        group='database')
    config.set_override('bcrypt_rounds', 4, group='identity')
    # Tests boot many servers in one project (module-wide clouds, concurrency tests):
    # no instance, core or RAM quota unless a test sets one (unset_quota_overrides).
    for resource in UNLIMITED_IN_TESTS:
        config.set_override(resource, -1, group='quota')
    return config


UNLIMITED_IN_TESTS = ('instances', 'cores', 'ram')


def unset_quota_overrides(config: cfg.ConfigOpts) -> None:
    """Back to nova's default quotas ([quota] defaults) on a make_test_conf conf."""
    for resource in UNLIMITED_IN_TESTS:
        config.clear_override(resource, group='quota')


def use_private_messaging(config: cfg.ConfigOpts) -> None:
    """RPC on an exchange of its own: casts left over by another test's cloud in
    this process never arrive here."""
    rpc.register_opts(config)
    config.set_override('control_exchange', f'nova_lite_test_{uuid.uuid4().hex[:8]}')
    config.set_override('rpc_response_timeout', 30)


def make_cloud_conf(path: os.PathLike[str]) -> cfg.ConfigOpts:
    """make_test_conf for an embedded cloud: private messaging, the fake virt driver."""
    config = make_test_conf(path)
    use_private_messaging(config)
    config.set_override('virt_driver', 'fake', group='compute')
    return config


@pytest.fixture
def conf(tmp_path: os.PathLike[str]) -> Iterator[cfg.ConfigOpts]:
    """A fresh ConfigOpts with every nova_lite group, state under tmp_path."""
    config = make_test_conf(tmp_path)
    yield config
    # Option groups are shared between ConfigOpts objects (oslo.config copies them
    # shallowly), so overrides must not outlive the test.
    config.reset()


@pytest.fixture(scope='session')
def _migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp('template') / 'template.sqlite'
    database = db_api.Database(f'sqlite:///{path}')
    migration.upgrade(database)
    database.dispose()  # the last connection to close checkpoints the WAL
    return str(path)


@pytest.fixture
def db(conf: cfg.ConfigOpts, _migrated_sqlite_template: str) -> Iterator[db_api.Database]:
    """A migrated SQLite database at the conf fixture's [database] connection."""
    url = sa.engine.make_url(conf.database.connection)
    os.makedirs(os.path.dirname(url.database), exist_ok=True)
    shutil.copyfile(_migrated_sqlite_template, url.database)
    database = db_api.Database.from_conf(conf)
    yield database
    database.dispose()


@pytest.fixture
def pg_db(conf: cfg.ConfigOpts) -> Iterator[db_api.Database]:
    """A migrated, empty PostgreSQL database on the local server (dropped after)."""
    name = f'nova_lite_test_{uuid.uuid4().hex[:12]}'
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level='AUTOCOMMIT')
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE {name}')
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name)
    conf.set_override('connection', url.render_as_string(hide_password=False),
                      group='database')
    database = db_api.Database.from_conf(conf)
    migration.upgrade(database)
    try:
        yield database
    finally:
        database.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS {name} WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def admin_ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='admin-user', project_id='admin-project',
                                     roles=['admin', 'member', 'reader'], is_admin=True)


@pytest.fixture
def member_ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='member-user', project_id='project-a',
                                     roles=['member', 'reader'])


@pytest.fixture
def published() -> Iterator[list[notifications.Notification]]:
    """The notifications published (in this process) while the test runs, in order."""
    heard: list[notifications.Notification] = []
    notifications.NOTIFIER.subscribe(heard.append)
    yield heard
    notifications.NOTIFIER.unsubscribe(heard.append)
