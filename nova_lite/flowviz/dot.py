"""A TaskFlow flow drawn as a DOT graph, optionally coloured by one run's atom states.

Every flow (the outer one included) becomes a cluster labelled with its name and
kind; tasks are boxes labelled with their name and, in small print, the names
they require and provide; a retry controller is a diamond at the entry of the
cluster it controls. Edges show the order of execution: each child of a linear
flow leads to the next one, the children of a graph or unordered flow run in
parallel (the element before fans out to all of them, and they fan in to the
element after), and a graph flow's dependency links are drawn between its
children, labelled with the data that creates them.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import pydot
from taskflow import atom as tf_atom
from taskflow import flow as tf_flow
from taskflow import retry as tf_retry
from taskflow import states
from taskflow.patterns import graph_flow, linear_flow, unordered_flow

NO_STATE_COLOUR = '#ffffff'
STATE_COLOURS: Mapping[str, str] = {
    states.SUCCESS: '#8fd18f',         # green
    states.REVERTED: '#f5a25d',        # orange
    states.FAILURE: '#e5534b',         # red
    states.REVERT_FAILURE: '#8b1a1a',  # dark red
    states.RUNNING: '#f5e663',         # yellow
    states.REVERTING: '#f5e663',
    states.RETRYING: '#f5e663',
    states.PENDING: '#cccccc',         # grey
    states.IGNORE: '#cccccc',
}
# Fills too dark for black text.
_DARK_FILLS = frozenset({STATE_COLOURS[states.REVERT_FAILURE]})

_LEGEND: tuple[tuple[str, str], ...] = (
    ('SUCCESS', STATE_COLOURS[states.SUCCESS]),
    ('REVERTED', STATE_COLOURS[states.REVERTED]),
    ('FAILURE', STATE_COLOURS[states.FAILURE]),
    ('REVERT_FAILURE', STATE_COLOURS[states.REVERT_FAILURE]),
    ('RUNNING / REVERTING', STATE_COLOURS[states.RUNNING]),
    ('PENDING / IGNORE', STATE_COLOURS[states.PENDING]),
    ('no state recorded', NO_STATE_COLOUR),
)

_FONT = 'Helvetica'
_SMALL = 9


def flow_kind(flow: tf_flow.Flow) -> str:
    """How the children of a flow run, as shown in its cluster's label."""
    if isinstance(flow, linear_flow.Flow):
        return 'linear'
    if isinstance(flow, graph_flow.Flow):
        return 'graph (parallel)'
    if isinstance(flow, unordered_flow.Flow):
        return 'unordered (parallel)'
    return type(flow).__name__


def state_colour(state: str | None) -> str:
    """The fill colour of an atom that reached ``state`` (white when unknown)."""
    if state is None:
        return NO_STATE_COLOUR
    return STATE_COLOURS.get(state, NO_STATE_COLOUR)


def quote_id(name: str) -> str:
    """A DOT id for ``name``: always quoted, so '-', ':' and spaces are safe.

    Quotes and backslashes (which DOT would read as escapes) become '_'.
    """
    return '"' + name.replace('\\', '_').replace('"', '_') + '"'


