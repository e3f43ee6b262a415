"""Drawings of the server action flows (pause, stop, reboot-hard, lock, ...)."""

from __future__ import annotations

import typing

import pydot

from nova_lite.conductor.flows import server_action
from nova_lite.flowviz import dot

# What ``nova-lite flow graph --flow`` accepts besides ``boot``.
ACTION_FLOWS = tuple(sorted(server_action.ACTIONS))


def describe_action_flow(action: str) -> typing.Any:
    """The flow of ``action``, built with no service behind its tasks."""
    nothing = typing.cast(typing.Any, None)
    return server_action.get_action_flow(action, server_action.ActionDependencies(
        instances=nothing, events=nothing, compute=nothing))


def action_graph(action: str) -> pydot.Dot:
    """The flow of ``action`` as DOT."""
    return dot.flow_to_dot(describe_action_flow(action),
                           title=f'nova_lite {action} server action flow')
