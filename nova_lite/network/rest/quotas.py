"""/v2.0/quotas: neutron's ``quotas`` and ``quota_details`` extensions.

An admin lists the projects with limits of their own, and sets or forgets a
project's limits; a project reads its own limits, defaults and usage
(``get_quota``), an admin anyone's. Limits are integers, -1 for unlimited.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.network import access
from nova_lite.network import quotas as quota_engine
from nova_lite.network.rest import common

MAX_LIMIT = 2**31 - 1


class AdminRequired(exception.Forbidden):
    msg_fmt = 'User does not have admin privileges: %(reason)s.'


def read_limits(body: Any) -> dict[str, int]:
    """The limits of a ``{"quota": {resource: limit}}`` body; a 400 naming a bad one."""
    if not isinstance(body, dict) or set(body) != {'quota'} or not isinstance(
            body['quota'], dict):
        raise exception.InvalidInput(field='quota', reason='the body must be {"quota": {...}}')
    limits: dict[str, int] = {}
    for resource, value in body['quota'].items():
        if resource in ('project_id', 'tenant_id'):
            continue  # neutron's clients may send the target project back
        if resource not in quota_engine.RESOURCES:
            raise exception.InvalidInput(field=resource,
                                         reason=f"Unrecognized attribute(s) '{resource}'")
        limits[resource] = _limit(resource, value)
    return limits


def _limit(resource: str, value: Any) -> int:
    if isinstance(value, bool):
        raise exception.InvalidInput(field=resource, reason=f"'{value}' is not an integer")
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise exception.InvalidInput(field=resource,
                                         reason=f"'{value}' is not an integer") from None
    if not isinstance(value, int):
        raise exception.InvalidInput(field=resource, reason=f"'{value}' is not an integer")
    if not quota_engine.UNLIMITED <= value <= MAX_LIMIT:
        raise exception.InvalidInput(
            field=resource,
            reason=f"'{value}' is not in range {quota_engine.UNLIMITED} through {MAX_LIMIT}")
    return value


class QuotasController(common.NetworkController):
    @property
    def _quotas(self) -> quota_engine.NetworkQuotas:
        return self._networks.quotas

    def routes(self) -> list[routing.Route]:
        collection = f'{common.API_PATH}/quotas'
        member = f'{collection}/{{project_id}}'
        return [('GET', collection, self.index),
                ('GET', f'{member}/default', self.default),
                ('GET', f'{member}/details', self.details),
                ('GET', member, self.show),
                ('PUT', member, self.update),
                ('DELETE', member, self.delete)]

    def index(self, req: wsgi.Request) -> webob.Response:
        """Admins only: every project with limits of its own."""
        if not access.is_admin(req.context):
            raise AdminRequired(reason='Only admin can view or configure quota')
        return wsgi.json_response(200, {'quotas': [
            {**limits, 'project_id': project_id, 'tenant_id': project_id}
            for project_id, limits in self._quotas.projects().items()]})

    def show(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'get_quota', project_id=project_id)
        return wsgi.json_response(200, {'quota': self._quotas.limits(project_id)})

    def default(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'get_quota', project_id=project_id)
        return wsgi.json_response(200, {'quota': self._quotas.defaults()})

    def details(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'get_quota', project_id=project_id)
        return wsgi.json_response(200, {'quota': self._quotas.detail(project_id)})

    def update(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'update_quota', project_id=project_id)
        limits = read_limits(req.read_json(required=True))
        return wsgi.json_response(200, {'quota': self._quotas.update(project_id, limits)})

    def delete(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'delete_quota', project_id=project_id)
        self._quotas.delete(project_id)
        return wsgi.json_response(204)
