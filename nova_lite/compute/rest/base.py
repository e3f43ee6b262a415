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
from nova_lite.compute import instance_actions, instance_store, resize_api, server_actions_api
from nova_lite.compute import keypairs as keypair_store
from nova_lite.compute import migrations as migration_store
from nova_lite.compute import quotas as quota_engine
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.compute import server_groups as server_group_store
from nova_lite.compute.rest import views
from nova_lite.compute.rest.api_version import api_version
from nova_lite.conductor import rpcapi as conductor_rpcapi
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
    def image_proxy(self) -> protocols.ImageProxyClient: ...

    @property
    def volume_proxy(self) -> protocols.VolumeProxyClient: ...

    @property
    def network_proxy(self) -> protocols.NetworkClient: ...

    @property
    def server_groups(self) -> server_group_store.ServerGroupStore: ...

    @property
    def conductor_rpcapi(self) -> conductor_rpcapi.ConductorAPI: ...

    @property
    def instance_actions(self) -> instance_actions.InstanceActionStore: ...

    @property
    def admin_stores(self) -> compute_admin_stores.AdminStores: ...

    @property
    def quotas(self) -> quota_engine.QuotaEngine: ...

    @property
    def migrations(self) -> migration_store.MigrationStore | None: ...


@dataclasses.dataclass
class ComputeRest:
    """Shared by the resource handlers of one compute API application."""

    services: ComputeServices
    authorizer: policy.Authorizer
    actions: server_actions_api.ServerActionsAPI
    links: views.Links
    # Resize (confirm, revert) and rebuild (None: this API does neither).
    resizes: resize_api.ResizeActions | None = None


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


def removed_at(req: wsgi.Request, version: tuple[int, int]) -> None:
    """A 404, as nova answers, when the request's microversion is ``version`` or later
    (a proxy API nova dropped then)."""
    if api_version(req) >= version:
        raise exception.NotFound(message='The resource could not be found.')


def empty_id(req: wsgi.Request, *_args: Any) -> webob.Response:
    """A 404 for a member path whose id is empty (``DELETE /os-volumes/``), as nova."""
    raise exception.NotFound(message=f'The resource could not be found: {req.path_info}')


def reject_empty_id(req: wsgi.Request) -> None:
    """A collection GET reached with a trailing slash is a member with an empty id: 404."""
    if req.path_info.endswith('/'):
        empty_id(req)
