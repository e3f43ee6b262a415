"""The base of every flow task: the claim check before its work, best-effort reverts."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from taskflow import task

from nova_lite.common import context as nl_context
from nova_lite.conductor import token_seal

LOG = logging.getLogger(__name__)


class FlowTask(task.Task):
    """A task whose revert never raises past the engine.

    A revert that fails is logged with the instance it concerns; the flow still
    reverts the tasks before it (so the instance still reaches ERROR), and the
    conductor's cleanup sweep frees whatever that revert could not.
    """

    def __init__(self, name: str, *, claim_check: Callable[[], None] | None = None,
                 **kwargs: Any) -> None:
        """``claim_check`` raises if the conductor no longer holds the boot's job."""
        super().__init__(name=name, **kwargs)
        self._claim_check = claim_check

    def pre_execute(self) -> None:
        # Last thing before the task's work: a conductor that was stopped past
        # its claim's expiry must not redo what the job's new owner did.
        if self._claim_check is not None:
            self._claim_check()

    def best_effort_revert(self, instance_id: str, undo: Callable[[], None]) -> None:
        try:
            undo()
        except Exception:
            LOG.exception('Revert of task %s for instance %s failed; the conductor\'s '
                          'cleanup sweep will free what it left', self.name, instance_id)


class UserContextTask(FlowTask):
    """A task that acts for the user, with the context the authenticate task provided.

    That context is saved with the boot, so its token is the sealed one; the
    task unseals it (:meth:`user_context`) only in memory, for its calls.
    """

    def __init__(self, name: str, *, sealer: token_seal.TokenSealer, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self._sealer = sealer

    def user_context(self, values: dict[str, Any]) -> nl_context.RequestContext:
        return context_from_dict(values, self._sealer)

    @staticmethod
    def service_context(values: dict[str, Any]) -> nl_context.RequestContext:
        """The conductor's own context (a trusted service) under the boot's request ids.

        Reverts act with it, as the delete flow and the sweep do: the user's
        token may have expired, or the user been deleted, since the boot began.
        """
        ctx = nl_context.get_admin_context()
        ctx.request_id = values.get('request_id') or ctx.request_id
        ctx.global_request_id = values.get('global_request_id')
        return ctx


def sealed_context_dict(ctx: nl_context.RequestContext, sealed_token: str) -> dict[str, Any]:
    """``ctx`` as a dict to keep in a flow's store: its token is ``sealed_token``."""
    values = ctx.to_dict()
    values['auth_token'] = sealed_token
    return values


def context_from_dict(values: dict[str, Any],
                      sealer: token_seal.TokenSealer) -> nl_context.RequestContext:
    """The request context of a store's context dict, its sealed token unsealed.

    SealedTokenInvalid if the token is not sealed by one of the conductors'
    keys (a boot saved before tokens were sealed, with the token in clear, does
    not resume: it ends in ERROR).
    """
    sealed = values.get('auth_token')
    token = sealer.unseal(sealed) if sealed is not None else None
    return nl_context.RequestContext.from_dict({**values, 'auth_token': token})
