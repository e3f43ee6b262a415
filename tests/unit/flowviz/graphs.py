"""Reading a drawn graph back from its DOT text, for the flowviz tests."""

from __future__ import annotations

from collections.abc import Iterator

import pydot

_DEFAULTS = {'node', 'edge', 'graph'}


def parse(graph: pydot.Dot) -> pydot.Dot:
    """The graph as graphviz would read it: its DOT text, parsed again."""
    parsed = pydot.graph_from_dot_data(graph.to_string())
    assert parsed is not None and len(parsed) == 1
    return parsed[0]


def unquote(name: str) -> str:
    return name[1:-1] if len(name) >= 2 and name[0] == name[-1] == '"' else name


def walk(graph: pydot.Graph) -> Iterator[pydot.Graph]:
    yield graph
    for sub in graph.get_subgraphs():
        yield from walk(sub)


def clusters(graph: pydot.Graph) -> list[pydot.Subgraph]:
    return [g for g in walk(graph) if unquote(g.get_name()).startswith('cluster')]


def nodes(graph: pydot.Graph) -> dict[str, pydot.Node]:
    return {unquote(n.get_name()): n for g in walk(graph) for n in g.get_nodes()
            if n.get_name() not in _DEFAULTS}


def node_names(graph: pydot.Graph) -> set[str]:
    """Names of the nodes declared directly in this graph (not in its subgraphs)."""
    return {unquote(n.get_name()) for n in graph.get_nodes() if n.get_name() not in _DEFAULTS}


def edges(graph: pydot.Graph) -> set[tuple[str, str]]:
    return {(unquote(str(e.get_source())), unquote(str(e.get_destination())))
            for g in walk(graph) for e in g.get_edges() if e.get('style') != 'invis'}


def edge(graph: pydot.Graph, source: str, target: str) -> pydot.Edge:
    for g in walk(graph):
        for e in g.get_edges():
            if (unquote(str(e.get_source())), unquote(str(e.get_destination()))) == (
                    source, target):
                return e
    raise AssertionError(f'no edge {source} -> {target}')


def cluster_labelled(graph: pydot.Graph, name: str) -> pydot.Subgraph:
    for cluster in clusters(graph):
        if f'<b>{name}</b>' in str(cluster.get('label')):
            return cluster
    raise AssertionError(f'no cluster labelled {name}')


def attr(element: pydot.Node | pydot.Edge | pydot.Graph, key: str) -> str | None:
    value = element.get(key)
    return None if value is None else unquote(str(value))
