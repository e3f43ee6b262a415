"""Drawings of TaskFlow flows as DOT graphs.

``dot.flow_to_dot`` turns a flow (optionally with the states its atoms reached in
one run) into a ``pydot.Dot``; ``render.write_graph`` writes it as DOT text, or as
SVG/PNG through graphviz's ``dot`` program; ``account.build_account`` tells one
run from its atoms' recorded state changes (attempts, hosts, resumes).
"""
