"""The project a block storage request acts in: the one in its URL.

Every route is under ``/v3/{project_id}``. As in cinder, a caller whose token
is scoped to another project gets 400 "Malformed request URL"; an admin may
name any existing project, and then acts in that project (new volumes belong
to it, lists default to it).
"""

from __future__ import annotations

import copy
from typing import Protocol

from nova_lite.api import controller, policy, wsgi
from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.volume import manager as volume_manager


class VolumeServices(Protocol):
    """What the block storage API acts through (the wiring's services)."""

    @property
    def volumes(self) -> volume_manager.VolumeManager: ...

    @property
    def identity(self) -> protocols.IdentityClient: ...


class ProjectMismatch(exception.Invalid):
    msg_fmt = ("Malformed request URL: the URL's project_id '%(url_project)s' does not "
               "match the token's project_id '%(token_project)s'.")


def project_context(req: wsgi.Request, project_id: str,
                    identity: protocols.IdentityClient) -> nl_context.RequestContext:
    """The caller's context, acting in the URL's ``project_id``."""
    ctx = req.context
    if project_id == ctx.project_id:
        return ctx
    if not ctx.is_admin:
        raise ProjectMismatch(url_project=project_id[:64], token_project=ctx.project_id)
    identity.get_project(project_id)  # 404 for a project that does not exist
    scoped = copy.copy(ctx)
    scoped.project_id = project_id
    return scoped


class VolumeController(controller.Controller):
    """A block storage resource: requests act in the URL's project, after policy."""

    def __init__(self, services: VolumeServices, authorizer: policy.Authorizer) -> None:
        super().__init__(authorizer)
        self._services = services

    def _context(self, req: wsgi.Request, project_id: str,
                 rule: str) -> nl_context.RequestContext:
        """:func:`project_context`, then 403 unless ``rule`` allows the caller."""
        ctx = project_context(req, project_id, self._services.identity)
        self.authorizer.authorize(ctx, rule)
        return ctx
