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
                   'is_public': {'type': 'string', 'maxLength': 16}, **_paging},
}

# What the flavor list's ``is_public`` filter takes (oslo's bool strings).
TRUE_WORDS = ('1', 't', 'true', 'on', 'y', 'yes')
FALSE_WORDS = ('0', 'f', 'false', 'off', 'n', 'no')
