"""What every compute handler works with: the services, the policy and the links."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, Protocol

import webob

from nova_lite.api import controller, policy, wsgi
from nova_lite.clients import protocols
from nova_lite.common import exception
from nova_lite.compute import admin_stores as compute_admin_stores
from nova_lite.compute import api as compute_api
from nova_lite.compute import instance_store, server_actions_api
from nova_lite.compute import keypairs as keypair_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute.rest import views
from nova_lite.scheduler import rpcapi as scheduler_rpcapi


class ComputeServices(Protocol):
    """What the compute API acts through (the wiring's services)."""

    @property
    def compute_api(self) -> compute_api.ComputeAPI: ...

    @property
    def instances(self) -> instance_store.InstanceStore: ...

    @property
    def compute_rpcapi(self) -> compute_rpcapi.ComputeAPI: ...

    @property
    def scheduler_rpcapi(self) -> scheduler_rpcapi.SchedulerAPI: ...

    @property
    def volumes(self) -> protocols.VolumeClient: ...

    @property
    def keypairs(self) -> keypair_store.KeypairStore: ...

    @property
    def admin_stores(self) -> compute_admin_stores.AdminStores: ...


@dataclasses.dataclass
class ComputeRest:
    """Shared by the resource handlers of one compute API application."""

    services: ComputeServices
    authorizer: policy.Authorizer
    actions: server_actions_api.ServerActionsAPI
    links: views.Links


class ComputeController(controller.Controller):
    """A compute API resource: the shared services, policy and links."""

    def __init__(self, rest: ComputeRest) -> None:
        super().__init__(rest.authorizer)
        self._rest = rest


def project_scoped(handler: Callable[..., webob.Response]) -> Callable[..., webob.Response]:
    """A handler for the ``/v2.1/{project_id}/...`` form: the id must be the token's."""

    def scoped(req: wsgi.Request, project_id: str, **path_vars: Any) -> webob.Response:
        if project_id != req.context.project_id:
            raise exception.Forbidden(
                message=f"The project in the URL ({project_id}) is not the token's project.")
        return handler(req, **path_vars)

    return scoped
