"""The base of every flow task: fault injection hooks and best-effort reverts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from taskflow import task

from nova_lite.common import context as nl_context
from nova_lite.conductor import faults

LOG = logging.getLogger(__name__)


class FlowTask(task.Task):
    """A task whose revert never raises past the engine.

    A revert that fails is logged with the instance it concerns; the flow still
    reverts the tasks before it (so the instance still reaches ERROR), and the
    conductor's cleanup sweep frees whatever that revert could not.
    """

    def __init__(self, name: str, *, fault_injector: faults.FaultInjector = faults.NO_FAULTS,
                 claim_check: Callable[[], None] | None = None, **kwargs: Any) -> None:
        """``claim_check`` raises if the conductor no longer holds the boot's job."""
        super().__init__(name=name, **kwargs)
        self._faults = fault_injector
        self._claim_check = claim_check

    def pre_execute(self) -> None:
        self._faults.before_execute(self.name)
        # Last thing before the task's work: a conductor that was stopped past
        # its claim's expiry must not redo what the job's new owner did.
        if self._claim_check is not None:
            self._claim_check()

    def post_execute(self) -> None:
        self._faults.after_execute(self.name)

    def best_effort_revert(self, instance_id: str, undo: Callable[[], None]) -> None:
        try:
            self._faults.before_revert(self.name)
            undo()
        except Exception:
            LOG.exception('Revert of task %s for instance %s failed; the conductor\'s '
                          'cleanup sweep will free what it left', self.name, instance_id)


def context_from_dict(values: dict[str, Any]) -> nl_context.RequestContext:
    return nl_context.RequestContext.from_dict(values)
