"""What every identity API handler shares: the manager, the policy, URLs, input."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from webob import multidict

from nova_lite.api import controller, filters, policy, query, wsgi
from nova_lite.identity import admin_stores, assignments, manager


@dataclasses.dataclass
class IdentityApi:
    """The identity manager, the policy and the public URL, for the handlers."""

    identity: manager.IdentityManager
    authorizer: policy.Authorizer
    public_url: str

    @property
    def v3_url(self) -> str:
        return f'{self.public_url}/v3'

    @functools.cached_property
    def admin(self) -> admin_stores.AdminStores:
        """Groups, grants, tags, user attributes, domain changes, assignments."""
        return admin_stores.AdminStores.build(self.identity.conf, self.identity.db,
                                             assignments.effective_role_ids)

    def has_role(self, user_id: str | None, project_id: str) -> bool:
        """Whether the user holds a role on the project, directly or through a group."""
        return bool(user_id) and any(p['id'] == project_id for p in
                                     self.identity.list_projects(user_id=user_id))


class IdentityController(controller.Controller):
    """An identity API resource: the manager, the policy and the public URL."""

    def __init__(self, api: IdentityApi) -> None:
        super().__init__(api.authorizer)
        self._api = api


def filters_of(*keys: str) -> dict[str, filters.Filter]:
    """Equality filters on ``keys`` (``enabled`` read as keystone reads booleans)."""
    return {key: filters.Filter(key, filters.boolean(query.KEYSTONE_FILTER)
                                if key == 'enabled' else filters.text) for key in keys}


def filtered(records: list[dict[str, Any]], params: dict[str, str],
             known: dict[str, filters.Filter]) -> list[dict[str, Any]]:
    """The records matching every filter of ``known`` present in ``params``."""
    return filters.matching(records, filters.parse_filters(multidict.MultiDict(params), known))


def flag(req: wsgi.Request, name: str) -> bool:
    """Keystone's query flags (``nocatalog``, ``include_names``)."""
    return query.flag(req.GET, name, query.KEYSTONE_FLAG)


def self_url(req: wsgi.Request, api: IdentityApi) -> str:
    """The collection's own URL under the public URL (with its query string)."""
    path = req.path_info.rstrip('/')
    qs = f'?{req.query_string}' if req.query_string else ''
    return f'{api.public_url}{path}{qs}'
