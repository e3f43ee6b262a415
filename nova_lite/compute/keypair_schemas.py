"""JSON schemas of ``/os-keypairs`` requests, by compute microversion (nova's shapes).

2.1 takes a name and maybe a public key; 2.2 adds ``type`` (ssh or x509);
2.10 adds ``user_id`` (an admin acts for another user); 2.92 requires the
public key (no more generated pairs) and allows ``@`` in names.
"""

from __future__ import annotations

import copy
from typing import Any

from nova_lite.compute.rest import version_changes

# Letters, digits, '.', '_', '-' and inner spaces; from 2.92 '@' and any spaces too.
_name: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255,
                         'pattern': r'^(?! )[a-zA-Z0-9. _-]+(?<! )$'}
_name_292: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255,
                             'pattern': r'^[a-zA-Z0-9 @._-]+$'}

_create_21: dict[str, Any] = {
    'type': 'object',
    'properties': {'name': _name, 'public_key': {'type': 'string'}},
    'required': ['name'],
    'additionalProperties': False,
}


def _request(keypair: dict[str, Any]) -> dict[str, Any]:
    return {'type': 'object', 'properties': {'keypair': keypair}, 'required': ['keypair'],
            'additionalProperties': False}


def create_request(version: tuple[int, int]) -> dict[str, Any]:
    """The ``POST /os-keypairs`` body schema at ``version``."""
    keypair = copy.deepcopy(_create_21)
    if version >= version_changes.KEYPAIR_TYPE:
        keypair['properties']['type'] = {'type': 'string', 'enum': ['ssh', 'x509']}
    if version >= version_changes.KEYPAIR_USER_ID:
        keypair['properties']['user_id'] = {'type': 'string', 'minLength': 1,
                                            'maxLength': 255}
    if version >= version_changes.KEYPAIR_NO_GENERATION:
        keypair['properties']['name'] = _name_292
        keypair['required'] = ['name', 'public_key']
    return _request(keypair)


_count: dict[str, Any] = {'type': 'string', 'pattern': '^[0-9]{1,9}$'}

# GET /os-keypairs: user_id from 2.10, limit and marker from 2.35 (others are ignored).
list_query: dict[str, Any] = {
    'type': 'object',
    'properties': {'user_id': {'type': 'string', 'maxLength': 255}, 'limit': _count,
                   'marker': {'type': 'string', 'maxLength': 255}},
}

# GET and DELETE /os-keypairs/{name}: user_id from 2.10.
member_query: dict[str, Any] = {
    'type': 'object',
    'properties': {'user_id': {'type': 'string', 'maxLength': 255}},
}
