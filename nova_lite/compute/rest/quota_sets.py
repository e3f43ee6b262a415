"""``/os-quota-sets`` and ``/os-quota-class-sets``: show and set compute quotas.

Shapes follow nova by microversion: before 2.36 the nova-network resources
(fixed_ips, floating_ips, security_groups, security_group_rules) are shown
and settable; from 2.57 the injected file ones are gone. Quota class sets
show the server group resources from 2.50 (which drops the nova-network
ones). An update answers without ``id``, as nova's does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.compute import quota_schemas
from nova_lite.compute.rest import base, policies, query_params
from nova_lite.compute.rest.api_version import api_version


def _shown(values: Mapping[str, Any], resources: tuple[str, ...],
           owner: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {'id': owner} if owner is not None else {}
    body.update({name: values[name] for name in resources if name in values})
    return body


class QuotaSetsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._quotas = rest.services.quotas

    def routes(self) -> list[routing.Route]:
        return [
            ('GET', '/os-quota-sets/{tenant_id}/defaults', self.defaults),
            ('GET', '/os-quota-sets/{tenant_id}/detail', self.detail),
            ('GET', '/os-quota-sets/{tenant_id}', self.show),
            ('PUT', '/os-quota-sets/{tenant_id}', self.update),
            ('DELETE', '/os-quota-sets/{tenant_id}', self.delete),
            ('GET', '/os-quota-class-sets/{class_name}', self.show_class),
            ('PUT', '/os-quota-class-sets/{class_name}', self.update_class),
        ]

    def _user_id(self, req: wsgi.Request) -> str | None:
        return query_params.read(req, quota_schemas.user_query).get('user_id')

    def show(self, req: wsgi.Request, tenant_id: str) -> webob.Response:
        user_id = self._user_id(req)
        self.authorizer.authorize(req.context, policies.QUOTA_SETS_SHOW,
                                  {'project_id': tenant_id})
        limits = self._quotas.limits(tenant_id, user_id)
        return wsgi.json_response(200, {'quota_set': _shown(
            limits, quota_schemas.quota_set_resources(api_version(req)), tenant_id)})

    def detail(self, req: wsgi.Request, tenant_id: str) -> webob.Response:
        user_id = self._user_id(req)
        self.authorizer.authorize(req.context, policies.QUOTA_SETS_DETAIL,
                                  {'project_id': tenant_id})
        detail = self._quotas.detail(tenant_id, user_id)
        return wsgi.json_response(200, {'quota_set': _shown(
            detail, quota_schemas.quota_set_resources(api_version(req)), tenant_id)})

    def defaults(self, req: wsgi.Request, tenant_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, policies.QUOTA_SETS_DEFAULTS,
                                  {'project_id': tenant_id})
        resources = quota_schemas.quota_set_resources(api_version(req))
        return wsgi.json_response(200, {'quota_set': _shown(
            self._quotas.defaults(), resources, tenant_id)})

    def update(self, req: wsgi.Request, tenant_id: str) -> webob.Response:
        version = api_version(req)
        user_id = self._user_id(req)
        self.authorizer.authorize(req.context, policies.QUOTA_SETS_UPDATE,
                                  {'project_id': tenant_id})
        values = controller.read_body(req, quota_schemas.quota_set_update(version))['quota_set']
        limits = self._quotas.update(tenant_id, quota_schemas.limits_of(values),
                                     user_id=user_id, force=quota_schemas.force_of(values))
        return wsgi.json_response(200, {'quota_set': _shown(
            limits, quota_schemas.quota_set_resources(version), None)})

    def delete(self, req: wsgi.Request, tenant_id: str) -> webob.Response:
        user_id = self._user_id(req)
        self.authorizer.authorize(req.context, policies.QUOTA_SETS_DELETE,
                                  {'project_id': tenant_id})
        self._quotas.delete(tenant_id, user_id)
        return wsgi.json_response(202)

    def show_class(self, req: wsgi.Request, class_name: str) -> webob.Response:
        self.authorizer.authorize(req.context, policies.QUOTA_CLASS_SETS_SHOW,
                                  {'quota_class': class_name})
        limits = self._quotas.class_limits(class_name)
        return wsgi.json_response(200, {'quota_class_set': _shown(
            limits, quota_schemas.quota_class_resources(api_version(req)), class_name)})

    def update_class(self, req: wsgi.Request, class_name: str) -> webob.Response:
        version = api_version(req)
        self.authorizer.authorize(req.context, policies.QUOTA_CLASS_SETS_UPDATE,
                                  {'quota_class': class_name})
        values = controller.read_body(
            req, quota_schemas.quota_class_update(version))['quota_class_set']
        limits = self._quotas.update_class(class_name, quota_schemas.limits_of(values))
        return wsgi.json_response(200, {'quota_class_set': _shown(
            limits, quota_schemas.quota_class_resources(version), None)})
