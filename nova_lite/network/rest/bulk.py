"""Neutron's bulk create: ``POST /v2.0/<collection>`` with ``{"<plural>": [...]}``.

Every item is validated before anything is created; then the items are created
in order and, when one fails, the ones already created are deleted again (in
reverse order) before the failure is answered, so a bulk create makes all of its
resources or none of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import webob

from nova_lite.api import validation, wsgi
from nova_lite.common import exception

LOG = logging.getLogger(__name__)

MAX_ITEMS = 1000

CreateOne = Callable[[dict[str, Any]], dict[str, Any]]
DeleteOne = Callable[[dict[str, Any]], None]


def is_bulk(body: Any, plural: str) -> bool:
    """Whether a create body is the plural (bulk) form."""
    return isinstance(body, dict) and plural in body


def read_items(body: Any, schema: dict[str, Any], singular: str,
               plural: str) -> list[dict[str, Any]]:
    """The validated items of ``{"<plural>": [{...}, ...]}``; a 400 naming the bad one."""
    if not isinstance(body, dict) or set(body) != {plural}:
        raise exception.InvalidInput(field=plural,
                                     reason=f'the body must be {{"{plural}": [...]}}')
    items = body[plural]
    if not isinstance(items, list) or not items:
        raise exception.InvalidInput(field=plural, reason='must be a non-empty list')
    if len(items) > MAX_ITEMS:
        raise exception.InvalidInput(field=plural,
                                     reason=f'at most {MAX_ITEMS} items are allowed')
    for index, item in enumerate(items):
        try:
            validation.validate(schema, {singular: item})
        except exception.InvalidInput as exc:
            raise exception.InvalidInput(field=f'{plural}.{index}',
                                         reason=exc.message[:300]) from exc
    return [dict(item) for item in items]


def create_all(items: list[dict[str, Any]], create_one: CreateOne,
               delete_one: DeleteOne) -> list[dict[str, Any]]:
    """``create_one`` of every item, or none of them (the failure is re-raised)."""
    created: list[dict[str, Any]] = []
    try:
        for item in items:
            created.append(create_one(item))
    except Exception:
        for resource in reversed(created):
            try:
                delete_one(resource)
            except Exception:  # keep undoing the rest; the first failure is what is answered
                LOG.exception('bulk create: could not delete %s again', resource.get('id'))
        raise
    return created


def response(plural: str, created: list[dict[str, Any]]) -> webob.Response:
    return wsgi.json_response(201, {plural: created})
