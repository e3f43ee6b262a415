"""``nova-lite flow graph --instance ID --format text``: the account of a run, as text."""

from __future__ import annotations

import pathlib
import uuid

import pytest
from taskflow import states

from nova_lite.cmd import cli
from nova_lite.common import timeutils
from nova_lite.conductor.flows import keys
from nova_lite.db import api as db_api
from nova_lite.db.models import flow_history


def _record(db: db_api.Database, instance_id: str,
            events: list[tuple[str, str, int | None, str | None, str | None]]) -> None:
    """Events (atom, state, attempt, host, runner), and each atom's last state."""
    now = timeutils.utcnow()
    last: dict[str, str] = {}
    with db.session() as session:
        for atom, state, attempt, host, runner in events:
            session.add(flow_history.FlowAtomEvent(
                instance_id=instance_id, flow_name=keys.BOOT_FLOW, atom_name=atom,
                state=state, attempt=attempt, host=host, runner=runner, at=now))
            if atom != keys.BOOT_FLOW:
                last[atom] = state
            session.flush()
        for atom, state in last.items():
            session.add(flow_history.FlowAtomState(
                instance_id=instance_id, flow_name=keys.BOOT_FLOW, atom_name=atom,
                state=state, runs=1, updated_at=now))


RESUMED_RUN = [
    (keys.BOOT_FLOW, states.RUNNING, None, None, 'conductor-a'),
    (keys.HOST_RETRY, states.RUNNING, 1, None, 'conductor-a'),
    (keys.HOST_RETRY, states.SUCCESS, 1, None, 'conductor-a'),
    (keys.SCHEDULE, states.SUCCESS, 1, 'host1', 'conductor-a'),
    (keys.SPAWN, states.RUNNING, 1, 'host1', 'conductor-a'),
    (keys.BOOT_FLOW, states.RUNNING, None, None, 'conductor-b'),
    (keys.SPAWN, states.RUNNING, 1, 'host1', 'conductor-b'),
    (keys.SPAWN, states.SUCCESS, 1, 'host1', 'conductor-b'),
    (keys.BOOT_FLOW, states.SUCCESS, None, None, 'conductor-b'),
]


def test_text_format_prints_the_account(synced_state: tuple[str, db_api.Database],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    conf_file, db = synced_state
    instance_id = str(uuid.uuid4())
    _record(db, instance_id, RESUMED_RUN)
    _record(db, str(uuid.uuid4()), [(keys.SPAWN, states.FAILURE, 1, 'host9', 'other')])
    capsys.readouterr()
    assert cli.main(['--config-file', conf_file, 'flow', 'graph', '--instance', instance_id,
                     '--format', 'text']) == 0
    assert capsys.readouterr().out == (
        f'boot of instance {instance_id}\n'
        '  started by conductor conductor-a; stopped while running spawn\n'
        '  attempt 1 on host1 by conductor-a then conductor-b: spawn SUCCESS\n'
        '  resumed by conductor conductor-b (tasks run twice: spawn)\n'
        f'  {keys.BOOT_FLOW} ended SUCCESS\n')


def test_text_format_to_a_file_and_the_dot_graph_carries_it(
        synced_state: tuple[str, db_api.Database], tmp_path: pathlib.Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    conf_file, db = synced_state
    instance_id = str(uuid.uuid4())
    _record(db, instance_id, RESUMED_RUN)
    out = tmp_path / 'account.txt'
    assert cli.main(['--config-file', conf_file, 'flow', 'graph', '--instance', instance_id,
                     '--format', 'text', '-o', str(out)]) == 0
    assert 'resumed by conductor conductor-b' in out.read_text()
    capsys.readouterr()
    assert cli.main(['--config-file', conf_file, 'flow', 'graph',
                     '--instance', instance_id]) == 0
    graph = capsys.readouterr().out
    assert 'resumed by conductor conductor-b (tasks run twice: spawn)' in graph
    assert 'run again after a stop by conductor-b' in graph


def test_text_format_needs_an_instance(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(['flow', 'graph', '--format', 'text']) == 2
    captured = capsys.readouterr()
    assert '--format text needs --instance' in captured.err
    assert captured.out == ''


def test_text_format_of_an_unknown_instance_is_not_found(
        synced_state: tuple[str, db_api.Database], capsys: pytest.CaptureFixture[str]) -> None:
    conf_file, _db = synced_state
    missing = str(uuid.uuid4())
    assert cli.main(['--config-file', conf_file, 'flow', 'graph', '--instance', missing,
                     '--format', 'text']) != 0
    captured = capsys.readouterr()
    assert missing in captured.err and 'Traceback' not in captured.err
