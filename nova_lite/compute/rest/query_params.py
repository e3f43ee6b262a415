"""Reading a compute list's query parameters, strictly from the microversion that says so.

Below its strict version a list ignores the parameters it does not know, as
Nova did; from it (2.75 for the server, service and flavor lists, 2.102 for
every other one), an unknown parameter is a 400 that names it.
"""

from __future__ import annotations

from typing import Any

from nova_lite.api import controller, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import Version, api_version


def read(req: wsgi.Request, schema: dict[str, Any], *,
         strict_from: Version = changes.STRICT_QUERY_EVERYWHERE) -> dict[str, str]:
    """The parameters ``schema`` names, validated; from ``strict_from`` on, a 400 for
    any other."""
    params = controller.read_query(req, schema)
    if api_version(req) >= strict_from:
        unknown = sorted(set(req.GET) - set(schema['properties']))
        if unknown:
            raise exception.InvalidInput(field=unknown[0],
                                         reason='unknown query parameter at this microversion')
    return params
