"""flow_to_dot: clusters, nodes, order edges, colours and run counts in the DOT text."""

from __future__ import annotations

from typing import Any

import pydot
import pytest
from taskflow import engines, states
from taskflow import flow as tf_flow
from taskflow.patterns import graph_flow, linear_flow, unordered_flow

from nova_lite.flowviz import dot
from tests.unit.flowviz import flows, graphs

pytestmark = pytest.mark.filterwarnings('ignore::DeprecationWarning:pydot.*')


def _draw(flow: tf_flow.Flow, **kwargs: Any) -> pydot.Dot:
    return graphs.parse(dot.flow_to_dot(flow, **kwargs))


def test_every_flow_is_a_cluster_labelled_with_name_and_kind() -> None:
    graph = _draw(flows.sample_flow())
    labels = [graphs.attr(c, 'label') for c in graphs.clusters(graph)]
    assert len(labels) == 3
    assert graphs.attr(graphs.cluster_labelled(graph, 'boot:main'), 'label').endswith(
        '<i>linear</i>>')
    assert '<i>graph (parallel)</i>' in graphs.attr(
        graphs.cluster_labelled(graph, 'gather-all'), 'label')
    attempt = graphs.attr(graphs.cluster_labelled(graph, 'attempt'), 'label')
    assert '<i>linear</i>' in attempt and 'retried by attempt:retry' in attempt


def test_every_task_has_a_node_inside_its_own_cluster() -> None:
    graph = _draw(flows.sample_flow())
    assert graphs.node_names(graphs.cluster_labelled(graph, 'boot:main')) == {
        'prepare', 'finish'}
    assert graphs.node_names(graphs.cluster_labelled(graph, 'gather-all')) == set(
        flows.PARALLEL)
    assert graphs.node_names(graphs.cluster_labelled(graph, 'attempt')) == {
        'place', 'launch', 'attempt:retry'}
    assert graphs.node_names(graph) == {'start', 'end'}


def test_retry_controller_is_a_diamond_labelled_with_its_name() -> None:
    node = graphs.nodes(_draw(flows.sample_flow()))['attempt:retry']
    assert graphs.attr(node, 'shape') == 'diamond'
    assert '<b>attempt:retry</b>' in graphs.attr(node, 'label')
    assert 'retry controller: Times' in graphs.attr(node, 'label')


def test_edges_follow_the_linear_order_and_fan_out_and_in_around_parallel_tasks() -> None:
    edges = graphs.edges(_draw(flows.sample_flow()))
    expected = {('start', 'prepare'), ('attempt:retry', 'place'), ('place', 'launch'),
                ('launch', 'finish'), ('finish', 'end')}
    expected |= {('prepare', name) for name in flows.PARALLEL}
    expected |= {(name, 'attempt:retry') for name in flows.PARALLEL}
    assert edges == expected


def test_parallel_tasks_without_data_dependency_have_no_edges_among_themselves() -> None:
    edges = graphs.edges(_draw(flows.sample_flow()))
    assert not {(a, b) for a, b in edges if a in flows.PARALLEL and b in flows.PARALLEL}


def test_graph_flow_draws_its_dependency_links_labelled_with_the_data() -> None:
    inner = graph_flow.Flow('deps').add(
        flows.Fetch(name='make-x', provides='x'),
        flows.Fetch(name='use-x', rebind={'ticket': 'x'}),
        flows.Fetch(name='alone'))
    graph = _draw(linear_flow.Flow('outer').add(flows.Step(name='first'), inner,
                                                flows.Step(name='last')))
    edges = graphs.edges(graph)
    assert ('make-x', 'use-x') in edges
    assert graphs.attr(graphs.edge(graph, 'make-x', 'use-x'), 'label') == 'x'
    # Only tasks nothing in the subflow waits for start it; only those nothing follows end it.
    assert {t for s, t in edges if s == 'first'} == {'make-x', 'alone'}
    assert {s for s, t in edges if t == 'last'} == {'use-x', 'alone'}
    assert ('alone', 'make-x') not in edges and ('make-x', 'alone') not in edges


def test_unordered_flow_children_run_in_parallel() -> None:
    inner = unordered_flow.Flow('fan').add(flows.Step(name='u1'), flows.Step(name='u2'))
    graph = _draw(linear_flow.Flow('outer').add(flows.Step(name='a'), inner,
                                                flows.Step(name='b')))
    assert '<i>unordered (parallel)</i>' in graphs.attr(
        graphs.cluster_labelled(graph, 'fan'), 'label')
    assert graphs.edges(graph) == {('start', 'a'), ('a', 'u1'), ('a', 'u2'), ('u1', 'b'),
                                   ('u2', 'b'), ('b', 'end')}


def test_task_labels_show_requires_and_provides_in_small_print() -> None:
    nodes = graphs.nodes(_draw(flows.sample_flow()))
    prepare = graphs.attr(nodes['prepare'], 'label')
    assert '<b>prepare</b>' in prepare
    assert '<font point-size="9">requires: request_id</font>' in prepare
    assert '<font point-size="9">provides: ticket</font>' in prepare
    fetch = graphs.attr(nodes['fetch-b'], 'label')
    assert 'requires: ticket' in fetch and 'provides: fetch-b-out' in fetch
    assert 'requires' not in graphs.attr(nodes['place'], 'label')


