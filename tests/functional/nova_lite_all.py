"""Runs ``nova-lite-all`` as a subprocess on free ports with a fresh state directory."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

ADMIN_PASSWORD = 'cli-admin-secret'
SERVICE_PASSWORD = 'cli-service-secret'
CLOUD = 'nova-lite'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class RunningCloud:
    """A nova-lite-all process, bootstrapped, with a clouds.yaml for the clients."""

    def __init__(self, workdir: str, *, fault_injection: bool = True,
                 virt_driver: str = 'libvirt', extra_config: str = '') -> None:
        self.workdir = workdir
        self.state_path = os.path.join(workdir, 'state')
        self.clouds_yaml = os.path.join(workdir, 'clouds.yaml')
        self.config_file = os.path.join(workdir, 'nova-lite.conf')
        self.ports = {name: free_port() for name in
                      ('identity', 'compute', 'image', 'network', 'volume')}
        self.log_file = os.path.join(workdir, 'nova-lite-all.log')
        with open(self.config_file, 'w') as conf:
            conf.write(f"""[DEFAULT]
state_path = {self.state_path}
host = cli-host
log_file = {self.log_file}
debug = true

[api]
identity_port = {self.ports['identity']}
compute_port = {self.ports['compute']}
image_port = {self.ports['image']}
network_port = {self.ports['network']}
volume_port = {self.ports['volume']}

[identity]
public_base_url = http://127.0.0.1
bcrypt_rounds = 4

[compute]
virt_driver = {virt_driver}

[fault_injection]
enabled = {str(fault_injection).lower()}

[jobboard]
# A killed nova-lite-all's boots are taken over by its next start once the
# claims it held expire: keep that short in tests.
claim_expiry = 2
poll_interval = 0.5

[keystone_authtoken]
password = {SERVICE_PASSWORD}
""")
            if extra_config:  # later sections and values win over the ones above
                conf.write('\n' + extra_config.strip() + '\n')
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def identity_url(self) -> str:
        return f'http://127.0.0.1:{self.ports["identity"]}/v3'

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith('OS_')}
        env['OS_CLIENT_CONFIG_FILE'] = self.clouds_yaml
        env['OS_CLOUD'] = CLOUD
        return env

    def manage(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, '-m', 'nova_lite.cmd.manage',
                               '--config-file', self.config_file, *args],
                              capture_output=True, text=True, timeout=120, check=True)

    def manage_result(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, '-m', 'nova_lite.cmd.manage',
                               '--config-file', self.config_file, *args],
                              capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        os.makedirs(self.state_path, exist_ok=True)
        self.manage('db', 'sync')
        self.manage('fernet', 'setup')
        self.manage('bootstrap', '--bootstrap-password', ADMIN_PASSWORD,
                    '--service-password', SERVICE_PASSWORD, '--clouds-yaml', self.clouds_yaml,
                    '--cloud-name', CLOUD)
        self.restart()

    def restart(self) -> None:
        """Start the nova-lite-all process (again) and wait until every API answers."""
        self.stderr_path = os.path.join(self.workdir, 'nova-lite-all.stderr')
        with open(self.stderr_path, 'wb') as stderr:
            self.process = subprocess.Popen(
                [sys.executable, '-m', 'nova_lite.cmd.all', '--config-file',
                 self.config_file], stdout=subprocess.DEVNULL, stderr=stderr,
                start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                with open(self.stderr_path) as stderr:
                    raise RuntimeError(f'nova-lite-all exited: {stderr.read()}')
            if self._answers():
                return
            time.sleep(0.2)
        raise RuntimeError('nova-lite-all did not answer within 60 s')

    def _answers(self) -> bool:
        for name in self.ports:
            try:
                urllib.request.urlopen(f'http://127.0.0.1:{self.ports[name]}/', timeout=1)
            except urllib.error.HTTPError:
                continue  # it answered (a 300 or 401 is an answer)
            except OSError:
                return False
        return True

    def kill(self) -> None:
        """SIGKILL the whole process group (the launcher and its worker)."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def openstack(self, *args: str, check: bool = True,
                  timeout: float = 300) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'openstack'),
                                 *args], capture_output=True, text=True, env=self.env(),
                                timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f'openstack {" ".join(args)} failed '
                                 f'({result.returncode}):\n{result.stdout}\n{result.stderr}')
        return result

    def openstack_json(self, *args: str) -> Any:
        return json.loads(self.openstack(*args, '-f', 'json').stdout)


@contextlib.contextmanager
def running_cloud(workdir: str, **kwargs: Any) -> Iterator[RunningCloud]:
    cloud = RunningCloud(workdir, **kwargs)
    cloud.start()
    try:
        yield cloud
    finally:
        if cloud.process is not None and cloud.process.poll() is None:
            try:
                cloud.stop()
            finally:
                if cloud.process.poll() is None:
                    cloud.kill()
