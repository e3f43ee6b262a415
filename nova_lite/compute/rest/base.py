"""What every compute handler works with: services, policy, links, query and paging."""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Callable
from typing import Any

import webob

from nova_lite.api import policy, validation, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.compute import server_actions_api
from nova_lite.compute.rest import views
from nova_lite.wiring import services

_TRUE = ('', '1', 'true', 'yes', 'on')
_FALSE = ('0', 'false', 'no', 'off')


@dataclasses.dataclass
class ComputeRest:
    """Shared by the resource handlers of one compute API application."""

    services: services.ApiServices
    authorizer: policy.Authorizer
    actions: server_actions_api.ServerActionsAPI
    links: views.Links

    def authorize(self, ctx: nl_context.RequestContext, rule: str,
                  project_id: str | None = None) -> None:
        target = {'project_id': project_id if project_id is not None
                  else ctx.project_id or ''}
        self.authorizer.authorize(ctx, rule, target)

    def allowed(self, ctx: nl_context.RequestContext, rule: str,
                project_id: str | None = None) -> bool:
        try:
            self.authorize(ctx, rule, project_id)
        except exception.Forbidden:
            return False
        return True


def query(req: wsgi.Request, schema: dict[str, Any]) -> dict[str, str]:
    """The known query parameters (the last of repeated ones), validated."""
    params = {name: req.GET.getall(name)[-1] for name in schema['properties']
              if name in req.GET}
    validation.validate(schema, params)
    return params


def flag(params: dict[str, str], name: str) -> bool:
    """A boolean query parameter: present and empty means true (``?all_tenants``)."""
    if name not in params:
        return False
    value = params[name].strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise exception.InvalidInput(field=name, reason='must be a boolean')


def paginate(items: list[dict[str, Any]], params: dict[str, str], url: str,
             ) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The page after ``marker`` (of ``limit`` items) and its ``next`` link.

    A link is sent only when ``limit`` was passed and more items follow.
    """
    if 'marker' in params:
        ids = [item['id'] for item in items]
        if params['marker'] not in ids:
            raise exception.InvalidInput(field='marker',
                                         reason=f'marker {params["marker"]} not found')
        items = items[ids.index(params['marker']) + 1:]
    if 'limit' not in params:
        return items, []
    limit = int(params['limit'])
    page = items[:limit]
    if len(items) <= limit or not page:
        return page, []
    next_query = urllib.parse.urlencode({'limit': limit, 'marker': page[-1]['id']})
    return page, [{'rel': 'next', 'href': f'{url}?{next_query}'}]


def project_scoped(handler: Callable[..., webob.Response]) -> Callable[..., webob.Response]:
    """A handler for the ``/v2.1/{project_id}/...`` form: the id must be the token's."""

    def scoped(req: wsgi.Request, project_id: str, **path_vars: Any) -> webob.Response:
        if project_id != req.context.project_id:
            raise exception.Forbidden(
                message=f"The project in the URL ({project_id}) is not the token's project.")
        return handler(req, **path_vars)

    return scoped
