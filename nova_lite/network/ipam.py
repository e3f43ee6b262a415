"""IP address management: subnet arithmetic and race-safe address allocation.

Everything here uses the standard :mod:`ipaddress` module. The allocation
helpers run inside the caller's transaction; each insert of an
``ip_allocations`` row happens in its own savepoint, and the primary key
(subnet, address) is what finally decides who gets an address when two
requests race for it: the loser re-reads what is taken and tries again.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db.models import network as models

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Pool = tuple[IPAddress, IPAddress]

# Allocation picks at random among this many of the lowest free addresses, so
# that concurrent requests seldom pick the same one yet addresses stay packed.
CANDIDATE_WINDOW = 16


class IpAddressAlreadyAllocated(exception.Conflict):
    """A requested address is another port's (neutron's error type name)."""


def parse_cidr(cidr: Any, ip_version: Any) -> IPNetwork:
    """The network for ``cidr``; a host address with bits set is refused, as neutron does."""
    if isinstance(ip_version, bool) or ip_version not in (4, 6):
        raise exception.InvalidInput(field='ip_version', reason='must be 4 or 6')
    if not isinstance(cidr, str) or '/' not in cidr:
        raise exception.InvalidInput(field='cidr',
                                     reason=f'{cidr!r} is not a CIDR such as 10.0.0.0/24')
    try:
        network = ipaddress.ip_network(cidr.strip(), strict=True)
    except ValueError:
        try:
            loose = ipaddress.ip_network(cidr.strip(), strict=False)
        except ValueError:
            raise exception.InvalidInput(
                field='cidr', reason=f'{cidr!r} is not a valid CIDR') from None
        raise exception.InvalidInput(
            field='cidr', reason=f'{cidr!r} has host bits set; the network is {loose}') from None
    if network.version != ip_version:
        raise exception.InvalidInput(
            field='ip_version',
            reason=f'cidr {network} is IPv{network.version} but ip_version is {ip_version}')
    first, last = host_bounds(network)
    if last - first < 1:
        raise exception.InvalidInput(
            field='cidr', reason=f'{network} is too small: it needs room for a gateway '
                                 'and at least one host')
    return network


def host_bounds(network: IPNetwork) -> tuple[int, int]:
    """First and last assignable address (as ints): never the network address,
    nor the broadcast address of IPv4. May be empty (first > last) for tiny networks."""
    first = int(network.network_address) + 1
    last = int(network.broadcast_address) - (1 if network.version == 4 else 0)
    return first, last


def _address(network: IPNetwork, value: int) -> IPAddress:
    return ipaddress.ip_address(value) if network.version == 4 else ipaddress.IPv6Address(value)


def default_gateway(network: IPNetwork) -> IPAddress:
    """The first host of the network."""
    return _address(network, host_bounds(network)[0])


def parse_network(cidr: str) -> IPNetwork:
    """A stored (already validated) CIDR."""
    return ipaddress.ip_network(cidr)


def parse_address(field: str, value: Any, network: IPNetwork | None = None) -> IPAddress:
    """An address, of the network's IP version if one is given (not yet checked
    to be inside it)."""
    if not isinstance(value, str):
        raise exception.InvalidInput(field=field, reason='must be an IP address string')
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        raise exception.InvalidInput(field=field,
                                     reason=f'{value!r} is not an IP address') from None
    if network is not None and address.version != network.version:
        raise exception.InvalidInput(
            field=field, reason=f'{address} is not an IPv{network.version} address')
    return address


def check_host_address(field: str, address: IPAddress, network: IPNetwork) -> None:
    """``address`` must be an assignable host of ``network``."""
    if address not in network:
        raise exception.InvalidInput(field=field, reason=f'{address} is outside {network}')
    first, last = host_bounds(network)
    if not first <= int(address) <= last:
        kind = 'network' if address == network.network_address else 'broadcast'
        raise exception.InvalidInput(
            field=field, reason=f'{address} is the {kind} address of {network}')


def validate_gateway(value: Any, network: IPNetwork) -> IPAddress:
    address = parse_address('gateway_ip', value, network)
    check_host_address('gateway_ip', address, network)
    return address


def default_pools(network: IPNetwork, gateway: IPAddress | None) -> list[Pool]:
    """Every assignable host except the gateway, as at most two ranges."""
    first, last = host_bounds(network)
    spans = [(first, last)]
    if gateway is not None and first <= int(gateway) <= last:
        spans = [(first, int(gateway) - 1), (int(gateway) + 1, last)]
    return [(_address(network, start), _address(network, end))
            for start, end in spans if start <= end]


def validate_pools(value: Any, network: IPNetwork, gateway: IPAddress | None) -> list[Pool]:
    """Caller-given ``[{start, end}, ...]``: inside the network, ordered, disjoint,
    and not containing the gateway."""
    field = 'allocation_pools'
    if not isinstance(value, list | tuple) or not value:
        raise exception.InvalidInput(field=field, reason='must be a non-empty list')
    pools: list[tuple[int, Pool]] = []
    for index, item in enumerate(value):
        item_field = f'{field}.{index}'
        if not isinstance(item, dict) or set(item) != {'start', 'end'}:
            raise exception.InvalidInput(field=item_field,
                                         reason='must be an object with start and end')
        start = parse_address(f'{item_field}.start', item['start'], network)
        end = parse_address(f'{item_field}.end', item['end'], network)
        check_host_address(f'{item_field}.start', start, network)
        check_host_address(f'{item_field}.end', end, network)
        # One IP version (parse_address checked), so the integers compare like the addresses.
        if int(start) > int(end):
            raise exception.InvalidInput(field=item_field,
                                         reason=f'start {start} is after end {end}')
        if gateway is not None and int(start) <= int(gateway) <= int(end):
            raise exception.InvalidInput(
                field=item_field, reason=f'contains the gateway {gateway}')
        pools.append((index, (start, end)))
    pools.sort(key=lambda entry: entry[1][0])
    for (_, (_, previous_end)), (index, (start, _)) in zip(pools, pools[1:], strict=False):
        if int(start) <= int(previous_end):
            raise exception.InvalidInput(field=f'{field}.{index}',
                                         reason='overlaps another allocation pool')
    return [pool for _, pool in pools]


def free_addresses(pools: Sequence[Pool], taken: set[str], limit: int) -> list[str]:
    """Up to ``limit`` of the lowest addresses in ``pools`` not in ``taken``."""
    found: list[str] = []
    for address in _pool_addresses(pools):
        if address not in taken:
            found.append(address)
            if len(found) >= limit:
                break
    return found


def _pool_addresses(pools: Sequence[Pool]) -> Iterator[str]:
    for start, end in sorted(pools):
        factory = type(start)
        for value in range(int(start), int(end) + 1):
            yield str(factory(value))


def load_pools(session: orm.Session, subnet_id: str) -> list[Pool]:
    rows = session.execute(sa.select(models.AllocationPool.first_ip,
                                     models.AllocationPool.last_ip)
                           .where(models.AllocationPool.subnet_id == subnet_id)).all()
    return [(ipaddress.ip_address(first), ipaddress.ip_address(last)) for first, last in rows]


def taken_addresses(session: orm.Session, subnet_id: str) -> set[str]:
    return set(session.scalars(sa.select(models.IPAllocation.ip_address)
                               .where(models.IPAllocation.subnet_id == subnet_id)))


def _insert(session: orm.Session, subnet: models.Subnet, address: str, port_id: str) -> bool:
    """Insert one allocation in a savepoint; False if the address was taken meanwhile."""
    try:
        with session.begin_nested():
            session.execute(sa.insert(models.IPAllocation).values(
                subnet_id=subnet.id, ip_address=address, port_id=port_id,
                network_id=subnet.network_id))
    except sa_exc.IntegrityError:
        return False
    return True


def allocate_ip(session: orm.Session, subnet: models.Subnet, port_id: str, *,
                retries: int, rng: random.Random) -> str:
    """Give ``port_id`` a free address from the subnet's allocation pools.

    Raises IpAddressExhausted when no address is free, and Conflict when every
    one of ``retries`` tries lost a race to a concurrent request.
    """
    pools = load_pools(session, subnet.id)
    for _attempt in range(retries):
        candidates = free_addresses(pools, taken_addresses(session, subnet.id),
                                    CANDIDATE_WINDOW)
        if not candidates:
            raise exception.IpAddressExhausted(network_id=subnet.network_id)
        address = rng.choice(candidates)
        if _insert(session, subnet, address, port_id):
            return address
    raise exception.Conflict(
        reason=f'could not allocate an IP address on subnet {subnet.id} after {retries} '
               'tries against concurrent requests; try again')


def allocate_specific_ip(session: orm.Session, subnet: models.Subnet, address: str,
                         port_id: str, *, field: str) -> str:
    """Give ``port_id`` exactly ``address`` (already checked to be a host of the subnet)."""
    if not _insert(session, subnet, address, port_id):
        raise IpAddressAlreadyAllocated(
            reason=f'{field}: IP address {address} is already allocated in subnet '
                   f'{subnet.id}')
    return address
