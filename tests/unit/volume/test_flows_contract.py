"""The volume flows' contracts: task order, requires/provides, the store, docstrings."""

from __future__ import annotations

import inspect
import typing

import pytest
from taskflow import task as tf_task

from nova_lite.flowviz import volume_flows
from nova_lite.volume.flows import keys
from nova_lite.volume.flows.tasks import (
    base,
    reimage_records,
    snapshot_records,
    storage,
    volume_records,
)

K = keys
# Each task's (requires, provides); provides None: it provides nothing.
TASK_CONTRACTS: dict[str, tuple[set[str], str | None]] = {
    K.VOLUME_TO_ERROR_ON_REVERT: ({K.VOLUME_ID}, None),
    K.VOLUME_REMOVED_ON_REVERT: ({K.VOLUME_ID}, None),
    K.ALLOCATE_STORAGE: ({K.VOLUME_ID, K.SIZE}, K.VOLUME_LOCATION),
    K.WRITE_IMAGE: ({K.IMAGE_REF, K.VOLUME_LOCATION}, None),
    K.COPY_SOURCE: ({K.VOLUME_ID, K.SIZE, K.SOURCE_LOCATION, K.SOURCE_KIND},
                    K.VOLUME_LOCATION),
    K.MARK_VOLUME_AVAILABLE: ({K.VOLUME_ID, K.VOLUME_LOCATION, K.BOOTABLE}, None),
    K.SNAPSHOT_REMOVED_ON_REVERT: ({K.SNAPSHOT_ID}, None),
    K.COPY_TO_SNAPSHOT: ({K.SNAPSHOT_ID, K.VOLUME_ID, K.VOLUME_LOCATION},
                         K.SNAPSHOT_LOCATION),
    K.MARK_SNAPSHOT_AVAILABLE: ({K.SNAPSHOT_ID, K.SNAPSHOT_LOCATION}, None),
    K.EXTEND_TO_AVAILABLE_ON_REVERT: ({K.VOLUME_ID, K.OLD_SIZE}, None),
    K.GROW_STORAGE: ({K.VOLUME_ID, K.VOLUME_LOCATION, K.NEW_SIZE}, None),
    K.MARK_EXTENDED: ({K.VOLUME_ID, K.NEW_SIZE}, None),
    K.VOLUME_TO_ERROR_DELETING_ON_REVERT: ({K.VOLUME_ID}, None),
    K.FREE_STORAGE: ({K.VOLUME_ID, K.VOLUME_LOCATION}, None),
    K.REMOVE_VOLUME: ({K.VOLUME_ID}, None),
    K.SNAPSHOT_TO_ERROR_DELETING_ON_REVERT: ({K.SNAPSHOT_ID}, None),
    K.FREE_SNAPSHOT_STORAGE: ({K.SNAPSHOT_ID, K.SNAPSHOT_LOCATION}, None),
    K.REMOVE_SNAPSHOT: ({K.SNAPSHOT_ID}, None),
    K.REIMAGE_TO_ERROR_ON_REVERT: ({K.VOLUME_ID}, None),
    K.MARK_REIMAGED: ({K.VOLUME_ID, K.PREVIOUS_STATUS, K.IMAGE_METADATA}, None),
}
# What each flow needs in its store (given by the service before it runs).
FLOW_STORES: dict[str, set[str]] = {
    K.CREATE_FLOW: {K.VOLUME_ID, K.SIZE, K.BOOTABLE},
    K.CREATE_FROM_IMAGE_FLOW: {K.VOLUME_ID, K.SIZE, K.BOOTABLE, K.IMAGE_REF},
    K.CREATE_FROM_SNAPSHOT_FLOW: {K.VOLUME_ID, K.SIZE, K.BOOTABLE, K.SOURCE_LOCATION,
                                  K.SOURCE_KIND},
    K.CLONE_FLOW: {K.VOLUME_ID, K.SIZE, K.BOOTABLE, K.SOURCE_LOCATION, K.SOURCE_KIND},
    K.SNAPSHOT_CREATE_FLOW: {K.SNAPSHOT_ID, K.VOLUME_ID, K.VOLUME_LOCATION},
    K.EXTEND_FLOW: {K.VOLUME_ID, K.VOLUME_LOCATION, K.OLD_SIZE, K.NEW_SIZE},
    K.DELETE_FLOW: {K.VOLUME_ID, K.VOLUME_LOCATION},
    K.SNAPSHOT_DELETE_FLOW: {K.SNAPSHOT_ID, K.SNAPSHOT_LOCATION},
    K.REIMAGE_FLOW: {K.VOLUME_ID, K.VOLUME_LOCATION, K.IMAGE_REF, K.IMAGE_METADATA,
                     K.PREVIOUS_STATUS},
}
FIRST_TASKS = {K.VOLUME_TO_ERROR_ON_REVERT, K.VOLUME_REMOVED_ON_REVERT,
               K.SNAPSHOT_REMOVED_ON_REVERT, K.EXTEND_TO_AVAILABLE_ON_REVERT,
               K.VOLUME_TO_ERROR_DELETING_ON_REVERT, K.SNAPSHOT_TO_ERROR_DELETING_ON_REVERT,
               K.REIMAGE_TO_ERROR_ON_REVERT}


def _tasks(name: str) -> list[tf_task.Task]:
    return list(typing.cast(typing.Iterable[tf_task.Task],
                            volume_flows.describe_volume_flow(name)))


def test_every_flow_is_listed_and_drawable() -> None:
    assert set(volume_flows.VOLUME_FLOWS) == set(FLOW_STORES)


@pytest.mark.parametrize('name', sorted(FLOW_STORES))
def test_flow_runs_its_tasks_in_order_first_one_undoes_the_record(name: str) -> None:
    tasks = _tasks(name)
    assert tuple(t.name for t in tasks) == keys.FLOW_TASKS[name]
    assert tasks[0].name in FIRST_TASKS and tasks[0].name.endswith('-on-revert')
    assert all(t.name not in FIRST_TASKS for t in tasks[1:])


@pytest.mark.parametrize('name', sorted(FLOW_STORES))
def test_each_task_requires_and_provides_its_names(name: str) -> None:
    for task in _tasks(name):
        requires, provides = TASK_CONTRACTS[task.name]
        assert set(task.requires) == requires, task.name
        assert set(task.provides) == ({provides} if provides else set()), task.name


@pytest.mark.parametrize('name', sorted(FLOW_STORES))
def test_flow_needs_only_its_store_and_every_value_comes_before_its_use(name: str) -> None:
    flow = volume_flows.describe_volume_flow(name)
    assert set(flow.requires) == FLOW_STORES[name]
    available = set(FLOW_STORES[name])
    for task in _tasks(name):
        assert set(task.requires) <= available, task.name
        available |= set(task.provides)


def _task_classes() -> list[type[base.VolumeTask]]:
    found = []
    for module in (volume_records, snapshot_records, reimage_records, storage):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (issubclass(cls, base.VolumeTask) and cls.__module__ == module.__name__
                    and 'execute' in vars(cls)):
                found.append(cls)
    return found


def test_every_task_class_is_in_a_flow() -> None:
    used = {type(t) for name in FLOW_STORES for t in _tasks(name)}
    assert set(_task_classes()) == used


@pytest.mark.parametrize('cls', _task_classes(), ids=lambda cls: cls.__name__)
def test_every_task_docstring_has_a_reversion_strategy(cls: type) -> None:
    doc = inspect.getdoc(cls) or ''
    assert 'Reversion strategy:' in doc
    strategy = doc.split('Reversion strategy:', 1)[1].strip()
    assert len(strategy) > 20
