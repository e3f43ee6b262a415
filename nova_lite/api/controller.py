"""The base of a REST resource controller: its policy, its routes, its validated input.

A controller validates a request body once, against its JSON schema (a 400
names the field), reads the query parameters its schema knows, and asks
oslo.policy through :class:`~nova_lite.api.policy.Authorizer` before acting.
"""

from __future__ import annotations

from typing import Any

from nova_lite.api import policy, query, routing, validation, wsgi


def read_body(req: wsgi.Request, schema: dict[str, Any]) -> Any:
    """The request's JSON body, validated against ``schema`` (400 naming the field)."""
    body = req.read_json()
    validation.validate(schema, body)
    return body


def read_query(req: wsgi.Request, schema: dict[str, Any]) -> dict[str, str]:
    """The parameters ``schema`` names (the last of repeated ones), validated; others
    are ignored, as clients send extras."""
    params = query.last_values(req, schema['properties'])
    validation.validate(schema, params)
    return params


class Controller:
    """One REST resource: subclasses add handlers and list them in :meth:`routes`."""

    def __init__(self, authorizer: policy.Authorizer) -> None:
        self.authorizer = authorizer

    def routes(self) -> list[routing.Route]:
        """``(method, path, handler)`` of every operation of the resource."""
        return []
