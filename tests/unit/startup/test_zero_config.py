"""The zero-configuration start's pieces: where state goes, what is written, how."""

from __future__ import annotations

import os
import pathlib
import stat

import pytest
import yaml
from oslo_config import cfg

from nova_lite import zero_config


@pytest.fixture
def home(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    for name in ('NOVA_LITE_STATE_PATH', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('HOME', str(tmp_path))
    return tmp_path


def _mode(path: str | pathlib.Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_state_path_follows_env_then_xdg_then_home(home: pathlib.Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert zero_config.default_state_path() == str(home / '.local/share/nova-lite')
    monkeypatch.setenv('XDG_DATA_HOME', str(home / 'data'))
    assert zero_config.default_state_path() == str(home / 'data/nova-lite')
    monkeypatch.setenv('NOVA_LITE_STATE_PATH', str(home / 'elsewhere'))
    assert zero_config.default_state_path() == str(home / 'elsewhere')


def test_clouds_yaml_follows_xdg(home: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert zero_config.default_clouds_yaml() == str(home / '.config/openstack/clouds.yaml')
    monkeypatch.setenv('XDG_CONFIG_HOME', str(home / 'cfg'))
    assert zero_config.default_clouds_yaml() == str(home / 'cfg/openstack/clouds.yaml')


@pytest.mark.parametrize('argv', [['--config-file', 'x.conf'], ['--config-file=x.conf'],
                                  ['--config-dir', 'd'], ['--debug', '--config-dir=d']])
def test_a_named_configuration_is_a_configuration(home: pathlib.Path,
                                                  argv: list[str]) -> None:
    assert zero_config.config_given(argv)


def test_no_configuration_unless_a_default_file_exists(home: pathlib.Path) -> None:
    assert not zero_config.config_given(['--debug'])
    (home / '.nova-lite').mkdir()
    (home / '.nova-lite' / 'nova-lite.conf').write_text('[DEFAULT]\n')
    assert zero_config.config_given([])


def test_first_start_writes_private_files_and_commits_last(home: pathlib.Path) -> None:
    state = home / 'state'
    first = zero_config.prepare_first_start(str(state))
    files = first.files
    assert _mode(state) == 0o700
    assert _mode(files.config_file) == 0o600
    text = pathlib.Path(files.config_file).read_text()
    assert f'password = {first.service_password}\n' in text
    assert f'state_path = {state}\n' in text
    assert not files.initialized()  # not until the bootstrap succeeded
    zero_config.commit(first)
    assert files.initialized()
    assert files.read_admin_password() == first.admin_password
    assert _mode(files.admin_password_file) == 0o600
    assert first.admin_password != first.service_password


def test_a_first_start_again_makes_new_passwords(home: pathlib.Path) -> None:
    one = zero_config.prepare_first_start(str(home / 'state'))
    two = zero_config.prepare_first_start(str(home / 'state'))
    assert one.admin_password != two.admin_password
    assert one.service_password != two.service_password


def test_an_open_state_directory_is_closed(home: pathlib.Path) -> None:
    state = home / 'state'
    state.mkdir(mode=0o755)
    os.chmod(state, 0o755)
    zero_config.make_private_directory(str(state))
    assert _mode(state) == 0o700


def test_secret_file_readable_by_others_is_refused(tmp_path: pathlib.Path) -> None:
    secret = tmp_path / 'admin-password'
    secret.write_text('x')
    os.chmod(secret, 0o600)
    zero_config.check_private_file(str(secret))
    os.chmod(secret, 0o644)
    with pytest.raises(Exception, match=r'readable by group or others \(mode 0644\); run '
                                        rf'"chmod 600 {secret}"'):
        zero_config.check_private_file(str(secret))


def test_cloud_entry_is_written_once_unless_replaced(conf: cfg.ConfigOpts,
                                                     tmp_path: pathlib.Path) -> None:
    from nova_lite.wiring import apps as api_apps  # registers [api]

    assert api_apps.APIS
    path = str(tmp_path / 'clouds.yaml')
    assert zero_config.ensure_cloud_entry(conf, path, 'nova-lite', 'pw1', replace=False)
    entry = yaml.safe_load(pathlib.Path(path).read_text())['clouds']['nova-lite']
    assert entry['auth']['password'] == 'pw1'
    assert entry['auth']['auth_url'] == 'http://127.0.0.1:5000/v3'
    assert _mode(path) == 0o600
    before = pathlib.Path(path).read_bytes()
    assert not zero_config.ensure_cloud_entry(conf, path, 'nova-lite', 'pw2', replace=False)
    assert pathlib.Path(path).read_bytes() == before
    assert zero_config.ensure_cloud_entry(conf, path, 'nova-lite', 'pw3', replace=True)
    entry = yaml.safe_load(pathlib.Path(path).read_text())['clouds']['nova-lite']
    assert entry['auth']['password'] == 'pw3'
