"""Drawings of the block storage flows (create, clone, snapshot, extend, delete, re-image)."""

from __future__ import annotations

import typing
from collections.abc import Callable

import pydot
from taskflow import flow as tf_flow

from nova_lite.flowviz import dot
from nova_lite.volume.flows import copy, create, delete, extend, keys, reimage, snapshot


def _builders() -> dict[str, Callable[[typing.Any], tf_flow.Flow]]:
    """Each volume flow's name -> its factory, given one placeholder for every service."""
    return {
        keys.CREATE_FLOW: lambda none: create.get_create_flow(none, none),
        keys.CREATE_FROM_IMAGE_FLOW: lambda none: create.get_create_from_image_flow(
            none, none, none, none, ''),
        keys.CREATE_FROM_SNAPSHOT_FLOW: lambda none: copy.get_copy_flow(
            none, none, from_snapshot=True),
        keys.CLONE_FLOW: lambda none: copy.get_copy_flow(none, none, from_snapshot=False),
        keys.SNAPSHOT_CREATE_FLOW: lambda none: snapshot.get_snapshot_create_flow(none, none),
        keys.EXTEND_FLOW: lambda none: extend.get_extend_flow(none, none),
        keys.DELETE_FLOW: lambda none: delete.get_delete_flow(none, none),
        keys.SNAPSHOT_DELETE_FLOW: lambda none: snapshot.get_snapshot_delete_flow(none, none),
        keys.REIMAGE_FLOW: lambda none: reimage.get_reimage_flow(none, none, none, none, ''),
    }


# What ``nova-lite flow graph --flow`` accepts for the block storage service.
VOLUME_FLOWS = tuple(sorted(keys.FLOW_TASKS))


def describe_volume_flow(name: str) -> tf_flow.Flow:
    """The volume flow ``name``, built with no service behind its tasks."""
    return _builders()[name](typing.cast(typing.Any, None))


def volume_graph(name: str) -> pydot.Dot:
    """The volume flow ``name`` as DOT."""
    return dot.flow_to_dot(describe_volume_flow(name),
                           title=f'nova_lite {name} block storage flow')
