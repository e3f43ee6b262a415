"""Keystone's response shapes of the identity extensions."""

from __future__ import annotations

import urllib.parse
from typing import Any


def _self(v3_url: str, collection: str, item_id: str) -> dict[str, str]:
    return {'self': f'{v3_url}/{collection}/{urllib.parse.quote(item_id, safe="")}'}


def policy(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    return {'id': record['id'], 'type': record['type'], 'blob': record['blob'],
            'links': _self(v3_url, 'policies', record['id'])}


def endpoint_group(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    return {'id': record['id'], 'name': record['name'], 'description': record['description'],
            'filters': record['filters'],
            'links': _self(v3_url, 'OS-EP-FILTER/endpoint_groups', record['id'])}


def consumer(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    """A consumer; its ``secret`` only in the answer to its creation."""
    body = {'id': record['id'], 'description': record['description'],
            'links': _self(v3_url, 'OS-OAUTH1/consumers', record['id'])}
    if 'secret' in record:
        body['secret'] = record['secret']
    return body
