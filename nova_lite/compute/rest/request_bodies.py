"""The compute request-body schemas at a microversion.

The 2.1 shapes live in :mod:`nova_lite.compute.schemas`; a field a later
microversion adds is unknown below it (``additionalProperties: false``, so a
400 naming it), as nova validates each version with its own schema.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from nova_lite.compute import schemas as body_schemas
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import Version

# Nova's server description: printable, at most 255 characters, or null.
_server_description: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 255,
                                       'pattern': r'^[^\x00-\x1f\x7f]*$'}
# Nova's tag: 1-60 characters without "/" or ","; at most 50 of them.
_tags: dict[str, Any] = {'type': 'array', 'maxItems': 50,
                         'items': {'type': 'string', 'minLength': 1, 'maxLength': 60,
                                   'pattern': '^[^,/]*$'}}
# Nova's hostname (2.90) and, from 2.94, its fully qualified form.
_hostname: dict[str, Any] = {'type': 'string', 'minLength': 2, 'maxLength': 63,
                             'pattern': '^[a-zA-Z0-9-._]*$'}
_fqdn: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 255,
                         'pattern': '^[a-zA-Z0-9-._]*$'}


def _hostname_at(version: Version) -> dict[str, Any]:
    return _fqdn if version >= changes.SERVER_HOSTNAME_FQDN else _hostname


_flavor_description: dict[str, Any] = {'type': ['string', 'null'], 'maxLength': 65535,
                                       'pattern': r'^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$'}


@functools.cache
def server_create_request(version: Version) -> dict[str, Any]:
    """``POST /servers`` at ``version``: description from 2.19, tags from 2.52."""
    schema = copy.deepcopy(body_schemas.server_create_request)
    server = schema['properties']['server']['properties']
    if version >= changes.SERVER_DESCRIPTION:
        server['description'] = _server_description
    if version >= changes.SERVER_CREATE_TAGS:
        server['tags'] = _tags
    if version >= changes.SERVER_HOSTNAME:
        server['hostname'] = _hostname_at(version)
    mapping = server['block_device_mapping_v2']['items']['properties']
    if version >= changes.BDM_TAG:
        mapping['tag'] = _bdm_tag
    if version >= changes.BDM_VOLUME_TYPE:
        mapping['volume_type'] = _bdm_volume_type
    return schema


# A block device mapping's tag (2.42) and volume type (2.67).
_bdm_tag: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 60,
                            'pattern': '^[^,/]*$'}
_bdm_volume_type: dict[str, Any] = {'type': ['string', 'null'], 'minLength': 0,
                                    'maxLength': 255}


@functools.cache
def server_update_request(version: Version) -> dict[str, Any]:
    """``PUT /servers/{id}`` at ``version``: description from 2.19."""
    server: dict[str, Any] = {
        'name': body_schemas.server_create['properties']['name'],
        'accessIPv4': body_schemas.access_ip_v4,
        'accessIPv6': body_schemas.access_ip_v6,
        'OS-DCF:diskConfig': body_schemas.disk_config,
    }
    if version >= changes.SERVER_DESCRIPTION:
        server['description'] = _server_description
    if version >= changes.SERVER_HOSTNAME:
        server['hostname'] = _hostname_at(version)
    if version >= changes.SERVER_PINNED_AZ_UPDATE:
        server['pinned_availability_zone'] = {'type': ['string', 'null'], 'minLength': 1,
                                              'maxLength': 255}
    return {
        'type': 'object',
        'properties': {'server': {'type': 'object', 'properties': server,
                                  'additionalProperties': False}},
        'required': ['server'],
        'additionalProperties': False,
    }


@functools.cache
def flavor_create_request(version: Version) -> dict[str, Any]:
    """``POST /flavors`` at ``version``: description from 2.55."""
    schema = copy.deepcopy(body_schemas.flavor_create_request)
    flavor = schema['properties']['flavor']['properties']
    if version >= changes.FLAVOR_DESCRIPTION:
        flavor['description'] = _flavor_description
    else:
        flavor.pop('description', None)
    if version >= changes.FLAVOR_NO_RXTX_DISABLED:
        flavor.pop('rxtx_factor', None)
    return schema


flavor_update_request: dict[str, Any] = {
    'type': 'object',
    'properties': {'flavor': {
        'type': 'object', 'properties': {'description': _flavor_description},
        'required': ['description'], 'additionalProperties': False}},
    'required': ['flavor'],
    'additionalProperties': False,
}
