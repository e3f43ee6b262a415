"""JSON schemas of the compute API's query parameters (bodies: compute/schemas.py).

Only the parameters named here are read (the last value of a repeated one);
unknown parameters are ignored, as clients send extras (``deleted=False``,
``is_public=None``...).
"""

from typing import Any

_count: dict[str, Any] = {'type': 'string', 'pattern': '^[0-9]{1,9}$'}
_paging: dict[str, Any] = {'limit': _count, 'marker': {'type': 'string', 'maxLength': 255}}

servers_query: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string', 'maxLength': 255},
        'status': {'type': 'string', 'maxLength': 64},
        'all_tenants': {'type': 'string', 'maxLength': 16},
        **_paging,
    },
}

flavors_query: dict[str, Any] = {
    'type': 'object',
    'properties': {'minRam': _count, 'minDisk': _count,
                   'is_public': {'type': 'string', 'maxLength': 16},
                   'sort_key': {'type': 'string', 'enum': [
                       'created_at', 'description', 'disabled', 'ephemeral_gb', 'flavorid',
                       'id', 'is_public', 'memory_mb', 'name', 'root_gb', 'rxtx_factor',
                       'swap', 'updated_at', 'vcpu_weight', 'vcpus']},
                   'sort_dir': {'type': 'string', 'enum': ['asc', 'desc']}, **_paging},
}
# From 2.102: a name filter (a regular expression, as Nova's), no rxtx_factor sort.
flavors_query_2_102: dict[str, Any] = {
    'type': 'object',
    'properties': {**flavors_query['properties'],
                   'name': {'type': 'string', 'maxLength': 255},
                   'sort_key': {'type': 'string', 'enum': [
                       key for key in flavors_query['properties']['sort_key']['enum']
                       if key != 'rxtx_factor']}},
}

# What the flavor list's ``is_public`` filter takes (oslo's bool strings).
TRUE_WORDS = ('1', 't', 'true', 'on', 'y', 'yes')
FALSE_WORDS = ('0', 'f', 'false', 'off', 'n', 'no')