class _Ids:
    """Hands out DOT node ids, never the same one twice."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, wanted: str) -> str:
        candidate = quote_id(wanted)
        count = 1
        while candidate in self._taken:
            count += 1
            candidate = quote_id(f'{wanted}#{count}')
        self._taken.add(candidate)
        return candidate


@dataclasses.dataclass(frozen=True)
class _Span:
    """Where a drawn element starts and ends, for the edges around it."""

    entries: tuple[str, ...]
    exits: tuple[str, ...]


def _iter_atoms(flow: tf_flow.Flow) -> Iterator[tf_atom.Atom]:
    if flow.retry is not None:
        yield flow.retry
    for child in flow:
        if isinstance(child, tf_flow.Flow):
            yield from _iter_atoms(child)
        else:
            yield child


def _names(values: Iterable[str]) -> str:
    return ', '.join(html.escape(str(v)) for v in sorted(values, key=str))


class _Drawer:
    """Draws one flow into one pydot graph (a fresh drawer per drawing)."""

    def __init__(self, graph: pydot.Dot, atom_states: Mapping[str, str] | None,
                 atom_runs: Mapping[str, int] | None,
                 atom_notes: Mapping[str, Sequence[str]] | None = None) -> None:
        self._graph = graph
        self._states = atom_states
        self._runs = atom_runs or {}
        self._notes = atom_notes or {}
        self._ids = _Ids()
        self._atom_ids: dict[int, str] = {}
        self._edges: set[tuple[str, str]] = set()
        self._clusters = 0

    def reserve_atom_ids(self, flow: tf_flow.Flow) -> None:
        """Give atoms their own names as ids before any helper node takes one."""
        for item in _iter_atoms(flow):
            if id(item) not in self._atom_ids:
                self._atom_ids[id(item)] = self._ids.take(item.name)

    def helper_id(self, wanted: str) -> str:
        return self._ids.take(wanted)

    def connect(self, sources: Iterable[str], targets: Iterable[str], **attrs: Any) -> None:
        targets = tuple(targets)
        for source in sources:
            for target in targets:
                if (source, target) in self._edges:
                    continue
                self._edges.add((source, target))
                self._graph.add_edge(pydot.Edge(source, target, **attrs))

    def draw_flow(self, flow: tf_flow.Flow, parent: pydot.Graph) -> _Span:
        self._clusters += 1
        cluster = pydot.Subgraph(f'cluster_{self._clusters}', label=self._flow_label(flow),
                                 **self._cluster_style(flow))
        parent.add_subgraph(cluster)

        spans: dict[int, _Span] = {}
        order: list[Any] = []
        for child, _meta in flow.iter_nodes():
            order.append(child)
            if isinstance(child, tf_flow.Flow):
                spans[id(child)] = self.draw_flow(child, cluster)
            elif isinstance(child, tf_atom.Atom):
                spans[id(child)] = self._draw_atom(child, cluster)
            else:
                raise TypeError(f'flow {flow.name!r} holds {child!r}, neither a flow '
                                'nor an atom')

        has_incoming: set[int] = set()
        has_outgoing: set[int] = set()
        for source, target, meta in flow.iter_links():
            has_outgoing.add(id(source))
            has_incoming.add(id(target))
            self.connect(spans[id(source)].exits, spans[id(target)].entries,
                         **self._link_style(flow, meta or {}))
        entries = tuple(e for c in order if id(c) not in has_incoming
                        for e in spans[id(c)].entries)
        exits = tuple(e for c in order if id(c) not in has_outgoing
                      for e in spans[id(c)].exits)

        if flow.retry is not None:
            retry_span = self._draw_atom(flow.retry, cluster)
            self.connect(retry_span.exits, entries)
            return _Span(retry_span.entries, exits or retry_span.exits)
        if not order:
            placeholder = self.helper_id(f'{flow.name}:empty')
            cluster.add_node(pydot.Node(placeholder, label='(empty)', shape='plaintext',
                                        style='solid'))
            return _Span((placeholder,), (placeholder,))
        return _Span(entries, exits)

    def _flow_label(self, flow: tf_flow.Flow) -> str:
        label = f'<<b>{html.escape(flow.name)}</b>  <i>{html.escape(flow_kind(flow))}</i>'
        if flow.retry is not None:
            label += (f'<br/><font point-size="{_SMALL}">retried by '
                      f'{html.escape(flow.retry.name)}</font>')
        return label + '>'

    @staticmethod
    def _cluster_style(flow: tf_flow.Flow) -> dict[str, Any]:
        style = {'style': 'rounded', 'color': '#777777', 'fontname': _FONT,
                 'labeljust': 'l'}
        if isinstance(flow, (graph_flow.Flow, unordered_flow.Flow)):
            style.update(style='rounded,filled', fillcolor='#eef4fb')
        if flow.retry is not None:
            style['color'] = '#b35900'
        return style

    @staticmethod
    def _link_style(flow: tf_flow.Flow, meta: Mapping[str, Any]) -> dict[str, Any]:
        if not isinstance(flow, graph_flow.Flow):
            return {}
        style: dict[str, Any] = {'color': '#2f5f8f', 'fontsize': _SMALL,
                                 'fontname': _FONT}
        reasons = meta.get(tf_flow.LINK_REASONS)
        if reasons:
            style['label'] = ', '.join(sorted(str(r) for r in reasons))
        if meta.get(tf_flow.LINK_DECIDER) is not None:
            style['style'] = 'dashed'
            style['label'] = (style.get('label', '') + ' (decided)').strip()
        return style

    def _draw_atom(self, item: tf_atom.Atom, parent: pydot.Graph) -> _Span:
        node_id = self._atom_ids[id(item)]
        state = None if self._states is None else self._states.get(item.name)
        fill = state_colour(state)
        attrs: dict[str, Any] = {'label': self._atom_label(item, state), 'fillcolor': fill,
                                 'fontcolor': 'white' if fill in _DARK_FILLS else 'black'}
        if isinstance(item, tf_retry.Retry):
            attrs.update(shape='diamond', style='filled', color='#b35900')
        parent.add_node(pydot.Node(node_id, **attrs))
        return _Span((node_id,), (node_id,))

    def _atom_label(self, item: tf_atom.Atom, state: str | None) -> str:
        head = f'<b>{html.escape(item.name)}</b>'
        runs = int(self._runs.get(item.name, 0) or 0)
        if runs > 1:
            head += f' (ran {runs} times)'
        lines = [head]
        if isinstance(item, tf_retry.Retry):
            lines.append(f'<font point-size="{_SMALL}"><i>retry controller: '
                         f'{html.escape(type(item).__name__)}</i></font>')
        if item.requires:
            lines.append(f'<font point-size="{_SMALL}">requires: '
                         f'{_names(item.requires)}</font>')
        if item.provides:
            lines.append(f'<font point-size="{_SMALL}">provides: '
                         f'{_names(item.provides)}</font>')
        if self._states is not None:
            lines.append(f'<font point-size="{_SMALL}"><i>'
                         f'{html.escape(state or "no state")}</i></font>')
        for note in self._notes.get(item.name, ()):
            lines.append(f'<font point-size="{_SMALL}">{html.escape(note)}</font>')
        return '<' + '<br/>'.join(lines) + '>'

    def draw_legend(self) -> None:
        self._clusters += 1
        legend = pydot.Subgraph(f'cluster_{self._clusters}', label='<<b>legend</b>>',
                                style='rounded', color='#999999', fontname=_FONT)
        previous: str | None = None
        for text, colour in _LEGEND:
            node_id = self.helper_id(f'legend:{text}')
            legend.add_node(pydot.Node(
                node_id, label=text, fillcolor=colour, fontsize=_SMALL,
                fontcolor='white' if colour in _DARK_FILLS else 'black'))
            if previous is not None:
                legend.add_edge(pydot.Edge(previous, node_id, style='invis'))
            previous = node_id
        self._graph.add_subgraph(legend)

    def draw_account(self, lines: Sequence[str]) -> None:
        """A note with the account of the run, one statement per line."""
        self._clusters += 1
        cluster = pydot.Subgraph(f'cluster_{self._clusters}', label='<<b>the run</b>>',
                                 style='rounded', color='#999999', fontname=_FONT)
        text = ''.join(f'{html.escape(line)}<br align="left"/>' for line in lines)
        cluster.add_node(pydot.Node(self.helper_id('account'), label=f'<{text}>',
                                    shape='note', style='filled', fillcolor='#fffbe6',
                                    fontsize=10))
        self._graph.add_subgraph(cluster)


def flow_to_dot(flow: tf_flow.Flow, *, atom_states: Mapping[str, str] | None = None,
                atom_runs: Mapping[str, int] | None = None,
                atom_notes: Mapping[str, Sequence[str]] | None = None,
                account: Sequence[str] | None = None,
                title: str | None = None) -> pydot.Dot:
    """Draw ``flow`` as a directed DOT graph from a start node to an end node.

    :param atom_states: state each atom (by name) reached in one run; nodes are
        filled by state and a legend is added. Atoms missing from it stay white.
    :param atom_runs: how many times each atom ran; more than once adds
        '(ran N times)' to its label.
    :param atom_notes: lines of small print added to an atom's label (say,
        the state it reached on each attempt).
    :param account: an account of the run, drawn as a note beside the flow.
    :param title: the graph's label (the flow's name when not given).
    """
    if not isinstance(flow, tf_flow.Flow):
        raise TypeError(f'flow_to_dot needs a taskflow flow, not {type(flow).__name__}')
    graph = pydot.Dot(graph_name='flow', graph_type='digraph', rankdir='TB',
                      label=title if title is not None else flow.name, labelloc='t',
                      fontname=_FONT, fontsize=16)
    graph.set_node_defaults(shape='box', style='rounded,filled', fillcolor=NO_STATE_COLOUR,
                            fontname=_FONT, fontsize=11)
    graph.set_edge_defaults(arrowsize=0.7)

    drawer = _Drawer(graph, atom_states, atom_runs, atom_notes)
    drawer.reserve_atom_ids(flow)
    start = drawer.helper_id('start')
    end = drawer.helper_id('end')
    graph.add_node(pydot.Node(start, label='start', shape='circle', style='filled',
                              fillcolor='#333333', fontcolor='white', fontsize=9))
    span = drawer.draw_flow(flow, graph)
    graph.add_node(pydot.Node(end, label='end', shape='doublecircle', style='filled',
                              fillcolor='#333333', fontcolor='white', fontsize=9))
    drawer.connect((start,), span.entries)
    drawer.connect(span.exits, (end,))
    if atom_states is not None:
        drawer.draw_legend()
    if account:
        drawer.draw_account(account)
    return graph
