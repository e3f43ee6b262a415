"""Error bodies in the shape each OpenStack API's clients expect."""

from __future__ import annotations

import http
from collections.abc import Callable
from typing import Any

FaultBody = Callable[[int, str, str], tuple[str, bytes]]
"""(status, message, exception class name) -> (content type, body)."""

_COMPUTE_KEYS = {400: 'badRequest', 401: 'unauthorized', 403: 'forbidden',
                 404: 'itemNotFound', 405: 'badMethod', 409: 'conflictingRequest',
                 413: 'overLimit', 415: 'badMediaType'}


def _json(body: dict[str, Any]) -> tuple[str, bytes]:
    import json

    return 'application/json', json.dumps(body).encode()


def compute_fault(status: int, message: str, kind: str) -> tuple[str, bytes]:
    """Nova and cinder: ``{"itemNotFound": {"code": 404, "message": ...}}``."""
    key = _COMPUTE_KEYS.get(status, 'computeFault' if status >= 500 else 'badRequest')
    return _json({key: {'code': status, 'message': message}})


def identity_fault(status: int, message: str, kind: str) -> tuple[str, bytes]:
    """Keystone: ``{"error": {"code", "message", "title"}}``."""
    return _json({'error': {'code': status, 'message': message,
                            'title': http.HTTPStatus(status).phrase}})


def network_fault(status: int, message: str, kind: str) -> tuple[str, bytes]:
    """Neutron: ``{"NeutronError": {"type", "message", "detail"}}``."""
    return _json({'NeutronError': {'type': kind, 'message': message, 'detail': ''}})


def image_fault(status: int, message: str, kind: str) -> tuple[str, bytes]:
    """Glance answers errors as plain text: ``<status line>\\n\\n<message>``."""
    phrase = http.HTTPStatus(status).phrase
    return 'text/plain; charset=UTF-8', f'{status} {phrase}\n\n{message}\n'.encode()
