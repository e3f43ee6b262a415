#!/usr/bin/env python
"""How long a zero-configuration ``nova-lite-all`` takes until a user gets a token.

Each run, in a fresh temporary directory (HOME, XDG_DATA_HOME and
XDG_CONFIG_HOME inside it, NOVA_LITE_STATE_PATH unset, no OS_* variable
inherited, the five API ports set to free ports on 127.0.0.1 through
OS_API__*_PORT), spawns ``nova-lite-all`` with no arguments twice:

  cold  the first start: it migrates, makes the keys, bootstraps identity and
        writes the ``nova-lite`` entry into the clouds.yaml
  warm  a second start on the same state, after the first stopped on SIGTERM

and measures, from the spawn:

  ready        until its "nova-lite-all: the cloud answers at" line on stdout
  first token  until the end of the first successful
               ``openstack --os-cloud nova-lite token issue -f value -c id``
               (run as soon as ready is seen, retried until --token-timeout)
  cli call     that successful CLI call alone (its own start-up included)

It also checks that the warm start changed nothing: the bytes of the state's
nova-lite.conf and admin-password and of the clouds.yaml. The project's goals,
judged on the medians: first token under 5 s cold and under 3 s warm.

    python tools/bench_startup.py [--runs 5] [--json PATH] [--keep]
        [--nova-lite-all PATH] [--openstack PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import platform
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import IO, Any

READY_PREFIX = 'nova-lite-all: the cloud answers at'
CLOUD_NAME = 'nova-lite'
PORT_VARIABLES = ('OS_API__IDENTITY_PORT', 'OS_API__COMPUTE_PORT', 'OS_API__IMAGE_PORT',
                  'OS_API__NETWORK_PORT', 'OS_API__VOLUME_PORT')
GOALS = {'cold': 5.0, 'warm': 3.0}  # seconds to the first token, on the median
METRICS = ('ready', 'first_token', 'cli_call')
# Variables that would make a start find another cloud, or send 127.0.0.1's traffic elsewhere.
DROPPED_VARIABLES = ('HOME', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'NOVA_LITE_STATE_PATH',
                     'OS_CLIENT_CONFIG_FILE', 'http_proxy', 'https_proxy', 'all_proxy',
                     'no_proxy')


class StartFailed(Exception):
    """A start did not get as far as a token; the message says how far and why."""


@dataclasses.dataclass
class Start:
    """One start of nova-lite-all and what was measured of it (seconds from the spawn)."""

    phase: str
    ready: float | None = None
    first_token: float | None = None
    cli_call: float | None = None
    token_attempts: int = 0
    reported: str | None = None  # the ready line, with nova-lite-all's own timing
    stop: float | None = None  # SIGTERM to exit
    exit_code: int | None = None
    killed: bool = False  # did not exit within --stop-timeout: its group was killed
    error: str | None = None

    def ok(self) -> bool:
        return self.error is None and self.first_token is not None


@dataclasses.dataclass
class Run:
    index: int
    directory: str
    ports: dict[str, int]
    starts: list[Start] = dataclasses.field(default_factory=list)
    unchanged: bool | None = None  # the warm start left the state's files as they were
    changed_files: list[str] = dataclasses.field(default_factory=list)


def free_ports(count: int) -> list[int]:
    """``count`` distinct ports free on 127.0.0.1 right now (held together while picked)."""
    with contextlib.ExitStack() as stack:
        sockets = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
            sock.bind(('127.0.0.1', 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]


def ports_free(ports: list[int]) -> bool:
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(('127.0.0.1', port))
            except OSError:
                return False
    return True


def run_environment(directory: str, ports: dict[str, int]) -> dict[str, str]:
    """This process's environment without OS_* and the user's directories, plus the run's."""
    dropped = {name.lower() for name in DROPPED_VARIABLES}
    env = {name: value for name, value in os.environ.items()
           if not name.startswith('OS_') and name.lower() not in dropped}
    env.update(HOME=os.path.join(directory, 'home'),
               XDG_DATA_HOME=os.path.join(directory, 'data'),
               XDG_CONFIG_HOME=os.path.join(directory, 'config'),
               no_proxy='127.0.0.1,localhost', NO_PROXY='127.0.0.1,localhost')
    env.update({name: str(port) for name, port in ports.items()})
    os.makedirs(env['HOME'], exist_ok=True)
    return env


