"""Python warnings reach the log, never raw onto the terminal."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator

import pytest

from nova_lite.common import warnings_log


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def collected() -> Iterator[_Collect]:
    """A handler on the root logger; capture is undone after the test."""
    handler = _Collect()
    root = logging.getLogger()
    root.addHandler(handler)
    saved_level = logging.getLogger(warnings_log.LOGGER_NAME).level
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        warnings_log.release()
        logging.getLogger(warnings_log.LOGGER_NAME).setLevel(saved_level)
        logging.captureWarnings(False)


def _warn(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter('always')
        # catch_warnings restores showwarning: emit through the captured one.
        warnings.showwarning(UserWarning(text), UserWarning, __file__, 1)


def test_held_warnings_reach_the_log_once_it_is_set_up(
        collected: _Collect, capsys: pytest.CaptureFixture[str]) -> None:
    warnings_log.hold()
    _warn('library said something')
    assert collected.messages == []  # held: logging is not set up yet
    warnings_log.release()
    assert any('library said something' in m for m in collected.messages)
    _warn('and again')
    assert any('and again' in m for m in collected.messages)
    assert capsys.readouterr().err == ''


def test_warnings_are_dropped_when_the_log_is_the_terminal(
        collected: _Collect, capsys: pytest.CaptureFixture[str]) -> None:
    warnings_log.hold()
    _warn('held, then dropped')
    warnings_log.release(to_terminal=True)
    _warn('dropped')
    assert not any('dropped' in m for m in collected.messages)
    assert capsys.readouterr().err == ''


def test_the_buffer_is_bounded(collected: _Collect) -> None:
    warnings_log.hold()
    for number in range(warnings_log.BUFFER_SIZE + 10):
        _warn(f'warning {number}')
    warnings_log.release()
    numbers = [int(found) for m in collected.messages
               for found in re.findall(r'UserWarning: warning (\d+)', m)]
    # The oldest ten were dropped; the rest arrive in order.
    assert numbers == list(range(10, warnings_log.BUFFER_SIZE + 10))


def test_a_console_script_prints_no_warning_of_a_library() -> None:
    """Every warning Python would show (PYTHONWARNINGS=always) stays off stderr."""
    result = subprocess.run(
        [sys.executable, '-W', 'always', '-m', 'nova_lite.cmd.cli', 'flow', 'graph'],
        capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('digraph')
    assert result.stderr == ''


def test_with_debug_the_warnings_are_in_the_log() -> None:
    result = subprocess.run(
        [sys.executable, '-W', 'always', '-m', 'nova_lite.cmd.cli', '--debug', 'flow',
         'graph'], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert 'WARNING py.warnings' in result.stderr
