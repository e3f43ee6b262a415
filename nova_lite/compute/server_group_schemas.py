"""JSON schemas of ``/os-server-groups`` requests, by compute microversion (nova's shapes).

2.1 takes ``policies``, a list of exactly one of affinity or anti-affinity;
2.15 allows soft-affinity and soft-anti-affinity too; 2.64 takes one
``policy`` and ``rules`` (``max_server_per_host``) instead.
"""

from __future__ import annotations

from typing import Any

from nova_lite.compute import server_groups
from nova_lite.compute.rest import version_changes

# 1 to 255 characters, not starting or ending with whitespace.
_name: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255,
                         'pattern': r'^(?!\s).*(?<!\s)$'}
_HARD = list(server_groups.HARD_POLICIES)
_ALL = [*server_groups.HARD_POLICIES, *server_groups.SOFT_POLICIES]


def _request(group: dict[str, Any]) -> dict[str, Any]:
    return {'type': 'object', 'properties': {'server_group': group},
            'required': ['server_group'], 'additionalProperties': False}


def create_request(version: tuple[int, int]) -> dict[str, Any]:
    """The ``POST /os-server-groups`` body schema at ``version``."""
    allowed = _ALL if version >= version_changes.SERVER_GROUP_SOFT_POLICIES else _HARD
    if version >= version_changes.SERVER_GROUP_POLICY_RULES:
        positive = {'oneOf': [{'type': 'integer', 'minimum': 1},
                              {'type': 'string', 'pattern': '^[0-9]{1,9}$'}]}
        return _request({
            'type': 'object',
            'properties': {
                'name': _name,
                'policy': {'type': 'string', 'enum': allowed},
                'rules': {'type': 'object',
                          'properties': {server_groups.MAX_SERVER_PER_HOST: positive},
                          'additionalProperties': False},
            },
            'required': ['name', 'policy'],
            'additionalProperties': False,
        })
    return _request({
        'type': 'object',
        'properties': {
            'name': _name,
            'policies': {'type': 'array', 'minItems': 1, 'maxItems': 1,
                         'items': {'type': 'string', 'enum': allowed}},
        },
        'required': ['name', 'policies'],
        'additionalProperties': False,
    })


_count: dict[str, Any] = {'type': 'string', 'pattern': '^[0-9]{1,9}$'}

# GET /os-server-groups: all_projects (admins), limit and offset.
list_query: dict[str, Any] = {
    'type': 'object',
    'properties': {'all_projects': {'type': 'string'}, 'limit': _count, 'offset': _count},
}