def cli_environment(env: dict[str, str]) -> dict[str, str]:
    """The CLI's: no OS_* at all (openstacksdk would make an 'envvars' cloud of them)."""
    return {name: value for name, value in env.items() if not name.startswith('OS_')}


def state_files(env: dict[str, str]) -> dict[str, str]:
    state = os.path.join(env['XDG_DATA_HOME'], 'nova-lite')
    return {'nova-lite.conf': os.path.join(state, 'nova-lite.conf'),
            'admin-password': os.path.join(state, 'admin-password'),
            'clouds.yaml': os.path.join(env['XDG_CONFIG_HOME'], 'openstack', 'clouds.yaml')}


def snapshot(files: dict[str, str]) -> dict[str, bytes | None]:
    contents: dict[str, bytes | None] = {}
    for name, path in files.items():
        try:
            with open(path, 'rb') as stream:
                contents[name] = stream.read()
        except FileNotFoundError:
            contents[name] = None
    return contents


def tail(path: str, lines: int = 15) -> str:
    try:
        with open(path, encoding='utf-8', errors='replace') as stream:
            return ''.join(stream.readlines()[-lines:]).rstrip() or '(empty)'
    except OSError as exc:
        return f'({path}: {exc.strerror})'


def read_lines(stream: IO[str], lines: queue.Queue[tuple[float, str | None]]) -> None:
    """Puts each line of ``stream`` with its arrival time, then (time, None) at its end."""
    try:
        for line in stream:
            lines.put((time.perf_counter(), line))
    except (OSError, ValueError):
        pass
    finally:
        lines.put((time.perf_counter(), None))


def wait_ready(lines: queue.Queue[tuple[float, str | None]], deadline: float) -> tuple[float, str]:
    """The arrival time and text of the ready line; StartFailed at EOF or the deadline."""
    seen: list[str] = []
    while True:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise StartFailed('no ready line before the deadline' + stdout_note(seen))
        try:
            arrived, line = lines.get(timeout=remaining)
        except queue.Empty:
            continue
        if line is None:
            raise StartFailed('stdout closed (the process exited?) before the ready line'
                              + stdout_note(seen))
        if line.startswith(READY_PREFIX):
            return arrived, line.rstrip('\n')
        seen.append(line.rstrip('\n'))


def stdout_note(seen: list[str]) -> str:
    return f'; stdout said: {" | ".join(seen[-5:])}' if seen else '; stdout said nothing'


def first_token(openstack: str, env: dict[str, str], cwd: str, spawned: float,
                deadline: float, process: subprocess.Popen[str], start: Start) -> None:
    """Runs the CLI until it issues a token; fills first_token, cli_call, token_attempts."""
    command = [openstack, '--os-cloud', CLOUD_NAME, 'token', 'issue', '-f', 'value', '-c', 'id']
    last_error = 'not tried'
    while (remaining := deadline - time.perf_counter()) > 0:
        start.token_attempts += 1
        called = time.perf_counter()
        try:
            result = subprocess.run(command, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                    capture_output=True, text=True, timeout=remaining)
        except subprocess.TimeoutExpired:
            last_error = f'the CLI call did not end before the deadline ({remaining:.1f} s)'
            break
        ended = time.perf_counter()
        if result.returncode == 0 and result.stdout.strip():
            start.first_token, start.cli_call = ended - spawned, ended - called
            return
        output = (result.stderr.strip() or result.stdout.strip() or '(no output)').splitlines()
        last_error = f'exit {result.returncode}: {output[-1]}'
        if process.poll() is not None:
            last_error += f'; nova-lite-all exited ({process.returncode})'
            break
        time.sleep(min(0.2, max(0.0, deadline - time.perf_counter())))
    raise StartFailed(f'no token after {start.token_attempts} CLI call(s): {last_error}')


def stop(process: subprocess.Popen[str], timeout: float, start: Start) -> None:
    """SIGTERM, then the whole process group killed if it has not exited within ``timeout``."""
    if process.poll() is not None:
        start.exit_code = process.returncode
        return
    signalled = time.perf_counter()
    process.send_signal(signal.SIGTERM)
    try:
        start.exit_code = process.wait(timeout=timeout)
        start.stop = time.perf_counter() - signalled
    except subprocess.TimeoutExpired:
        start.killed = True
        kill_group(process)
        with contextlib.suppress(subprocess.TimeoutExpired):
            start.exit_code = process.wait(timeout=10)


