"""Sphinx configuration for the nova_lite documentation."""

project = 'nova_lite'
author = 'nova_lite developers'
copyright = '2026, nova_lite developers'

extensions = [
    'oslo_config.sphinxext',
]

master_doc = 'index'
exclude_patterns = ['build']
pygments_style = 'sphinx'

html_theme = 'alabaster'
html_title = 'nova_lite'
html_static_path: list[str] = []


def _draw_boot_flow(app: object) -> None:
    """Render the boot flow from the flow factory into _generated/ (DOT and SVG)."""
    import os

    from nova_lite.flowviz import boot_flow as drawing
    from nova_lite.flowviz import render

    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '_generated')
    os.makedirs(out_dir, exist_ok=True)
    graph = drawing.boot_graph()
    render.write_graph(graph, os.path.join(out_dir, 'boot-flow.dot'), 'dot')
    render.write_graph(graph, os.path.join(out_dir, 'boot-flow.svg'), 'svg')


def _draw_layers(app: object) -> None:
    """Render the layer diagram from the import contract (tools/import_contract.py)."""
    import os
    import sys

    import pydot

    from nova_lite.flowviz import render

    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, os.path.dirname(os.path.dirname(here)))
    from tools import import_contract

    out_dir = os.path.join(here, '_generated')
    os.makedirs(out_dir, exist_ok=True)
    (graph,) = pydot.graph_from_dot_data('\n'.join(import_contract.layer_diagram()))
    render.write_graph(graph, os.path.join(out_dir, 'layers.dot'), 'dot')
    render.write_graph(graph, os.path.join(out_dir, 'layers.svg'), 'svg')


def setup(app: object) -> None:
    app.connect('builder-inited', _draw_boot_flow)  # type: ignore[attr-defined]
    app.connect('builder-inited', _draw_layers)  # type: ignore[attr-defined]
