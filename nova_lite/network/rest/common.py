"""What every network API controller shares: its dependencies, body reading,
the owning project of a new resource, and list/show responses."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import webob

from nova_lite.api import controller, filters, paging, policy, query, validation, wsgi
from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.network import manager as network_manager
from nova_lite.network.rest import sorting

API_PATH = '/v2.0'
View = Callable[[dict[str, Any]], dict[str, Any]]
PageOf = Callable[[list[filters.Wanted], paging.PageRequest], paging.Page[dict[str, Any]]]


@dataclasses.dataclass(frozen=True)
class Dependencies:
    """What the controllers act through."""

    networks: network_manager.NetworkManager
    identity: protocols.IdentityClient
    authorizer: policy.Authorizer
    public_url: str  # without the version path, e.g. http://127.0.0.1:9696

    def url(self, path: str) -> str:
        return f'{self.public_url}{API_PATH}/{path}'


class NetworkController(controller.Controller):
    """A network API resource: its dependencies and its policy."""

    def __init__(self, deps: Dependencies) -> None:
        super().__init__(deps.authorizer)
        self._deps = deps
        self._networks = deps.networks


def database_page(page_of: Callable[..., paging.Page[dict[str, Any]]]) -> PageOf:
    """A manager's ``page_*`` method (filters as (key, values), in its query) as a PageOf."""
    return lambda wanted, request: page_of(
        [(want.key, want.values) for want in wanted], request)


def read_body(req: wsgi.Request, schema: dict[str, Any], key: str) -> dict[str, Any]:
    """The validated ``{"<key>": {...}}`` body's inner object."""
    return body_fields(req.read_json(required=True), schema, key)


def body_fields(body: Any, schema: dict[str, Any], key: str) -> dict[str, Any]:
    """The validated ``{"<key>": {...}}`` body's inner object, of an already read body."""
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
                  page_of: PageOf, view: View,
                  known: Mapping[str, filters.Filter]) -> webob.Response:
    """``{"<collection>": [...]}`` filtered, sorted (``sort_key``, ``sort_dir``), one
    page (``limit``, ``marker``; the next link keeps the sort) and cut to
    ``fields``; ``<collection>_links`` when ``limit`` was given. A query parameter that
    is neither a filter of the list nor a paging, sorting or ``fields`` parameter is a
    400 (neutron's filter-validation) rather than a filter silently ignored."""
    params = query.decoded(req)
    check_filter_names(params.keys(), known)
    wanted = filters.parse_filters(params, known)
    request = paging.page_request(query.last_values(req, ('limit', 'marker')),
                                  paging.NEUTRON_PAGING)
    request = sorting.with_sort(request, sorting.requested_sort(req))
    page = page_of(wanted, request)
    fields = filters.select_fields(params)
    result: dict[str, Any] = {collection: [filters.project(view(item), fields)
                                           for item in page.items]}
    if request.paged:
        result[f'{collection}_links'] = paging.links(page, deps.url(url_path), params.items(),
                                                     limit=request.limit)
    return wsgi.json_response(200, result)


# Not filters: paging, sorting (the sorting extension) and the attribute selection.
NOT_FILTERS = frozenset({'fields', 'limit', 'marker', 'page_reverse', 'sort_key', 'sort_dir'})


def check_filter_names(names: Iterable[str], known: Mapping[str, filters.Filter]) -> None:
    unknown = sorted({name for name in names if name not in known and name not in NOT_FILTERS})
    if unknown:
        raise exception.InvalidInput(
            f"{unknown} is invalid attribute for filtering", field=unknown[0],
            reason='is not a filter of this list')


def show_response(req: wsgi.Request, key: str, body: dict[str, Any],
                  status: int = 200) -> webob.Response:
    return wsgi.json_response(status, {key: filters.project(
        body, filters.select_fields(query.decoded(req)))})
