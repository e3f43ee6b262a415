"""``nova-lite-manage bootstrap``: the service user and the clouds.yaml entry."""

from __future__ import annotations

import os
import pathlib
import stat

import pytest
import yaml

from nova_lite.cmd import manage
from nova_lite.common import exception, fernet_keys
from nova_lite.db import api as db_api
from nova_lite.identity import clouds_yaml
from nova_lite.identity import manager as identity_manager
from tests.unit.cmd.test_manage import PASSWORD, _load_conf, _write_conf

SERVICE_PASSWORD = 'service-secret-P'

# admin and service granted; manager, member and reader implied by admin.
SERVICE_ROLES = ['admin', 'manager', 'member', 'reader', 'service']


def _manager(conf_file: str) -> tuple[identity_manager.IdentityManager, db_api.Database]:
    conf = _load_conf(conf_file)
    fernet_keys.setup(conf.identity.fernet_key_repository)
    database = db_api.Database.from_conf(conf)
    return identity_manager.IdentityManager(conf, database), database


def _service_login(conf_file: str, password: str = SERVICE_PASSWORD,
                   user: str = 'nova_lite') -> list[str]:
    identity, database = _manager(conf_file)
    try:
        token = identity.authenticate(user_name=user, user_domain_name='Default',
                                      password=password, project_name='service',
                                      project_domain_name='Default')
    finally:
        database.dispose()
    return [role['name'] for role in token['roles']]


def _mode(path: pathlib.Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_bootstrap_writes_clouds_yaml_0600(tmp_path: pathlib.Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    conf_file = _write_conf(tmp_path)
    target = tmp_path / 'cfg' / 'clouds.yaml'
    assert manage.main(['--config-file', conf_file, 'bootstrap', '--bootstrap-password',
                        PASSWORD, '--service-password', SERVICE_PASSWORD,
                        '--clouds-yaml', str(target)]) == 0
    assert _mode(target) == 0o600
    assert yaml.safe_load(target.read_text()) == {'clouds': {'nova-lite': {
        'auth': {'auth_url': 'http://127.0.0.1:5000/v3', 'username': 'admin',
                 'password': PASSWORD, 'project_name': 'admin',
                 'user_domain_name': 'Default', 'project_domain_name': 'Default'},
        'region_name': 'RegionOne', 'identity_api_version': 3, 'interface': 'public'}}}
    assert f'wrote cloud nova-lite to {target}' in capsys.readouterr().out
    assert sorted(_service_login(conf_file)) == SERVICE_ROLES


def test_clouds_yaml_update_keeps_other_clouds(tmp_path: pathlib.Path) -> None:
    conf_file = _write_conf(tmp_path)
    target = tmp_path / 'clouds.yaml'
    other = {'auth': {'auth_url': 'https://elsewhere:5000/v3', 'username': 'bob'}}
    target.write_text(yaml.safe_dump({'clouds': {'other': other,
                                                 'mine': {'auth': {'password': 'old'}}},
                                      'cache': {'expiration_time': 5}}))
    os.chmod(target, 0o644)
    args = ['--config-file', conf_file, 'bootstrap', '--bootstrap-password', PASSWORD,
            '--clouds-yaml', str(target), '--cloud-name', 'mine',
            '--bootstrap-username', 'root', '--bootstrap-project-name', 'ops']
    assert manage.main(args) == 0
    document = yaml.safe_load(target.read_text())
    assert document['clouds']['other'] == other
    assert document['cache'] == {'expiration_time': 5}
    assert document['clouds']['mine']['auth']['password'] == PASSWORD
    assert document['clouds']['mine']['auth']['username'] == 'root'
    assert document['clouds']['mine']['auth']['project_name'] == 'ops'
    assert _mode(target) == 0o600
    # Running again with a new password updates that entry only.
    args[4] = 'another-secret-P'
    assert manage.main(args) == 0
    document = yaml.safe_load(target.read_text())
    assert document['clouds']['mine']['auth']['password'] == 'another-secret-P'
    assert document['clouds']['other'] == other
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith('.clouds-')) == []


def test_bad_clouds_yaml_is_left_alone(tmp_path: pathlib.Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    conf_file = _write_conf(tmp_path)
    target = tmp_path / 'clouds.yaml'
    target.write_text('- just\n- a list\n')
    assert manage.main(['--config-file', conf_file, 'bootstrap', '--bootstrap-password',
                        PASSWORD, '--clouds-yaml', str(target)]) == 1
    assert 'not a clouds.yaml mapping' in capsys.readouterr().err
    assert target.read_text() == '- just\n- a list\n'
    assert not (tmp_path / 'state' / 'nova_lite.sqlite').exists()  # nothing done


def test_service_password_defaults_to_keystone_authtoken(tmp_path: pathlib.Path) -> None:
    conf_file = _write_conf(tmp_path)
    with open(conf_file, 'a') as stream:
        stream.write('\n[keystone_authtoken]\nauth_type = password\nusername = svc\n'
                     f'password = {SERVICE_PASSWORD}\n')
    assert manage.main(['--config-file', conf_file, 'bootstrap',
                        '--bootstrap-password', PASSWORD]) == 0
    assert sorted(_service_login(conf_file, user='svc')) == SERVICE_ROLES
    # The command line wins over the file; bootstrap resets the password.
    assert manage.main(['--config-file', conf_file, 'bootstrap', '--bootstrap-password',
                        PASSWORD, '--service-password', 'changed-secret-P']) == 0
    assert 'service' in _service_login(conf_file, 'changed-secret-P', user='svc')


def test_no_service_password_no_service_user(tmp_path: pathlib.Path) -> None:
    conf_file = _write_conf(tmp_path)
    assert manage.main(['--config-file', conf_file, 'bootstrap',
                        '--bootstrap-password', PASSWORD]) == 0
    identity, database = _manager(conf_file)
    try:
        with pytest.raises(exception.NotFound):
            identity.find_user('nova_lite', 'default')
    finally:
        database.dispose()


def test_write_cloud_rejects_bad_name(tmp_path: pathlib.Path) -> None:
    with pytest.raises(exception.InvalidInput):
        clouds_yaml.write_cloud(str(tmp_path / 'c.yaml'), ' ', {})
    assert not (tmp_path / 'c.yaml').exists()


def test_write_cloud_on_empty_file(tmp_path: pathlib.Path) -> None:
    target = tmp_path / 'c.yaml'
    target.write_text('')
    clouds_yaml.write_cloud(str(target), 'x', {'auth': {}})
    assert yaml.safe_load(target.read_text()) == {'clouds': {'x': {'auth': {}}}}
