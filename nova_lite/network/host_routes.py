"""A subnet's host routes: ``[{"destination": <cidr>, "nexthop": <ip>}, ...]``.

As in neutron, every destination is a network CIDR (no host bits set) and
every nexthop an IP address, both of the subnet's IP version; a route is not
given twice and a subnet has at most :data:`MAX_HOST_ROUTES` of them.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from nova_lite.common import exception

MAX_HOST_ROUTES = 20
FIELD = 'host_routes'


def validate(value: Any, ip_version: int) -> list[dict[str, str]]:
    """The routes in their canonical spelling; a 400 naming the bad entry."""
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise exception.InvalidInput(field=FIELD, reason='must be a list')
    if len(value) > MAX_HOST_ROUTES:
        raise exception.InvalidInput(field=FIELD,
                                     reason=f'at most {MAX_HOST_ROUTES} are allowed')
    routes: list[dict[str, str]] = []
    for index, item in enumerate(value):
        field = f'{FIELD}.{index}'
        if not isinstance(item, dict) or set(item) != {'destination', 'nexthop'}:
            raise exception.InvalidInput(
                field=field, reason='must be an object with destination and nexthop')
        route = {'destination': _destination(f'{field}.destination', item['destination'],
                                             ip_version),
                 'nexthop': _nexthop(f'{field}.nexthop', item['nexthop'], ip_version)}
        if route in routes:
            raise exception.InvalidInput(field=field, reason='the route is given twice')
        routes.append(route)
    return routes


def _destination(field: str, value: Any, ip_version: int) -> str:
    if not isinstance(value, str) or '/' not in value:
        raise exception.InvalidInput(field=field, reason=f'{value!r} is not a CIDR')
    try:
        network = ipaddress.ip_network(value.strip(), strict=True)
    except ValueError:
        raise exception.InvalidInput(
            field=field, reason=f'{value!r} is not a network CIDR') from None
    if network.version != ip_version:
        raise exception.InvalidInput(
            field=field, reason=f'{value} is not IPv{ip_version} like the subnet')
    return str(network)


def _nexthop(field: str, value: Any, ip_version: int) -> str:
    try:
        address = ipaddress.ip_address(value.strip() if isinstance(value, str) else '')
    except ValueError:
        raise exception.InvalidInput(field=field,
                                     reason=f'{value!r} is not an IP address') from None
    if address.version != ip_version:
        raise exception.InvalidInput(
            field=field, reason=f'{value} is not IPv{ip_version} like the subnet')
    return str(address)