def kill_group(process: subprocess.Popen[str]) -> None:
    """SIGKILL to the child's process group (its own session: the child's pid)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def start_once(phase: str, args: argparse.Namespace, env: dict[str, str],
               directory: str) -> Start:
    """One start: spawn, ready line, first token, SIGTERM and exit."""
    start = Start(phase)
    stderr_path = os.path.join(directory, f'{phase}.stderr')
    with open(stderr_path, 'w', encoding='utf-8') as stderr:
        spawned = time.perf_counter()
        process = subprocess.Popen([args.nova_lite_all], env=env, cwd=directory,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=stderr, text=True, start_new_session=True)
    lines: queue.Queue[tuple[float, str | None]] = queue.Queue()
    assert process.stdout is not None
    reader = threading.Thread(target=read_lines, args=(process.stdout, lines), daemon=True)
    reader.start()
    try:
        try:
            arrived, start.reported = wait_ready(lines, spawned + args.ready_timeout)
            start.ready = arrived - spawned
            first_token(args.openstack, cli_environment(env), directory, spawned,
                        time.perf_counter() + args.token_timeout, process, start)
        except StartFailed as exc:
            start.error = str(exc)
        stop(process, args.stop_timeout, start)
        if start.killed and start.error is None:
            start.error = f'did not exit within {args.stop_timeout:g} s of SIGTERM: killed'
    finally:
        kill_group(process)  # also any of its children left behind by the exit
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        reader.join(timeout=5)
        process.stdout.close()
    if start.error is not None:
        log = os.path.join(env['XDG_DATA_HOME'], 'nova-lite', 'nova-lite-all.log')
        start.error += (f'\n    stderr ({stderr_path}):\n      '
                        + tail(stderr_path).replace('\n', '\n      ')
                        + f'\n    log ({log}):\n      ' + tail(log).replace('\n', '\n      '))
    return start


@contextlib.contextmanager
def run_directory(keep: bool) -> Iterator[str]:
    directory = tempfile.mkdtemp(prefix='bench-startup-')
    try:
        yield directory
    finally:
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)


def one_run(index: int, args: argparse.Namespace) -> Run:
    with run_directory(args.keep) as directory:
        ports = dict(zip(PORT_VARIABLES, free_ports(len(PORT_VARIABLES)), strict=True))
        run = Run(index, directory, ports)
        env = run_environment(directory, ports)
        files = state_files(env)
        cold = start_once('cold', args, env, directory)
        run.starts.append(cold)
        print(describe(index, cold), flush=True)
        if cold.error is not None or cold.killed:
            return run
        before = snapshot(files)
        patience = time.perf_counter() + args.stop_timeout
        while not ports_free(list(ports.values())) and time.perf_counter() < patience:
            time.sleep(0.1)  # the same ports: the clouds.yaml entry names the identity one
        warm = start_once('warm', args, env, directory)
        run.starts.append(warm)
        after = snapshot(files)
        run.changed_files = [name for name in files
                             if before[name] is None or before[name] != after[name]]
        run.unchanged = not run.changed_files
        print(describe(index, warm) + f'; state unchanged: {run.unchanged}'
              + (f' (differs: {", ".join(run.changed_files)})' if run.changed_files else ''),
              flush=True)
        return run


def describe(index: int, start: Start) -> str:
    def seconds(value: float | None) -> str:
        return '-' if value is None else f'{value:.2f} s'

    text = (f'run {index} {start.phase}: ready {seconds(start.ready)}, first token '
            f'{seconds(start.first_token)} (CLI call {seconds(start.cli_call)}, '
            f'{start.token_attempts} call(s)), stop {seconds(start.stop)}')
    if start.error is not None:
        text += f'\n  FAILED (exit code {start.exit_code}): {start.error}'
    return text


def summary(runs: list[Run]) -> dict[str, dict[str, dict[str, float] | int | bool | None]]:
    """Per phase: median/min/max of each metric over the successful starts; the goals."""
    result: dict[str, dict[str, dict[str, float] | int | bool | None]] = {}
    for phase, goal in GOALS.items():
        starts = [s for run in runs for s in run.starts if s.phase == phase and s.ok()]
        entry: dict[str, dict[str, float] | int | bool | None] = {'samples': len(starts)}
        for metric in METRICS:
            values = [getattr(s, metric) for s in starts]
            entry[metric] = ({'median': statistics.median(values), 'min': min(values),
                              'max': max(values)} if values else None)
        token = entry['first_token']
        entry['goal_met'] = (token['median'] < goal) if isinstance(token, dict) else None
        result[phase] = entry
    return result


def report(runs: list[Run], stats: dict[str, Any]) -> None:
    print('\nseconds from the spawn; median (min-max) over the successful starts')
    print(f'{"":<6}{"n":>3}{"ready":>22}{"first token":>22}{"CLI call":>22}  goal')
    for phase, goal in GOALS.items():
        entry = stats[phase]
        cells = []
        for metric in METRICS:
            value = entry[metric]
            cells.append('-' if value is None else
                         f'{value["median"]:.2f} ({value["min"]:.2f}-{value["max"]:.2f})')
        met = {True: 'met', False: 'NOT met', None: 'unknown'}[entry['goal_met']]
        print(f'{phase:<6}{entry["samples"]:>3}' + ''.join(f'{cell:>22}' for cell in cells)
              + f'  first token < {goal:g} s: {met}')
    unchanged = [run.unchanged for run in runs if run.unchanged is not None]
    print(f'warm start left nova-lite.conf, admin-password and clouds.yaml unchanged: '
          f'{all(unchanged) if unchanged else "unknown"} ({sum(unchanged)}/{len(unchanged)} runs)')


def bytecode_note() -> str | None:
    """Whether every start compiles nova_lite's modules again (no .pyc can be written)."""
    if not os.environ.get('PYTHONDONTWRITEBYTECODE'):
        return None
    try:
        import nova_lite
    except ImportError:
        return None
    package = os.path.dirname(nova_lite.__file__)
    for _root, _dirs, names in os.walk(package):
        if any(name.endswith('.pyc') for name in names):
            return None
    return (f'note: PYTHONDONTWRITEBYTECODE is set and {package} has no .pyc: every start '
            f'compiles nova_lite\'s modules again')


