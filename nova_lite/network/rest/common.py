"""What every network API controller shares: its dependencies, body reading,
the owning project of a new resource, and list/show responses."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import webob

from nova_lite.api import policy, validation, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.identity import manager as identity_manager
from nova_lite.network import manager as network_manager
from nova_lite.network.rest import listing

API_PATH = '/v2.0'
View = Callable[[dict[str, Any]], dict[str, Any]]


@dataclasses.dataclass(frozen=True)
class Dependencies:
    """What the controllers act through."""

    networks: network_manager.NetworkManager
    identity: identity_manager.IdentityManager
    authorizer: policy.Authorizer
    public_url: str  # without the version path, e.g. http://127.0.0.1:9696

    def authorize(self, ctx: nl_context.RequestContext, rule: str,
                  project_id: str | None = None) -> None:
        target = {'project_id': project_id if project_id is not None
                  else (ctx.project_id or '')}
        self.authorizer.authorize(ctx, rule, target)

    def url(self, path: str) -> str:
        return f'{self.public_url}{API_PATH}/{path}'


def read_body(req: wsgi.Request, schema: dict[str, Any], key: str) -> dict[str, Any]:
    """The validated ``{"<key>": {...}}`` body's inner object."""
    body = req.read_json(required=True)
    if not isinstance(body, dict) or key not in body:
        raise exception.InvalidInput(field=key,
                                     reason=f'the body must be {{"{key}": {{...}}}}')
    validation.validate(schema, body)
    return dict(body[key])


def requested_project(fields: Mapping[str, Any],
                      ctx: nl_context.RequestContext) -> str | None:
    """``project_id`` (or its old name ``tenant_id``) of a create body, else the caller's."""
    project_id, tenant_id = fields.get('project_id'), fields.get('tenant_id')
    if project_id is not None and tenant_id is not None and project_id != tenant_id:
        raise exception.InvalidInput(field='tenant_id',
                                     reason='differs from project_id; give one of them')
    chosen = project_id if project_id is not None else tenant_id
    return chosen if chosen is not None else ctx.project_id


def only(fields: Mapping[str, Any], renames: Mapping[str, str]) -> dict[str, Any]:
    """The body keys in ``renames`` that are present, under their manager names."""
    return {target: fields[source] for source, target in renames.items() if source in fields}


def list_response(deps: Dependencies, req: wsgi.Request, collection: str, url_path: str,
                  items: list[dict[str, Any]], view: View,
                  filters: Mapping[str, listing.Filter]) -> webob.Response:
    """``{"<collection>": [...]}`` filtered, paginated (``limit``) and cut to ``fields``."""
    wanted = listing.parse_filters(req.GET, filters)
    shown = [body for body in map(view, items) if listing.matches(body, wanted)]
    page, links = listing.paginate(shown, req.GET, deps.url(url_path))
    fields = listing.select_fields(req.GET)
    result: dict[str, Any] = {collection: [listing.project(body, fields) for body in page]}
    if links is not None:
        result[f'{collection}_links'] = links
    return wsgi.json_response(200, result)


def show_response(req: wsgi.Request, key: str, body: dict[str, Any],
                  status: int = 200) -> webob.Response:
    return wsgi.json_response(status, {key: listing.project(body,
                                                            listing.select_fields(req.GET))})
