"""Unpinning and re-pinning a server's availability zone (``PUT /servers/{id}``, 2.104).

A server is pinned to the zone asked for at boot (its request spec's
``availability_zone``), which later moves must keep. As Nova: ``null`` unpins;
a zone re-pins only to the zone the server is in now; a change from one zone
straight to another is a 409 (unpin first); the same value again is a no-op.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from nova_lite.common import exception

BuildRequestChange = Callable[[dict[str, Any]], Mapping[str, Any]]


def change(instance: Mapping[str, Any], wanted: str | None) -> BuildRequestChange:
    """The build request change that sets the pin to ``wanted``, checked under the row
    lock against the pin the server has then."""
    current_zone = instance.get('availability_zone')

    def pinned(build_request: dict[str, Any]) -> Mapping[str, Any]:
        spec = dict(build_request.get('request_spec') or {})
        pin = spec.get('availability_zone')
        if wanted is not None and wanted != pin:
            if pin is not None:
                raise exception.Conflict(
                    reason=f'the server is pinned to {pin!r}; unpin it (null) before '
                           f'pinning it to {wanted!r}')
            if wanted != current_zone:
                raise exception.Conflict(
                    reason=f'the server is in zone {current_zone!r}; it can only be pinned '
                           f'to that zone, not {wanted!r}')
        spec['availability_zone'] = wanted
        return {'request_spec': spec}

    return pinned
