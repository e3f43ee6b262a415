"""A TaskFlow listener that publishes a flow's task state changes as notifications.

Attached to a conductor's engine, it publishes a
:class:`~nova_lite.common.notifications.FlowTaskChanged` for every task state
change: with the task's arguments when it starts running and when it
succeeds (read from the engine's storage, as the task gets them), and its
result when it succeeds.
The arguments leave out the user's context and sealed token: a notification
carries no credentials.
"""

from __future__ import annotations

import logging
from typing import Any

from taskflow import states
from taskflow.listeners import base as listener_base

from nova_lite.common import notifications
from nova_lite.conductor.flows import keys

LOG = logging.getLogger(__name__)

_PRIVATE_ARGUMENTS = frozenset({keys.CONTEXT, keys.SEALED_TOKEN})
_WITH_ARGUMENTS = frozenset({states.RUNNING, states.SUCCESS})


class TaskNotifier(listener_base.Listener):
    """Publishes the task state changes of one engine's run of ``flow_name``."""

    def __init__(self, engine: Any, flow_name: str, instance_id: str,
                 instance_name: str | None = None,
                 notifier: notifications.Notifier = notifications.NOTIFIER) -> None:
        super().__init__(engine)
        self._flow_name = flow_name
        self._instance_id = instance_id
        self._instance_name = instance_name
        self._notifier = notifier

    def _task_receiver(self, state: str, details: dict[str, Any]) -> None:
        if not self._notifier.has_listeners:
            return  # reading the arguments from storage costs; nobody would read them
        name = details['task_name']
        arguments = self._arguments(name) if state in _WITH_ARGUMENTS else {}
        self._notifier.publish(notifications.FlowTaskChanged(
            instance_id=self._instance_id, instance_name=self._instance_name,
            flow=self._flow_name, task=name, state=state, arguments=arguments,
            result=details.get('result') if state == states.SUCCESS else None))

    def _arguments(self, task_name: str) -> dict[str, Any]:
        """The task's arguments as the engine will give them (credentials left out)."""
        compilation = self._engine.compilation
        if compilation is None:
            return {}
        for atom in compilation.execution_graph.nodes:
            if getattr(atom, 'name', None) == task_name:
                break
        else:
            return {}
        try:
            values = self._engine.storage.fetch_mapped_args(
                atom.rebind, atom_name=task_name, optional_args=atom.optional)
        except Exception:  # a listener must not break the run it watches
            LOG.debug('Arguments of %s not readable yet', task_name, exc_info=True)
            return {}
        return {key: value for key, value in values.items()
                if key not in _PRIVATE_ARGUMENTS}
