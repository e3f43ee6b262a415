"""The request context: who asks, for which project, with which roles."""

from __future__ import annotations

from typing import Any, Self

from oslo_context import context as oslo_context


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


def get_admin_context() -> RequestContext:
    """A context for the services' own housekeeping, with the admin role."""
    return RequestContext(is_admin=True, roles=['admin'], overwrite=False)
