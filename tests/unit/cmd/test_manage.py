"""``nova-lite-manage``: db sync/version, fernet and conductor-keys setup/rotate, bootstrap."""

from __future__ import annotations

import io
import os
import pathlib

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite import conf as nl_conf
from nova_lite.cmd import manage
from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db import migration
from nova_lite.db.models import identity as identity_models
from nova_lite.identity import manager as identity_manager

PASSWORD = 'bootstrap-secret-P'
IDENTITY_TABLES = sorted(
    obj.__tablename__ for obj in vars(identity_models).values()
    if isinstance(obj, type) and obj.__module__ == identity_models.__name__
    and hasattr(obj, '__tablename__'))


def _write_conf(tmp_path: pathlib.Path, connection: str | None = None) -> str:
    state = tmp_path / 'state'
    if connection is None:
        connection = f'sqlite:///{state}/nova_lite.sqlite'
    path = tmp_path / 'nova-lite.conf'
    path.write_text(f'[DEFAULT]\nstate_path = {state}\n\n'
                    f'[database]\nconnection = {connection}\n\n'
                    '[identity]\nbcrypt_rounds = 4\n')
    return str(path)


def _load_conf(conf_file: str) -> cfg.ConfigOpts:
    """What the command reads from ``conf_file``, for checks made outside it."""
    config = cfg.ConfigOpts()
    nl_conf.register_opts(config)
    config(['--config-file', conf_file], project='nova-lite', default_config_files=[],
           default_config_dirs=[])
    return config


def _manage(conf_file: str, *args: str) -> int:
    return manage.main(['--config-file', conf_file, *args])


def _last_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The command's result line (log records may come before it on stdout)."""
    return capsys.readouterr().out.strip().splitlines()[-1]


def _row_counts(database: db_api.Database) -> dict[str, int]:
    with database.engine.connect() as conn:
        return {table: conn.execute(sa.text(f'SELECT count(*) FROM {table}')).scalar_one()
                for table in IDENTITY_TABLES}


def _authenticate(manager: identity_manager.IdentityManager, password: str) -> dict:
    return manager.authenticate(user_name='admin', user_domain_name='Default',
                                password=password, project_name='admin',
                                project_domain_name='Default')


@pytest.fixture
def conf_file(tmp_path: pathlib.Path) -> str:
    return _write_conf(tmp_path)


def test_identity_tables_found() -> None:
    assert {'users', 'projects', 'domains', 'role_assignments', 'endpoints'} <= set(
        IDENTITY_TABLES)


