"""A fresh ``nova-lite-all`` on free ports, and what /proc says about its processes.

The cloud is the embedded default (SQLite, in-process messaging, the database
jobboard, flow persistence on, libvirt ``test:///default``, one host) with a
configuration file of its own in a temporary directory: debug logging off, no
fault injection, and the host's capacity set so that the benchmark knows it.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ADMIN_PASSWORD = 'bench-admin-secret'
SERVICE_PASSWORD = 'bench-service-secret'
SERVICES = ('identity', 'compute', 'image', 'network', 'volume')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port: int = sock.getsockname()[1]
        return port


@dataclasses.dataclass(frozen=True)
class HostCapacity:
    """What the one compute host reports, and its overcommit ratios."""

    vcpus: int = 64
    memory_mb: int = 65536
    cpu_allocation_ratio: float = 1.0
    ram_allocation_ratio: float = 1.0

    def limits(self) -> dict[str, float]:
        return {'vcpus': self.vcpus * self.cpu_allocation_ratio,
                'memory_mb': self.memory_mb * self.ram_allocation_ratio}


def service_sections(ports: dict[str, int], capacity: HostCapacity) -> str:
    """The configuration every benchmark cloud shares: its API ports, the identity's
    cheap password hashing, the hosts' capacity and the services' password."""
    port_lines = '\n'.join(f'{name}_port = {port}' for name, port in ports.items())
    return f"""[api]
{port_lines}

[identity]
public_base_url = http://127.0.0.1
bcrypt_rounds = 4

[compute]
vcpus = {capacity.vcpus}
memory_mb = {capacity.memory_mb}
cpu_allocation_ratio = {capacity.cpu_allocation_ratio}
ram_allocation_ratio = {capacity.ram_allocation_ratio}

[quota]
# Benchmarks boot hundreds of servers in one project: no instance, core or RAM quota.
instances = -1
cores = -1
ram = -1

