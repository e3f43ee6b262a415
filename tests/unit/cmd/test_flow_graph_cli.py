"""``nova-lite flow graph``: the boot flow as DOT, SVG or PNG, plain or coloured by a run."""

from __future__ import annotations

import html
import pathlib
import re
import shutil
import subprocess
import uuid

import pytest
from taskflow import states

from nova_lite.cmd import cli
from nova_lite.common import timeutils
from nova_lite.conductor.flows import keys
from nova_lite.db import api as db_api
from nova_lite.db.models import flow_history
from nova_lite.flowviz import dot
from nova_lite.volume.flows import keys as volume_keys

needs_graphviz = pytest.mark.skipif(shutil.which('dot') is None,
                                    reason="graphviz's dot program is not installed")
PNG_MAGIC = b'\x89PNG\r\n\x1a\n'


NODE_LINE = re.compile(r'^"(?P<name>[^"]+)" \[(?P<attrs>.*)\];$')
FILL = re.compile(r'(?:^|, )fillcolor="(?P<colour>#[0-9a-f]{6})"')


def _nodes(text: str) -> dict[str, str]:
    """Every node statement of a DOT text (clusters included): name -> attribute text."""
    found = {}
    for line in text.splitlines():
        match = NODE_LINE.match(line)
        if match:
            found[match['name']] = match['attrs']
    return found


def _fill(attrs: str) -> str:
    match = FILL.search(attrs)
    assert match is not None, attrs
    return match['colour']


