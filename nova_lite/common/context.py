"""The request context: who asks, for which project, with which roles."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Self, TypedDict

from oslo_context import context as oslo_context

# Where oslo.middleware's RequestId puts the request's ids (RequestContext.from_environ
# reads them from there).
REQUEST_ID_ENVIRON_KEY = 'openstack.request_id'
GLOBAL_REQUEST_ID_ENVIRON_KEY = 'openstack.global_request_id'


class RequestContext(oslo_context.RequestContext):
    """A caller's identity, carried across REST, RPC and the boot flow.

    It is built from a validated token (by identity, or from the headers the
    auth middleware sets) and serialises to a plain dict (``to_dict`` /
    ``from_dict``), so it can travel over oslo.messaging and be kept in a
    flow's store. oslo.context has ``user_name`` and ``project_name`` but does
    not serialise them; this class does, so names survive RPC and the store.
    """

    def to_dict(self) -> dict[str, Any]:
        values = super().to_dict()
        values['user_name'] = self.user_name
        values['project_name'] = self.project_name
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any], **kwargs: Any) -> Self:
        kwargs.setdefault('user_name', values.get('user_name'))
        kwargs.setdefault('project_name', values.get('project_name'))
        return super().from_dict(values, **kwargs)


class RequestIds(TypedDict):
    """A request's ids, as a boot keeps them (a flow store holds plain JSON)."""

    request_id: str
    global_request_id: str | None


def request_ids(ctx: RequestContext) -> RequestIds:
    return {'request_id': ctx.request_id, 'global_request_id': ctx.global_request_id}


def set_request_ids(ctx: RequestContext, ids: RequestIds) -> None:
    """``ctx`` logs (and calls other services) under the request ``ids``."""
    ctx.request_id = ids['request_id']
    ctx.global_request_id = ids.get('global_request_id')


def get_admin_context() -> RequestContext:
    """A context for the services' own housekeeping, with the admin role.

    It never becomes the thread's log context (oslo.context would make it so in
    a thread that has none), so a daemon's start-up lines carry no request id.
    """
    with restoring_current():
        return RequestContext(is_admin=True, roles=['admin'], overwrite=False)


@contextlib.contextmanager
def restoring_current() -> Iterator[None]:
    """The thread's current context (what oslo.log prints) is put back at the block's end.

    A request's context is made current inside the block (oslo.context also
    makes a context current when it is created in a thread without one), and
    is no longer current afterwards, so a worker thread that served a request
    does not log its later lines under that request's ids.
    """
    previous = oslo_context.get_current()
    try:
        yield
    finally:
        if previous is not None:
            previous.update_store()
        else:
            # oslo.context has no public way to clear the current context.
            vars(oslo_context._request_store).pop('context', None)