[keystone_authtoken]
password = {SERVICE_PASSWORD}
"""


class BenchCloud:
    """A ``nova-lite-all`` process of the benchmark's own, in ``workdir``."""

    def __init__(self, workdir: str, capacity: HostCapacity, python: str = sys.executable,
                 extra_config: str = '') -> None:
        self.workdir = workdir
        self.extra_config = extra_config  # more options, appended to the file as given
        self.capacity = capacity
        self.python = python
        self.state_path = os.path.join(workdir, 'state')
        self.config_file = os.path.join(workdir, 'nova-lite.conf')
        self.log_file = os.path.join(workdir, 'nova-lite-all.log')
        self.ports = {name: free_port() for name in SERVICES}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def database_url(self) -> str:
        return f'sqlite:///{self.state_path}/nova_lite.sqlite'

    def _write_config(self) -> None:
        with open(self.config_file, 'w', encoding='utf-8') as conf:
            conf.write(f"""[DEFAULT]
state_path = {self.state_path}
host = bench-host
log_file = {self.log_file}
debug = false

{service_sections(self.ports, self.capacity)}
{self.extra_config}""")

    def manage(self, *args: str) -> None:
        subprocess.run([self.python, '-m', 'nova_lite.cmd.manage', '--config-file',
                        self.config_file, *args], capture_output=True, text=True,
                       timeout=300, check=True)

    def start(self, timeout: float = 120) -> float:
        """Set the cloud up and start it; returns the seconds until every API answered."""
        os.makedirs(self.state_path, exist_ok=True)
        self._write_config()
        self.manage('db', 'sync')
        self.manage('fernet', 'setup')
        self.manage('bootstrap', '--bootstrap-password', ADMIN_PASSWORD,
                    '--service-password', SERVICE_PASSWORD)
        stderr_path = os.path.join(self.workdir, 'nova-lite-all.stderr')
        started = time.monotonic()
        with open(stderr_path, 'wb') as stderr:
            self.process = subprocess.Popen(
                [self.python, '-m', 'nova_lite.cmd.all', '--config-file', self.config_file],
                stdout=subprocess.DEVNULL, stderr=stderr, start_new_session=True)
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                with open(stderr_path, encoding='utf-8', errors='replace') as err:
                    raise RuntimeError(f'nova-lite-all exited: {err.read()[-2000:]}')
            if all(self._answers(port) for port in self.ports.values()):
                return time.monotonic() - started
            time.sleep(0.1)
        raise RuntimeError(f'nova-lite-all did not answer within {timeout} s')

    def describe(self) -> dict[str, object]:
        return {'kind': 'embedded', 'computes': 1}

    def process_roots(self) -> Roots:
        """What /proc is read for: nova-lite-all's process tree."""
        if self.process is None:
            raise RuntimeError('the cloud is not started')
        return self.process.pid

    @staticmethod
    def _answers(port: int) -> bool:
        try:
            urllib.request.urlopen(f'http://127.0.0.1:{port}/', timeout=1)
        except urllib.error.HTTPError:
            return True  # a 300 or a 401 is an answer
        except OSError:
            return False
        return True

    def stop(self) -> None:
        """SIGTERM, then SIGKILL the process group if it does not exit within 60 s."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


# /proc ------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class ProcessSample:
    pid: int
    role: str  # 'master' or 'worker'
    threads: int
    rss_mb: float
    cpu_ticks: int


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open(f'/proc/{entry}/stat', encoding='ascii') as stat:
                fields = stat.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def process_tree(pid: int, name: str = '') -> list[tuple[int, str]]:
    """The process and its descendants (nova-lite-all's launcher and its worker);
    with ``name``, the roles are prefixed by it ('scheduler master')."""
    prefix = f'{name} ' if name else ''
    tree, todo = [(pid, f'{prefix}master')], [pid]
    while todo:
        for child in _children(todo.pop()):
            tree.append((child, f'{prefix}worker'))
            todo.append(child)
    return tree


def sample(pid: int, role: str) -> ProcessSample | None:
    try:
        with open(f'/proc/{pid}/stat', encoding='ascii') as stat:
            fields = stat.read().rsplit(')', 1)[1].split()
        with open(f'/proc/{pid}/status', encoding='ascii') as status_file:
            status = dict(line.split(':', 1) for line in status_file if ':' in line)
    except OSError:
        return None
    # After the ")": state is field 0, utime 11, stime 12 (man proc: fields 3, 14, 15).
    return ProcessSample(pid=pid, role=role, threads=int(status['Threads']),
                         rss_mb=int(status['VmRSS'].split()[0]) / 1024.0,
                         cpu_ticks=int(fields[11]) + int(fields[12]))


Roots = int | list[tuple[str, int]]  # one process tree, or named ones (the daemons)


def snapshot(pid: Roots) -> list[ProcessSample]:
    roots = [('', pid)] if isinstance(pid, int) else pid
    return [s for s in (sample(p, role) for name, root in roots
                        for p, role in process_tree(root, name)) if s is not None]


def memory_and_threads(pid: Roots) -> dict[str, object]:
    """Threads and RSS of each process of the tree(s), and their totals."""
    samples = snapshot(pid)
    return {'processes': [{'pid': s.pid, 'role': s.role, 'threads': s.threads,
                           'rss_mb': round(s.rss_mb, 1)} for s in samples],
            'threads': sum(s.threads for s in samples),
            'rss_mb': round(sum(s.rss_mb for s in samples), 1)}


def idle_cpu(pid: Roots, seconds: float) -> dict[str, float]:
    """Percent of one core the process tree used over ``seconds`` of doing nothing.

    It first lets the cloud settle for as long (at most 2 s): the last deletes'
    and boots' work may still be finishing.
    """
    time.sleep(min(seconds, 2.0))
    tick = os.sysconf('SC_CLK_TCK')
    before = {s.pid: s.cpu_ticks for s in snapshot(pid)}
    started = time.monotonic()
    time.sleep(seconds)
    after = snapshot(pid)
    elapsed = time.monotonic() - started
    used = sum(s.cpu_ticks - before.get(s.pid, 0) for s in after) / tick
    return {'seconds': round(elapsed, 2), 'cpu_percent': round(100.0 * used / elapsed, 2)}
