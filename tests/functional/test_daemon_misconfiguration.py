"""A daemon with a configuration mistake exits 1 before it listens, with one line.

Each case runs the daemon's console script as a user would, with a configuration
file that has one mistake, and checks the exit status, the single stderr line
(naming the option or the command to run) and that nothing is listening.
"""

from __future__ import annotations

import os
import pathlib
import socket
import subprocess
import sys

import pytest

from tests.functional.nova_lite_all import free_port

BIN = pathlib.Path(sys.executable).parent
SERVICE_PASSWORD = 'misconf-service-secret'


class Setup:
    """A state directory and a configuration file for the daemons under test."""

    def __init__(self, root: pathlib.Path) -> None:
        self.root = root
        self.state = root / 'state'
        self.ports = {name: free_port() for name in
                      ('identity', 'compute', 'image', 'network', 'volume')}
        self.config_file = root / 'nova-lite.conf'
        self.write()

    def write(self, *, password: str | None = SERVICE_PASSWORD, extra: str = '') -> None:
        ports = '\n'.join(f'{name}_port = {port}' for name, port in self.ports.items())
        password_line = f'password = {password}\n' if password is not None else ''
        self.config_file.write_text(
            f'[DEFAULT]\nstate_path = {self.state}\nhost = misconf-host\n'
            f'log_file = {self.root}/daemon.log\n'
            f'transport_url = kombu+memory:////\n\n[api]\n{ports}\n\n'
            f'[identity]\nbcrypt_rounds = 4\n\n[keystone_authtoken]\n{password_line}'
            f'\n{extra}\n')

    def run(self, command: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / command), '--config-file', str(self.config_file),
                               *args], capture_output=True, text=True, timeout=120,
                              env={k: v for k, v in os.environ.items()
                                   if not k.startswith('OS_')})

    def manage(self, *args: str) -> None:
        result = self.run('nova-lite-manage', *args)
        assert result.returncode == 0, result.stderr

    def bootstrap(self) -> None:
        self.manage('bootstrap', '--bootstrap-password', 'admin-secret',
                    '--service-password', SERVICE_PASSWORD)

    def nothing_listens(self) -> bool:
        for port in self.ports.values():
            with socket.socket() as probe:
                if probe.connect_ex(('127.0.0.1', port)) == 0:
                    return False
        return True


@pytest.fixture
def setup(tmp_path: pathlib.Path) -> Setup:
    return Setup(tmp_path)


def _assert_refused(result: subprocess.CompletedProcess[str], daemon: str,
                    expected: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f'{daemon}: error: '), lines[0]
    assert expected in lines[0], lines[0]


def test_all_without_the_service_password(setup: Setup) -> None:
    setup.bootstrap()
    setup.write(password=None)
    result = setup.run('nova-lite-all')
    _assert_refused(result, 'nova-lite-all', '[keystone_authtoken] password is not set')
    assert setup.nothing_listens()


def test_all_with_a_wrong_service_password(setup: Setup) -> None:
    setup.bootstrap()
    setup.write(password='not-it')
    result = setup.run('nova-lite-all')
    _assert_refused(result, 'nova-lite-all', '[keystone_authtoken] password: the service '
                                             'user nova_lite cannot sign in')
    assert setup.nothing_listens()


def test_all_before_bootstrap_names_bootstrap(setup: Setup) -> None:
    result = setup.run('nova-lite-all')
    _assert_refused(result, 'nova-lite-all', 'nova-lite-manage bootstrap')


def test_api_on_a_database_not_migrated(setup: Setup) -> None:
    result = setup.run('nova-lite-api')
    _assert_refused(result, 'nova-lite-api', 'run "nova-lite-manage db sync"')
    assert setup.nothing_listens()


def test_api_with_an_empty_key_repository(setup: Setup) -> None:
    setup.manage('db', 'sync')
    (setup.state / 'fernet-keys').mkdir(mode=0o700)
    result = setup.run('nova-lite-api')
    _assert_refused(result, 'nova-lite-api', '[identity] fernet_key_repository '
                                             f'{setup.state}/fernet-keys has no keys; run '
                                             '"nova-lite-manage fernet setup"')
    assert setup.nothing_listens()


def test_api_with_a_key_repository_open_to_others(setup: Setup) -> None:
    setup.bootstrap()
    os.chmod(setup.state / 'fernet-keys', 0o755)
    result = setup.run('nova-lite-api')
    _assert_refused(result, 'nova-lite-api', 'run "chmod 700 ')


def test_api_with_a_wrong_service_password(setup: Setup) -> None:
    setup.bootstrap()
    setup.write(password='not-it')
    result = setup.run('nova-lite-api')
    _assert_refused(result, 'nova-lite-api', '[keystone_authtoken] password')
    assert setup.nothing_listens()


def test_conductor_without_its_keys(setup: Setup) -> None:
    setup.manage('db', 'sync')
    result = setup.run('nova-lite-conductor')
    _assert_refused(result, 'nova-lite-conductor',
                    'run "nova-lite-manage conductor-keys setup"')


def test_scheduler_on_an_unreachable_database(setup: Setup) -> None:
    setup.write(extra=f'[database]\nconnection = postgresql+psycopg://nobody@127.0.0.1:'
                      f'{free_port()}/none\n')
    result = setup.run('nova-lite-scheduler')
    _assert_refused(result, 'nova-lite-scheduler',
                    '[database] connection: cannot reach the database')
