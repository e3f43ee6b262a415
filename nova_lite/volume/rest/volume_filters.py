"""The volume list's filters that later microversions add (cinder's generic filtering).

From 3.31 the volume lists (and summary) also filter by ``availability_zone``,
``bootable``, ``volume_type``, ``size`` and ``metadata`` (a JSON or Python
dict literal, every pair must match); from 3.33 ``GET /resource_filters``
names the filters; from 3.34 ``name~``, ``description~`` and ``status~``
match a substring, case-insensitively.
"""

from __future__ import annotations

import ast
import json
from typing import Any

import webob

from nova_lite.api import query, wsgi
from nova_lite.common import exception
from nova_lite.volume.rest import version_changes as changes
from nova_lite.volume.rest import versions

EXACT = ('availability_zone', 'bootable', 'volume_type', 'size')
LIKE = ('name', 'description', 'status')
BASE = ('name', 'status', 'metadata', 'project_id', 'user_id', 'all_tenants')


def _metadata(value: str) -> dict[str, str]:
    for parse in (json.loads, ast.literal_eval):
        try:
            parsed = parse(value)
        except (ValueError, SyntaxError):
            continue
        if isinstance(parsed, dict):
            return {str(k): str(v) for k, v in parsed.items()}
    raise exception.InvalidInput(field='metadata', reason='must be a dict of key/value pairs')


def _matches(volume: dict[str, Any], name: str, wanted: str) -> bool:
    value = volume.get(name)
    if name == 'volume_type':
        return str(value) == wanted or (value is None and wanted in ('', 'None'))
    if name == 'bootable':
        return str(value).lower() == wanted.strip().lower()
    return str(value) == wanted


def apply(req: wsgi.Request, volumes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``volumes`` narrowed by the filters of the request's version."""
    if not versions.at_least(req, changes.GENERIC_FILTERS):
        return volumes
    params = query.last_values(req)
    if 'metadata' in params:
        pairs = _metadata(params['metadata'])
        volumes = [v for v in volumes
                   if all((v.get('metadata') or {}).get(k) == val for k, val in pairs.items())]
    for name in EXACT:
        if name in params:
            volumes = [v for v in volumes if _matches(v, name, params[name])]
    if versions.at_least(req, changes.LIKE_FILTERS):
        for name in LIKE:
            if f'{name}~' in params:
                part = params[f'{name}~'].lower()
                volumes = [v for v in volumes if part in str(v.get(name) or '').lower()]
    return volumes


def resource_filters(req: wsgi.Request, project_id: str) -> webob.Response:
    """3.33's ``GET /resource_filters``: what each list filters by (``resource``
    narrows the answer to one)."""
    like = [f'{name}~' for name in LIKE] if versions.at_least(req, changes.LIKE_FILTERS) else []
    known = {'volume': [*BASE, *EXACT, *like]}
    wanted = query.last_values(req, ['resource']).get('resource')
    return wsgi.json_response(200, {'resource_filters': [
        {'resource': resource, 'filters': filters} for resource, filters in known.items()
        if wanted in (None, resource)]})
