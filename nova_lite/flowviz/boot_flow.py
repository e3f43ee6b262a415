"""Drawings of the boot flow, plain or coloured by one instance's run, and the
account of that run as text."""

from __future__ import annotations

import os
import typing

import pydot
from sqlalchemy import exc as sa_exc

from nova_lite.conductor import flow_states
from nova_lite.conductor.flows import boot, keys
from nova_lite.db import api as db_api
from nova_lite.flowviz import account, dot, render


def describe_boot_flow(max_attempts: int = 3) -> typing.Any:
    """The boot flow's structure, built with no service behind its tasks.

    Task constructors only keep their dependencies, so the flow can be built
    (and drawn) without a running cloud.
    """
    nothing = typing.cast(typing.Any, None)
    deps = boot.BootDependencies(instances=nothing, flavors=nothing, identity=nothing,
                                 images=nothing, networks=nothing, volumes=nothing,
                                 scheduler=nothing, compute=nothing, sealer=nothing,
                                 cleanup=nothing,
                                 max_attempts=max_attempts)
    return boot.get_boot_flow(deps)


def has_recorded_run(db: db_api.Database, instance_id: str) -> bool:
    """Whether this database holds a recorded boot of the instance (False if no schema)."""
    if db.is_sqlite and not os.path.exists(db.url.database or ''):
        return False
    try:
        states, _runs = flow_states.load_atom_states(db, instance_id, keys.BOOT_FLOW)
    except sa_exc.DBAPIError:
        return False
    return bool(states)


def boot_graph(db: db_api.Database | None = None,
               instance_id: str | None = None) -> pydot.Dot:
    """The boot flow as DOT; with an instance, coloured by the state its run reached."""
    if instance_id is None or db is None:
        return dot.flow_to_dot(describe_boot_flow(), title='nova_lite boot flow')
    states, runs = flow_states.load_atom_states(db, instance_id, keys.BOOT_FLOW)
    run = account.load_account(db, instance_id, keys.BOOT_FLOW)
    return dot.flow_to_dot(describe_boot_flow(), atom_states=states, atom_runs=runs,
                           atom_notes=run.atom_notes(), account=run.lines(),
                           title=f'boot of instance {instance_id}')


def boot_account_text(db: db_api.Database, instance_id: str) -> str:
    """The account of an instance's boot as plain text: attempts, hosts, resumes."""
    run = account.load_account(db, instance_id, keys.BOOT_FLOW)
    lines = account.account_lines(run, f'boot of instance {instance_id}')
    return '\n'.join(lines) + '\n'


def draw_instance_run(db: db_api.Database, instance_id: str, out_dir: str) -> list[str]:
    """Write the run as DOT, and as SVG when graphviz is installed; returns the paths."""
    graph = boot_graph(db, instance_id)
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, f'boot-flow-{instance_id}')
    paths = [render.write_graph(graph, base + '.dot', 'dot')]
    if render.graphviz_available():
        paths.append(render.write_graph(graph, base + '.svg', 'svg'))
    return paths
