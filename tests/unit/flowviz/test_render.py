"""write_graph: DOT text without graphviz, SVG and PNG through graphviz's dot."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pydot
import pytest

from nova_lite.flowviz import dot, render
from tests.unit.flowviz import flows

needs_graphviz = pytest.mark.skipif(not render.graphviz_available(),
                                    reason="graphviz's dot program is not installed")


@pytest.fixture
def graph() -> pydot.Dot:
    return dot.flow_to_dot(flows.sample_flow(), atom_states={'prepare': 'SUCCESS'},
                           atom_runs={'launch': 2}, title='sample run')


def test_dot_format_writes_the_text_without_graphviz(
        graph: pydot.Dot, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv('PATH', str(tmp_path / 'no-programs-here'))
    assert not render.graphviz_available()
    path = str(tmp_path / 'flow.dot')
    assert render.write_graph(graph, path, 'dot') == path
    with open(path, encoding='utf-8') as written:
        text = written.read()
    assert text == graph.to_string()
    assert text.startswith('digraph flow {') and '(ran 2 times)' in text


@needs_graphviz
def test_written_dot_file_is_accepted_by_graphviz(graph: pydot.Dot,
                                                  tmp_path: pathlib.Path) -> None:
    path = render.write_graph(graph, str(tmp_path / 'flow.dot'), 'dot')
    result = subprocess.run([shutil.which('dot'), '-Tsvg', path], capture_output=True,
                            timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    assert b'<svg' in result.stdout


@needs_graphviz
def test_svg_is_rendered(graph: pydot.Dot, tmp_path: pathlib.Path) -> None:
    path = render.write_graph(graph, str(tmp_path / 'flow.svg'), 'svg')
    with open(path, 'rb') as written:
        content = written.read()
    assert content.lstrip().startswith((b'<?xml', b'<svg'))
    assert b'<svg' in content and b'fetch&#45;b' in content and b'sample run' in content
    assert not os.path.exists(path + '.partial')


@needs_graphviz
def test_png_is_rendered(graph: pydot.Dot, tmp_path: pathlib.Path) -> None:
    path = render.write_graph(graph, str(tmp_path / 'flow.png'), 'png')
    with open(path, 'rb') as written:
        assert written.read(8) == b'\x89PNG\r\n\x1a\n'
    assert os.path.getsize(path) > 1000


def test_unknown_format_is_refused_before_writing(graph: pydot.Dot,
                                                  tmp_path: pathlib.Path) -> None:
    path = tmp_path / 'flow.pdf'
    with pytest.raises(ValueError, match="unknown graph format 'pdf'.*dot, svg, png"):
        render.write_graph(graph, str(path), 'pdf')
    assert not path.exists()


@pytest.mark.parametrize('fmt', ['svg', 'png'])
def test_rendering_without_graphviz_names_the_missing_program(
        graph: pydot.Dot, tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch,
        fmt: str) -> None:
    monkeypatch.setenv('PATH', str(tmp_path / 'no-programs-here'))
    path = tmp_path / f'flow.{fmt}'
    with pytest.raises(RuntimeError, match="graphviz's 'dot' program, which is not on PATH"):
        render.write_graph(graph, str(path), fmt)
    assert not path.exists()


@needs_graphviz
def test_graphviz_errors_are_reported(tmp_path: pathlib.Path) -> None:
    broken = pydot.Dot(graph_name='broken', graph_type='digraph')
    broken.add_node(pydot.Node('a', label='<<b>unclosed>'))
    path = tmp_path / 'broken.svg'
    with pytest.raises(RuntimeError, match=r"failed to render svg \(exit code"):
        render.write_graph(broken, str(path), 'svg')
    assert not path.exists() and not (tmp_path / 'broken.svg.partial').exists()