def test_states_fill_nodes_and_add_a_legend() -> None:
    atom_states = {'prepare': states.SUCCESS, 'fetch-a': states.REVERTED,
                   'fetch-b': states.FAILURE, 'fetch-c': states.REVERT_FAILURE,
                   'attempt:retry': states.RUNNING, 'place': states.REVERTING,
                   'launch': states.PENDING, 'finish': states.IGNORE}
    graph = _draw(flows.sample_flow(), atom_states=atom_states)
    nodes = graphs.nodes(graph)
    fills = {name: graphs.attr(nodes[name], 'fillcolor') for name in atom_states}
    assert fills == {'prepare': '#8fd18f', 'fetch-a': '#f5a25d', 'fetch-b': '#e5534b',
                     'fetch-c': '#8b1a1a', 'attempt:retry': '#f5e663', 'place': '#f5e663',
                     'launch': '#cccccc', 'finish': '#cccccc'}
    assert graphs.attr(nodes['fetch-c'], 'fontcolor') == 'white'
    assert 'REVERT_FAILURE' in graphs.attr(nodes['fetch-c'], 'label')
    legend = graphs.cluster_labelled(graph, 'legend')
    legend_fills = {graphs.attr(n, 'fillcolor') for n in legend.get_nodes()}
    assert set(fills.values()) | {'#ffffff'} <= legend_fills


def test_atoms_without_a_state_stay_white_and_no_states_means_no_legend() -> None:
    graph = _draw(flows.sample_flow(), atom_states={'prepare': states.SUCCESS})
    assert graphs.attr(graphs.nodes(graph)['finish'], 'fillcolor') == dot.NO_STATE_COLOUR
    assert 'no state' in graphs.attr(graphs.nodes(graph)['finish'], 'label')
    plain = _draw(flows.sample_flow())
    assert {graphs.attr(n, 'fillcolor') for name, n in graphs.nodes(plain).items()
            if name not in ('start', 'end')} == {dot.NO_STATE_COLOUR}
    assert len(graphs.clusters(plain)) == 3
    assert 'legend' not in plain.to_string()


def test_runs_above_one_are_shown_in_the_label() -> None:
    graph = _draw(flows.sample_flow(), atom_runs={'launch': 2, 'place': 1})
    nodes = graphs.nodes(graph)
    assert '(ran 2 times)' in graphs.attr(nodes['launch'], 'label')
    assert 'ran' not in graphs.attr(nodes['place'], 'label')


def _run(flow: tf_flow.Flow, *,
         fails: bool = False) -> tuple[dict[str, str], dict[str, int]]:
    """Run ``flow`` and return each atom's last state and how many times it ran."""
    engine = engines.load(flow, store={'request_id': 'req-1'})
    runs: dict[str, int] = {}

    def count(state: str, details: dict[str, Any]) -> None:
        name = details.get('task_name') or details.get('retry_name')
        if state == states.RUNNING:
            runs[name] = runs.get(name, 0) + 1

    engine.atom_notifier.register('*', count)
    if fails:
        with pytest.raises(RuntimeError, match='always fails'):
            engine.run()
    else:
        engine.run()
    atom_states = {name: state for name, (state, _intention)
                   in engine.storage.get_atoms_states(flows.ATOM_NAMES).items()}
    return atom_states, runs


def test_a_real_run_that_retried_once_is_green_and_shows_the_second_run() -> None:
    atom_states, runs = _run(flows.sample_flow(launch=flows.FailOnce('launch')))
    nodes = graphs.nodes(_draw(flows.sample_flow(), atom_states=atom_states,
                               atom_runs=runs))
    assert {graphs.attr(n, 'fillcolor') for name, n in nodes.items()
            if name in atom_states} == {dot.STATE_COLOURS[states.SUCCESS]}
    assert '(ran 2 times)' in graphs.attr(nodes['launch'], 'label')
    assert 'ran' not in graphs.attr(nodes['prepare'], 'label')


def test_a_real_run_that_failed_is_drawn_reverted() -> None:
    flow = flows.sample_flow(finish=flows.AlwaysFail(name='finish'))
    atom_states, runs = _run(flow, fails=True)
    assert set(atom_states.values()) == {states.REVERTED}
    nodes = graphs.nodes(_draw(flow, atom_states=atom_states, atom_runs=runs))
    assert {graphs.attr(nodes[name], 'fillcolor') for name in flows.ATOM_NAMES} == {
        dot.STATE_COLOURS[states.REVERTED]}
    assert 'REVERTED' in graphs.attr(nodes['finish'], 'label')


def test_awkward_names_get_safe_unique_ids() -> None:
    flow = linear_flow.Flow('odd "flow"').add(
        flows.Step(name='start'), flows.Step(name='a:b-c d'), flows.Step(name='say "hi"'),
        linear_flow.Flow('empty-sub'))
    graph = _draw(flow)
    names = graphs.nodes(graph)
    assert {'start', 'a:b-c d', 'say _hi_'} <= set(names)
    start_node = [n for n in names if n != 'start' and n.startswith('start')]
    assert len(start_node) == 1
    edges = graphs.edges(graph)
    assert (start_node[0], 'start') in edges
    assert ('start', 'a:b-c d') in edges
    assert '"a:b-c d"' in dot.flow_to_dot(flow).to_string()
    assert graphs.attr(graphs.cluster_labelled(graph, 'empty-sub'), 'label') is not None
    assert 'say &quot;hi&quot;' in graphs.attr(names['say _hi_'], 'label')


def test_title_labels_the_graph() -> None:
    assert graphs.attr(_draw(flows.sample_flow(), title='boot of i-1'), 'label') == (
        'boot of i-1')
    assert graphs.attr(_draw(flows.sample_flow()), 'label') == 'boot:main'


def test_only_flows_can_be_drawn() -> None:
    with pytest.raises(TypeError, match='taskflow flow'):
        dot.flow_to_dot(flows.Step(name='lonely'))
