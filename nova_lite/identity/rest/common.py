"""What every identity API handler shares: the manager, the policy, URLs, input."""

from __future__ import annotations

import dataclasses
from typing import Any

from nova_lite.api import policy, validation, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.identity import manager

_FALSE_TEXTS = ('0', 'false', 'no', 'off')


@dataclasses.dataclass
class IdentityApi:
    """The identity manager, the policy and the public URL, for the handlers."""

    identity: manager.IdentityManager
    authorizer: policy.Authorizer
    public_url: str

    @property
    def v3_url(self) -> str:
        return f'{self.public_url}/v3'

    def authorize(self, ctx: nl_context.RequestContext, rule: str,
                  target: dict[str, str] | None = None) -> None:
        self.authorizer.authorize(ctx, rule, target if target is not None else {})

    def allowed(self, ctx: nl_context.RequestContext, rule: str,
                target: dict[str, str]) -> bool:
        try:
            self.authorizer.authorize(ctx, rule, target)
        except exception.Forbidden:
            return False
        return True

    def has_role(self, user_id: str | None, project_id: str) -> bool:
        return bool(user_id) and bool(self.identity.list_role_assignments(
            user_id=user_id, project_id=project_id))


def body(req: wsgi.Request, schema: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON body, validated against ``schema`` (400 naming the field)."""
    data = req.read_json()
    validation.validate(schema, data)
    return data


def query(req: wsgi.Request, schema: dict[str, Any]) -> dict[str, str]:
    """The query string (last value of a repeated key), its known keys validated."""
    params = {key: req.GET.getall(key)[-1] for key in req.GET.keys()}
    validation.validate(schema, params)
    return params


def flag(req: wsgi.Request, name: str) -> bool:
    """Keystone's query flags: present and not an explicit false means true."""
    if name not in req.GET:
        return False
    return req.GET.getall(name)[-1].strip().lower() not in _FALSE_TEXTS


def as_bool(text: str) -> bool:
    return text.lower() in ('true', '1')


def filtered(records: list[dict[str, Any]], params: dict[str, str],
             keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The records matching every filter among ``keys`` present in ``params``."""
    for key in keys:
        if key not in params:
            continue
        if key == 'enabled':
            wanted: Any = as_bool(params[key])
            records = [r for r in records if r['enabled'] is wanted]
        else:
            records = [r for r in records if r.get(key) == params[key]]
    return records


def self_url(req: wsgi.Request, api: IdentityApi) -> str:
    """The collection's own URL under the public URL (with its query string)."""
    path = req.path_info.rstrip('/')
    qs = f'?{req.query_string}' if req.query_string else ''
    return f'{api.public_url}{path}{qs}'
