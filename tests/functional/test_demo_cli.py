"""The main job, run as a user runs it: ``python -m nova_lite.cmd.cli demo``.

The demo runs twice on one state directory: the first run bootstraps the cloud
and makes everything; the second reuses it. Each boots an instance through all
29 steps, draws the run, deletes the instance and checks nothing is left.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import shutil
import stat
import subprocess
import sys

import pytest
from taskflow import states

from nova_lite.conductor.flows import keys
from nova_lite.flowviz import dot

ALL_STEPS = set(range(1, 30))
STEP_LINE = re.compile(r'^\s*step\s+(?P<first>\d+)(?:-(?P<last>\d+))?\+?\s')
LEFT_BEHIND = ('left behind: ports 0, ips 0, claims 0, volume attachments 0, domains 0, '
               'instance dirs 0')
OK_LINE = ('OK: the instance reached ACTIVE through all 29 steps, and its delete left '
           'nothing behind')


@dataclasses.dataclass
class DemoRun:
    state: pathlib.Path
    result: subprocess.CompletedProcess[str]
    admin_password: str

    @property
    def lines(self) -> list[str]:
        return self.result.stdout.splitlines()

    def values(self, prefix: str) -> list[str]:
        """What follows ``prefix`` on each stdout line that starts with it."""
        return [line[len(prefix):].strip() for line in self.lines if line.startswith(prefix)]


def _run_demo(state: pathlib.Path, cwd: pathlib.Path, *python_args: str) -> DemoRun:
    result = subprocess.run(
        [sys.executable, *python_args, '-m', 'nova_lite.cmd.cli', 'demo', '--state-path',
         str(state)], capture_output=True, text=True, timeout=300, cwd=cwd, check=False)
    password_file = state / 'admin-password'
    password = password_file.read_text().strip() if password_file.exists() else ''
    return DemoRun(state, result, password)


def _steps_seen(lines: list[str]) -> set[int]:
    seen: set[int] = set()
    for line in lines:
        match = STEP_LINE.match(line)
        if match:
            first = int(match['first'])
            last = int(match['last'] or first)
            assert first <= last, line
            seen.update(range(first, last + 1))
    return seen


def _assert_succeeded(run: DemoRun) -> None:
    assert run.result.returncode == 0, run.result.stdout + run.result.stderr
    # Nothing of nova_lite's own on stderr (its logs go to demo.log), and no Python
    # warning: a library's deprecation goes to the log, not the user's terminal.
    for line in run.result.stderr.splitlines():
        assert not any(word in line for word in ('Traceback', 'nova_lite', 'error',
                                                 'ERROR', 'Warning')), line
    seen = _steps_seen(run.lines)
    assert seen == ALL_STEPS, f'missing steps: {sorted(ALL_STEPS - seen)}'
    assert OK_LINE in run.lines
    assert LEFT_BEHIND in run.lines
    assert not any(line.startswith(('FAILED', 'steps not seen')) for line in run.lines)


@pytest.fixture(scope='module')
def demo_state(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    return tmp_path_factory.mktemp('demo-cli') / 'demo'


@pytest.fixture(scope='module')
def first_run(demo_state: pathlib.Path) -> DemoRun:
    # Run from an unrelated directory: nothing may depend on the repository being the cwd.
    return _run_demo(demo_state, demo_state.parent)


@pytest.fixture(scope='module')
def second_run(first_run: DemoRun) -> DemoRun:
    # Every warning Python can show, shown (-W always): they all go to demo.log.
    return _run_demo(first_run.state, first_run.state.parent, '-W', 'always')


def test_first_run_boots_through_every_step_and_cleans_up(first_run: DemoRun) -> None:
    _assert_succeeded(first_run)
    state = first_run.state
    assert first_run.lines[0] == (f'nova_lite demo: state in {state} '
                                  f'(log: {state / "demo.log"})')
    # The steps appear in the terminal, and the services' logs went to the log file.
    log = (state / 'demo.log').read_text()
    assert 'nova_lite.steps' in log and 'step 29' in log
    assert 'Traceback' not in log


def test_first_run_keeps_its_state_to_its_owner(first_run: DemoRun) -> None:
    """The database (and its WAL), keys, images, volumes, the image cache, logs:
    nothing under the state directory is open to group or others."""
    state = first_run.state
    opened = [f'{path} {stat.S_IMODE(path.lstat().st_mode):04o}'
              for path in [state, *state.rglob('*')]
              if not path.is_symlink() and stat.S_IMODE(path.lstat().st_mode) & 0o077]
    assert opened == []
    assert (state / 'nova_lite.sqlite').exists()
    assert any((state / 'instances').iterdir())  # the image cache at least


def test_second_run_logs_the_warnings_it_did_not_print(second_run: DemoRun) -> None:
    _assert_succeeded(second_run)
    assert 'WARNING py.warnings' in (second_run.state / 'demo.log').read_text()


def test_first_run_sets_everything_up(first_run: DemoRun) -> None:
    assert not any('reusing' in line for line in first_run.lines)
    for prefix in ('image: made', 'flavor: created', 'network: created', 'volume: created'):
        assert any(line.startswith(prefix) for line in first_run.lines), prefix
    password_file = first_run.state / 'admin-password'
    assert password_file.read_text().strip()
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600


def test_first_run_instance_was_active_with_a_valid_domain(first_run: DemoRun) -> None:
    [header] = [line for line in first_run.lines if line.startswith('== Instance ')]
    instance_id = header.split()[2].rstrip(':')
    assert ': ACTIVE on ' in header
    assert any(line.startswith('address: demo-net: 10.10.0.') for line in first_run.lines)

    [xml_path] = first_run.values('libvirt.xml:')
    instances = first_run.state / 'instances'
    assert pathlib.Path(xml_path) == instances / instance_id / 'libvirt.xml'
    # The demo checked the domain XML with `virt-xml-validate <path> domain` while the
    # instance existed; the delete then removed the instance directory.
    if shutil.which('virt-xml-validate'):
        assert first_run.values('virt-xml-validate:') == [f'{xml_path} validates']
    assert not os.path.exists(xml_path)
    assert not (instances / instance_id).exists()


@pytest.mark.skipif(shutil.which('dot') is None, reason="graphviz's dot is not installed")
def test_first_run_drew_the_boot_flow(first_run: DemoRun, tmp_path: pathlib.Path) -> None:
    drawn = first_run.values('flow graph:')
    assert [pathlib.Path(p).suffix for p in drawn] == ['.dot', '.svg']
    dot_path, svg_path = (pathlib.Path(p) for p in drawn)
    assert dot_path.parent == first_run.state
    assert dot_path.stem == svg_path.stem
    assert dot_path.is_file() and svg_path.is_file()

    dot_text = dot_path.read_text()
    assert dot_text.startswith('digraph flow {')
    # Every task of a successful run is drawn in the SUCCESS colour.
    success = f'fillcolor="{dot.STATE_COLOURS[states.SUCCESS]}"'
    for task in keys.BOOT_TASKS:
        [node] = [line for line in dot_text.splitlines() if line.startswith(f'"{task}" [')]
        assert success in node, node
    rendered = subprocess.run(['dot', '-Tsvg', '-o', str(tmp_path / 'again.svg'),
                               str(dot_path)], capture_output=True, text=True, timeout=60,
                              check=False)
    assert rendered.returncode == 0, rendered.stderr
    assert '<svg' in (tmp_path / 'again.svg').read_text()
    assert '<svg' in svg_path.read_text()


def test_second_run_reuses_the_state(first_run: DemoRun, second_run: DemoRun) -> None:
    _assert_succeeded(second_run)
    assert any('reusing' in line for line in second_run.lines)
    for prefix in ('image: reusing', 'flavor: reusing', 'network: reusing',
                   'volume: reusing'):
        assert any(line.startswith(prefix) for line in second_run.lines), prefix
    # The admin password made by the first run signed the second run in; a new
    # instance was booted.
    assert first_run.admin_password
    assert second_run.admin_password == first_run.admin_password
    assert 'image: made' not in second_run.result.stdout
    first_ids = first_run.values('== Instance ')
    second_ids = second_run.values('== Instance ')
    assert len(first_ids) == len(second_ids) == 1
    assert first_ids[0].split(':')[0] != second_ids[0].split(':')[0]