def test_db_sync_then_version(conf_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _manage(conf_file, 'db', 'version') == 0
    assert _last_line(capsys) == 'empty'

    assert _manage(conf_file, 'db', 'sync') == 0
    assert _last_line(capsys) == f'database at revision {migration.head_revision()}'

    assert _manage(conf_file, 'db', 'version') == 0
    assert _last_line(capsys) == migration.head_revision()

    # A second sync is a no-op at the same revision.
    assert _manage(conf_file, 'db', 'sync') == 0
    assert _manage(conf_file, 'db', 'version') == 0
    assert _last_line(capsys) == migration.head_revision()


def test_db_without_subcommand_is_usage_error(conf_file: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert _manage(conf_file, 'db') == 2
    assert 'usage' in capsys.readouterr().err


def test_fernet_setup_and_rotate_keep_old_tokens_valid(
        conf_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    conf = _load_conf(conf_file)
    repo = conf.identity.fernet_key_repository
    assert repo == os.path.join(conf.state_path, 'fernet-keys')

    assert _manage(conf_file, 'fernet', 'setup') == 0
    assert sorted(os.listdir(repo)) == ['0', '1']
    assert _last_line(capsys) == f'{repo}: keys 0, 1'
    staged_key = pathlib.Path(repo, '0').read_bytes()

    # setup is idempotent: the keys stay as they are.
    keys_before = {name: pathlib.Path(repo, name).read_bytes() for name in ('0', '1')}
    assert _manage(conf_file, 'fernet', 'setup') == 0
    assert {name: pathlib.Path(repo, name).read_bytes()
            for name in ('0', '1')} == keys_before
    capsys.readouterr()

    assert _manage(conf_file, 'bootstrap', '--bootstrap-password', PASSWORD) == 0
    database = db_api.Database.from_conf(conf)
    try:
        token = _authenticate(identity_manager.IdentityManager(conf, database),
                              PASSWORD)['token']
        capsys.readouterr()

        assert _manage(conf_file, 'fernet', 'rotate') == 0
        assert sorted(os.listdir(repo), key=int) == ['0', '1', '2']
        assert _last_line(capsys) == f'{repo}: keys 0, 1, 2'
        # The staged key became the primary key; a new staged key was made.
        assert pathlib.Path(repo, '2').read_bytes() == staged_key
        assert pathlib.Path(repo, '0').read_bytes() != staged_key

        fresh = identity_manager.IdentityManager(conf, database)
        body = fresh.validate_token(token)
        assert body['user']['name'] == 'admin'
        assert body['project']['name'] == 'admin'
    finally:
        database.dispose()


def test_fernet_rotate_without_setup_fails(conf_file: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    # The repository has no staged key: rotating must not invent one silently, and
    # the user gets one line naming what to run, not a traceback.
    assert _manage(conf_file, 'fernet', 'rotate') == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and 'fernet setup' in err and 'Traceback' not in err
    repo = _load_conf(conf_file).identity.fernet_key_repository
    assert not os.path.exists(repo) or os.listdir(repo) == []


def _bootstrap_twice(conf_file: str, database: db_api.Database,
                     capsys: pytest.CaptureFixture[str]) -> None:
    assert _manage(conf_file, 'bootstrap', '--bootstrap-password', PASSWORD) == 0
    first_out = capsys.readouterr().out
    assert 'user_id: ' in first_out
    first = _row_counts(database)
    assert first['users'] == 1
    assert first['projects'] == 1
    assert first['role_assignments'] == 4  # admin, manager, member, reader
    assert first['endpoints'] == 5

    assert _manage(conf_file, 'bootstrap', '--bootstrap-password', PASSWORD) == 0
    assert 'changed: []' in capsys.readouterr().out
    assert _row_counts(database) == first

    conf = _load_conf(conf_file)
    manager = identity_manager.IdentityManager(conf, database)
    token = _authenticate(manager, PASSWORD)
    assert {role['name'] for role in token['roles']} == {'admin', 'manager', 'member',
                                                         'reader'}
    with pytest.raises(exception.NotAuthorized):
        _authenticate(manager, PASSWORD + '-wrong')


def test_bootstrap_is_idempotent(conf_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    conf = _load_conf(conf_file)
    database = db_api.Database.from_conf(conf)
    try:
        _bootstrap_twice(conf_file, database, capsys)
        assert sorted(os.listdir(conf.identity.fernet_key_repository)) == ['0', '1']
    finally:
        database.dispose()


def test_bootstrap_password_from_environment(conf_file: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('OS_BOOTSTRAP_PASSWORD', PASSWORD)
    assert _manage(conf_file, 'bootstrap') == 0
    conf = _load_conf(conf_file)
    database = db_api.Database.from_conf(conf)
    try:
        _authenticate(identity_manager.IdentityManager(conf, database), PASSWORD)
    finally:
        database.dispose()


def test_bootstrap_without_password_is_refused(conf_file: str,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv('OS_BOOTSTRAP_PASSWORD', raising=False)
    monkeypatch.setattr('sys.stdin', io.StringIO(''))
    assert _manage(conf_file, 'bootstrap') == 2
    assert 'OS_BOOTSTRAP_PASSWORD' in capsys.readouterr().err
    # Nothing was created: no database, no keys.
    state = _load_conf(conf_file).state_path
    assert not os.path.exists(os.path.join(state, 'nova_lite.sqlite'))
    assert not os.path.exists(os.path.join(state, 'fernet-keys'))


@pytest.mark.postgresql
def test_bootstrap_on_postgresql(pg_db: db_api.Database, tmp_path: pathlib.Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    url = pg_db.url.render_as_string(hide_password=False)
    conf_file = _write_conf(tmp_path, connection=url)
    assert _load_conf(conf_file).database.connection == url
    assert _row_counts(pg_db)['users'] == 0
    _bootstrap_twice(conf_file, pg_db, capsys)


def test_conductor_keys_setup_and_rotate(conf_file: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    from nova_lite.conductor import token_seal

    repo = _load_conf(conf_file).conductor.token_key_repository
    assert repo == os.path.join(_load_conf(conf_file).state_path, 'conductor-keys')

    assert _manage(conf_file, 'conductor-keys', 'setup') == 0
    assert _last_line(capsys) == f'{repo}: keys 0, 1'
    assert oct(os.stat(repo).st_mode & 0o777) == oct(0o700)
    sealed = token_seal.TokenSealer.from_repository(repo).seal('a-token')
    keys_before = {name: pathlib.Path(repo, name).read_bytes() for name in ('0', '1')}
    assert _manage(conf_file, 'conductor-keys', 'setup') == 0  # idempotent
    assert {name: pathlib.Path(repo, name).read_bytes()
            for name in ('0', '1')} == keys_before

    assert _manage(conf_file, 'conductor-keys', 'rotate') == 0
    assert _last_line(capsys) == f'{repo}: keys 0, 1, 2'
    assert token_seal.TokenSealer.from_repository(repo).unseal(sealed) == 'a-token'
    # The identity's keys are another repository, untouched.
    assert not os.path.exists(_load_conf(conf_file).identity.fernet_key_repository)


def test_conductor_keys_rotate_without_setup_fails(conf_file: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert _manage(conf_file, 'conductor-keys', 'rotate') == 1
    err = capsys.readouterr().err
    assert err.startswith('error: ') and 'Traceback' not in err
    assert '[conductor] token_key_repository' in err
    assert 'nova-lite-manage conductor-keys setup' in err
    assert _manage(conf_file, 'conductor-keys') == 2
    assert 'usage' in capsys.readouterr().err
