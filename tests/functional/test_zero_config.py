"""``nova-lite-all`` with no arguments, as a new user runs it, then the openstack CLI.

The process runs with a home directory of its own (no XDG variables, no
NOVA_LITE_STATE_PATH): its state goes to ~/.local/share/nova-lite and its
cloud entry to ~/.config/openstack/clouds.yaml. Only the API ports come from
the environment (oslo.config's OS_API__* variables), so the test never
collides with another process.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import queue
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from tests.functional.nova_lite_all import free_port

READY = 'nova-lite-all: the cloud answers at '
BIN = pathlib.Path(sys.executable).parent


@dataclasses.dataclass
class ZeroConfigCloud:
    home: pathlib.Path
    env: dict[str, str]
    process: subprocess.Popen[str] | None = None
    stdout: list[str] = dataclasses.field(default_factory=list)

    @property
    def state(self) -> pathlib.Path:
        return self.home / '.local' / 'share' / 'nova-lite'

    @property
    def clouds_yaml(self) -> pathlib.Path:
        return self.home / '.config' / 'openstack' / 'clouds.yaml'

    def start(self) -> list[str]:
        """Start ``nova-lite-all`` with no argument; its stdout up to the ready lines.

        The lines are read on a thread of their own, so a process that neither
        prints nor exits fails the test after 90 s instead of hanging it.
        """
        self.process = subprocess.Popen(
            [str(BIN / 'nova-lite-all')], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, env=self.env, cwd=self.home,
            start_new_session=True)
        stdout = self.process.stdout
        assert stdout is not None
        received: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [received.put(line) for line in stdout],
                         daemon=True).start()
        lines: list[str] = []
        deadline = time.monotonic() + 90
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                line = received.get(timeout=min(remaining, 1.0))
            except queue.Empty:
                if self.process.poll() is not None and received.empty():
                    break
                continue
            lines.append(line.rstrip('\n'))
            if line.strip().startswith('openstack server list'):
                return lines
        running = self.process.poll() is None
        status, stderr = self.stop()
        log = self.state / 'nova-lite-all.log'
        log_tail = log.read_text()[-4000:] if log.exists() else '(no log)'
        raise AssertionError(f'no ready lines ({"still running" if running else "exited"}, '
                             f'status {status}): {lines}; stderr: {stderr}; '
                             f'log tail: {log_tail}')

    def stop(self) -> tuple[int, str]:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            _, err = self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            _, err = self.process.communicate(timeout=30)
        return self.process.returncode, err

    def openstack(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(BIN / 'openstack'), '--os-cloud', 'nova-lite', *args],
                              capture_output=True, text=True, env=self.env, timeout=120,
                              stdin=subprocess.DEVNULL,
                              cwd=self.home)


@pytest.fixture
def zero_cloud(tmp_path: pathlib.Path) -> Iterator[ZeroConfigCloud]:
    home = tmp_path / 'home'
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(('OS_', 'XDG_')) and k != 'NOVA_LITE_STATE_PATH'}
    env['HOME'] = str(home)
    for option in ('identity_port', 'compute_port', 'image_port', 'network_port',
                   'volume_port'):
        env[f'OS_API__{option.upper()}'] = str(free_port())
    cloud = ZeroConfigCloud(home, env)
    try:
        yield cloud
    finally:
        if cloud.process is not None and cloud.process.poll() is None:
            cloud.stop()


def _snapshot(cloud: ZeroConfigCloud) -> dict[str, bytes]:
    files = [cloud.state / 'nova-lite.conf', cloud.state / 'admin-password', cloud.clouds_yaml,
             *sorted((cloud.state / 'fernet-keys').iterdir()),
             *sorted((cloud.state / 'conductor-keys').iterdir())]
    return {str(path): path.read_bytes() for path in files}


def _open_to_others(root: pathlib.Path) -> list[str]:
    """Every path under root (root included) that group or others may use."""
    found = []
    for path in [root, *root.rglob('*')]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if not path.is_symlink() and mode & 0o077:
            found.append(f'{path} {mode:04o}')
    return found


@pytest.mark.libvirt
def test_no_configuration_then_the_openstack_cli(zero_cloud: ZeroConfigCloud) -> None:
    lines = zero_cloud.start()
    identity_port = zero_cloud.env['OS_API__IDENTITY_PORT']
    assert lines[0].startswith(f'{READY}http://127.0.0.1:{identity_port}/v3 (started in ')
    assert f'state in {zero_cloud.state}, log in {zero_cloud.state}/nova-lite-all.log' \
        in lines[0]
    assert lines[-2:] == ['  export OS_CLOUD=nova-lite', '  openstack server list']

    token = zero_cloud.openstack('token', 'issue', '-f', 'value', '-c', 'id')
    assert token.returncode == 0, token.stderr
    servers = zero_cloud.openstack('server', 'list', '-f', 'value')
    assert servers.returncode == 0, servers.stderr
    assert servers.stdout == ''

    # The secrets are the owner's only, and never in the log.
    admin_password = (zero_cloud.state / 'admin-password').read_text().strip()
    config = (zero_cloud.state / 'nova-lite.conf').read_text()
    service_password = config.split('password = ', 1)[1].split()[0]
    log = (zero_cloud.state / 'nova-lite-all.log').read_text()
    assert admin_password not in log and service_password not in log
    assert stat.S_IMODE(zero_cloud.clouds_yaml.stat().st_mode) == 0o600
    assert _open_to_others(zero_cloud.state) == []

    status, stderr = zero_cloud.stop()
    assert status == 0
    assert stderr == ''

    # A second start reuses everything and changes nothing.
    before = _snapshot(zero_cloud)
    lines = zero_cloud.start()
    assert lines[0].startswith(READY)
    assert zero_cloud.openstack('token', 'issue').returncode == 0
    assert _snapshot(zero_cloud) == before
    assert zero_cloud.stop()[0] == 0


def test_a_first_start_that_failed_is_done_again(zero_cloud: ZeroConfigCloud) -> None:
    """A port in use stops the first start before it bootstraps anything; the next
    start makes the cloud."""
    import socket

    with socket.socket() as taken:
        taken.bind(('127.0.0.1', int(zero_cloud.env['OS_API__COMPUTE_PORT'])))
        taken.listen()
        failed = subprocess.run([str(BIN / 'nova-lite-all')], capture_output=True,
                                text=True, env=zero_cloud.env, timeout=120,
                                cwd=zero_cloud.home)
    assert failed.returncode == 1
    assert failed.stderr.startswith('nova-lite-all: error: [api] compute_port ')
    assert failed.stderr.count('\n') == 1
    assert not (zero_cloud.state / 'admin-password').exists()
    assert not zero_cloud.clouds_yaml.exists()
    zero_cloud.start()
    assert zero_cloud.openstack('token', 'issue').returncode == 0
    assert zero_cloud.stop()[0] == 0


def test_secret_readable_by_others_refuses_to_start(zero_cloud: ZeroConfigCloud) -> None:
    zero_cloud.start()
    zero_cloud.stop()
    secret = zero_cloud.state / 'admin-password'
    os.chmod(secret, 0o644)
    result = subprocess.run([str(BIN / 'nova-lite-all')], capture_output=True, text=True,
                            env=zero_cloud.env, timeout=120, cwd=zero_cloud.home)
    assert result.returncode == 1
    assert result.stderr == (f'nova-lite-all: error: {secret} holds a password and is '
                             'readable by group or others (mode 0644); run '
                             f'"chmod 600 {secret}"\n')


def test_help_creates_nothing(zero_cloud: ZeroConfigCloud) -> None:
    result = subprocess.run([str(BIN / 'nova-lite-all'), '--help'], capture_output=True,
                            text=True, env=zero_cloud.env, timeout=120, cwd=zero_cloud.home)
    assert result.returncode == 0
    assert '--clouds-yaml PATH' in result.stdout
    assert list(zero_cloud.home.iterdir()) == []
