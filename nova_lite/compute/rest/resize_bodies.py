"""The request bodies of resize, confirmResize, revertResize and rebuild, per microversion.

``POST /servers/{id}/action`` first checks the envelope (one action; these
four take any object here, see :data:`nova_lite.compute.schemas.server_action`),
then the action's own body with the schema of the request's microversion:
a field a later microversion adds is a 400 naming it below that version.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from nova_lite.compute import schemas as body_schemas
from nova_lite.compute.rest import request_bodies
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import Version

_server = body_schemas.server_create['properties']

resize: dict[str, Any] = {
    'type': 'object',
    'properties': {'resize': {
        'type': 'object',
        'properties': {'flavorRef': _server['flavorRef'],
                       'OS-DCF:diskConfig': body_schemas.disk_config},
        'required': ['flavorRef'],
        'additionalProperties': False,
    }},
    'required': ['resize'],
    'additionalProperties': False,
}

# null or {}, as Nova takes them (Tempest sends {}, openstacksdk null).
_no_arguments: dict[str, Any] = {'type': ['object', 'null'], 'additionalProperties': False}
confirm_resize: dict[str, Any] = {
    'type': 'object', 'properties': {'confirmResize': _no_arguments},
    'required': ['confirmResize'], 'additionalProperties': False}
revert_resize: dict[str, Any] = {
    'type': 'object', 'properties': {'revertResize': _no_arguments},
    'required': ['revertResize'], 'additionalProperties': False}


@functools.cache
def rebuild(version: Version) -> dict[str, Any]:
    """``{"rebuild": {...}}`` at ``version``."""
    fields: dict[str, Any] = {
        'imageRef': _server['imageRef'],
        'name': _server['name'],
        'adminPass': {'type': 'string'},
        'metadata': copy.deepcopy(_server['metadata']),
        'accessIPv4': body_schemas.access_ip_v4,
        'accessIPv6': body_schemas.access_ip_v6,
        'OS-DCF:diskConfig': body_schemas.disk_config,
        'preserve_ephemeral': {'type': 'boolean'},
    }
    if version >= changes.SERVER_DESCRIPTION:
        fields['description'] = request_bodies._server_description
    if version >= changes.REBUILD_KEY_NAME:
        fields['key_name'] = {'type': ['string', 'null'], 'minLength': 1, 'maxLength': 255}
    if version >= changes.REBUILD_USER_DATA:
        fields['user_data'] = {'type': ['string', 'null'], 'maxLength': 65535}
    if version >= changes.SERVER_TRUSTED_CERTS:
        fields['trusted_image_certificates'] = {
            'type': ['array', 'null'], 'minItems': 1, 'maxItems': 50, 'uniqueItems': True,
            'items': {'type': 'string', 'minLength': 1}}
    if version >= changes.SERVER_HOSTNAME:
        fields['hostname'] = request_bodies._hostname_at(version)
    return {
        'type': 'object',
        'properties': {'rebuild': {'type': 'object', 'properties': fields,
                                   'required': ['imageRef'],
                                   'additionalProperties': False}},
        'required': ['rebuild'],
        'additionalProperties': False,
    }
