"""A router's extra routes (extraroute): their shape, checked before any lookup.

Whether each nexthop is on one of the router's subnets is the router's check
(it needs the router's interfaces).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from nova_lite.network import l3_errors

MAX_ROUTES = 30


def check(value: Any) -> list[dict[str, str]]:
    """``[{destination, nexthop}]``: CIDRs and addresses of one version, no duplicates."""
    if not isinstance(value, list):
        raise l3_errors.InvalidRoutes(field='routes', reason='routes must be a list')
    if len(value) > MAX_ROUTES:
        raise l3_errors.InvalidRoutes(field='routes',
                                      reason=f'at most {MAX_ROUTES} routes are allowed')
    routes: list[dict[str, str]] = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or set(item) != {'destination', 'nexthop'}:
            raise l3_errors.InvalidRoutes(
                field=f'routes.{index}', reason=f'route {item!r} must have exactly '
                                                'destination and nexthop')
        try:
            destination = ipaddress.ip_network(str(item['destination']), strict=True)
            nexthop = ipaddress.ip_address(str(item['nexthop']))
        except ValueError as exc:
            raise l3_errors.InvalidRoutes(field=f'routes.{index}',
                                          reason=f'route {item!r}: {exc}') from None
        if destination.version != nexthop.version:
            raise l3_errors.InvalidRoutes(
                field=f'routes.{index}', reason=f'route {item!r} mixes IP versions')
        route = {'destination': str(destination), 'nexthop': str(nexthop)}
        if route in routes:
            raise l3_errors.InvalidRoutes(field=f'routes.{index}',
                                          reason=f'route {item!r} is given twice')
        routes.append(route)
    return routes