def _render_svg(text: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(['dot', '-Tsvg'], input=text.encode(), capture_output=True,
                          timeout=60, check=False)


def test_flow_graph_prints_dot(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(['flow', 'graph']) == 0
    captured = capsys.readouterr()
    text = captured.out
    assert text.startswith('digraph flow {')
    assert 'cluster' in text
    assert 'nova_lite boot flow' in text
    nodes = _nodes(text)
    for task in keys.BOOT_TASKS:
        assert f'<b>{task}</b>' in text
        assert task in nodes, task
        # No run given: every task is white, and there is no legend.
        assert _fill(nodes[task]) == dot.NO_STATE_COLOUR
    assert keys.HOST_RETRY in nodes
    assert 'legend' not in text


@needs_graphviz
def test_printed_dot_renders_with_graphviz(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(['flow', 'graph']) == 0
    result = _render_svg(capsys.readouterr().out)
    assert result.returncode == 0, result.stderr.decode()
    svg = html.unescape(result.stdout.decode())
    assert '<svg' in svg
    for task in keys.BOOT_TASKS:
        assert task in svg


def test_flow_graph_writes_dot_file(tmp_path: pathlib.Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / 'boot.dot'
    assert cli.main(['flow', 'graph', '-o', str(out)]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(out)
    assert out.read_text().startswith('digraph flow {')


@needs_graphviz
def test_flow_graph_writes_svg(tmp_path: pathlib.Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / 'boot.svg'
    assert cli.main(['flow', 'graph', '-o', str(out), '--format', 'svg']) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == str(out)
    svg = html.unescape(out.read_text())
    assert '<svg' in svg and svg.rstrip().endswith('</svg>')
    for task in keys.BOOT_TASKS:
        assert task in svg
    assert not (tmp_path / 'boot.svg.partial').exists()


@needs_graphviz
def test_flow_graph_writes_png(tmp_path: pathlib.Path) -> None:
    out = tmp_path / 'boot.png'
    assert cli.main(['flow', 'graph', '--output', str(out), '--format', 'png']) == 0
    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC)
    assert len(data) > 1000


@pytest.mark.parametrize('fmt', ['svg', 'png'])
def test_rendered_format_needs_output_file(fmt: str, tmp_path: pathlib.Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(['flow', 'graph', '--format', fmt]) == 2
    captured = capsys.readouterr()
    assert '-o FILE' in captured.err
    assert 'digraph' not in captured.out
    assert list(tmp_path.iterdir()) == []


def test_unknown_format_is_rejected(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc_info:
        cli.main(['flow', 'graph', '--format', 'gif'])
    assert exc_info.value.code == 2
    assert 'gif' in capsys.readouterr().err


def _record_states(db: db_api.Database, instance_id: str,
                   atom_states: dict[str, tuple[str, int]]) -> None:
    with db.session() as session:
        for atom, (state, runs) in atom_states.items():
            session.add(flow_history.FlowAtomState(
                instance_id=instance_id, flow_name=keys.BOOT_FLOW, atom_name=atom,
                state=state, runs=runs, updated_at=timeutils.utcnow()))


def test_flow_graph_colours_an_instance_run(synced_state: tuple[str, db_api.Database],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    conf_file, db = synced_state
    instance_id = str(uuid.uuid4())
    other_id = str(uuid.uuid4())
    _record_states(db, instance_id, {
        keys.AUTHENTICATE: (states.SUCCESS, 1),
        keys.SCHEDULE: (states.REVERTED, 2),
        keys.SPAWN: (states.FAILURE, 1),
    })
    # Another instance's run must not colour this drawing.
    _record_states(db, other_id, {keys.MARK_ACTIVE: (states.SUCCESS, 1)})
    capsys.readouterr()

    # oslo.config reads its own options (--config-file) before the sub-command.
    assert cli.main(['--config-file', conf_file, 'flow', 'graph',
                     '--instance', instance_id]) == 0
    text = capsys.readouterr().out
    assert f'boot of instance {instance_id}' in text
    nodes = _nodes(text)
    colours = dot.STATE_COLOURS
    assert _fill(nodes[keys.AUTHENTICATE]) == colours[states.SUCCESS]
    assert _fill(nodes[keys.SCHEDULE]) == colours[states.REVERTED]
    assert _fill(nodes[keys.SPAWN]) == colours[states.FAILURE]
    for task in (keys.MARK_ACTIVE, keys.GET_FLAVOR, keys.INSTANCE_TO_ERROR_ON_REVERT):
        assert _fill(nodes[task]) == dot.NO_STATE_COLOUR
    assert '(ran 2 times)' in nodes[keys.SCHEDULE]
    assert re.search(r'<i>REVERTED</i>', nodes[keys.SCHEDULE])
    assert 'no state' in nodes[keys.MARK_ACTIVE]
    # With a run, a legend explains the colours.
    assert 'legend' in text
    if shutil.which('dot'):
        result = _render_svg(text)
        assert result.returncode == 0, result.stderr.decode()


@pytest.mark.parametrize('action,tasks', [
    ('pause', keys.ACTION_TASKS),
    ('reboot-hard', keys.ACTION_TASKS),
    ('lock', (keys.ACTION_TO_ERROR_ON_REVERT, keys.RECORD_STATE)),
])
def test_flow_graph_draws_a_server_action_flow(capsys: pytest.CaptureFixture[str],
                                               action: str, tasks: tuple[str, ...]) -> None:
    assert cli.main(['flow', 'graph', '--flow', action]) == 0
    text = capsys.readouterr().out
    assert text.startswith('digraph flow {')
    assert f'nova_lite {action} server action flow' in text
    nodes = _nodes(text)
    for task in tasks:
        assert task in nodes, task
        assert _fill(nodes[task]) == dot.NO_STATE_COLOUR
    assert keys.SCHEDULE not in nodes
    if keys.HOST_CALL not in tasks:
        assert keys.HOST_CALL not in nodes


def test_flow_graph_refuses_an_unknown_flow(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(['flow', 'graph', '--flow', 'teleport']) == 2
    assert 'teleport' in capsys.readouterr().err


@pytest.mark.parametrize('flow_name', sorted(volume_keys.FLOW_TASKS))
def test_flow_graph_draws_a_block_storage_flow(capsys: pytest.CaptureFixture[str],
                                               flow_name: str) -> None:
    assert cli.main(['flow', 'graph', '--flow', flow_name]) == 0
    text = capsys.readouterr().out
    assert f'nova_lite {flow_name} block storage flow' in text
    nodes = _nodes(text)
    tasks = volume_keys.FLOW_TASKS[flow_name]
    assert [name for name in nodes if name not in ('start', 'end')] == list(tasks)
    for before, after in zip(tasks, tasks[1:], strict=False):
        assert f'"{before}" -> "{after}";' in text
    if shutil.which('dot'):
        result = _render_svg(text)
        assert result.returncode == 0, result.stderr.decode()


def test_a_block_storage_flow_has_no_recorded_run_to_draw(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(['flow', 'graph', '--flow', volume_keys.EXTEND_FLOW,
                     '--instance', str(uuid.uuid4())]) == 2
    assert 'boot run only' in capsys.readouterr().err