def main() -> None:
    bin_dir = os.path.dirname(sys.executable)
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--runs', type=int, default=5, help='cold+warm pairs (default 5)')
    parser.add_argument('--json', metavar='PATH', help='write every sample to this file')
    parser.add_argument('--keep', action='store_true', help='keep the temporary directories')
    parser.add_argument('--nova-lite-all', default=os.path.join(bin_dir, 'nova-lite-all'),
                        metavar='PATH', help='default: the one next to this Python')
    parser.add_argument('--openstack', default=os.path.join(bin_dir, 'openstack'),
                        metavar='PATH', help='default: the one next to this Python')
    parser.add_argument('--ready-timeout', type=float, default=60.0,
                        help='seconds from the spawn to the ready line (default 60)')
    parser.add_argument('--token-timeout', type=float, default=60.0,
                        help='seconds from the ready line to a token (default 60)')
    parser.add_argument('--stop-timeout', type=float, default=30.0,
                        help='seconds from SIGTERM to the exit, then SIGKILL (default 30)')
    args = parser.parse_args()
    if args.runs <= 0:
        parser.error('--runs must be positive')
    for option in ('nova_lite_all', 'openstack'):
        if not os.access(getattr(args, option), os.X_OK):
            parser.error(f'{getattr(args, option)} is not executable; '
                         f'give --{option.replace("_", "-")}')

    print(f'host {platform.node()}: {platform.platform(terse=True)}, {os.cpu_count()} CPUs, '
          f'load {os.getloadavg()[0]:.2f}, Python {platform.python_version()}; '
          f'{args.nova_lite_all}')
    if note := bytecode_note():
        print(note)
    runs = [one_run(index, args) for index in range(1, args.runs + 1)]
    print(f'load average at the end: {os.getloadavg()[0]:.2f}')
    stats = summary(runs)
    report(runs, stats)
    if args.keep:
        print('kept: ' + ' '.join(run.directory for run in runs))
    if args.json:
        document = {
            'host': platform.node(), 'platform': platform.platform(),
            'cpus': os.cpu_count(), 'python': platform.python_version(),
            'nova_lite_all': args.nova_lite_all, 'openstack': args.openstack,
            'goals': {f'{phase}_first_token_below': goal for phase, goal in GOALS.items()},
            'summary': stats,
            'runs': [dataclasses.asdict(run) for run in runs],
        }
        with open(args.json, 'w', encoding='utf-8') as stream:
            json.dump(document, stream, indent=2)
            stream.write('\n')
        print(f'wrote {args.json}')
    failed = any(not start.ok() for run in runs for start in run.starts)
    missing = any(len(run.starts) < 2 for run in runs)
    sys.exit(1 if failed or missing else 0)


if __name__ == '__main__':
    main()
