"""MAC addresses for ports: generated under the configured prefix, or checked."""

from __future__ import annotations

import random
import re
from typing import Any

from nova_lite.common import exception

_MAC_RE = re.compile(r'^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$')


def _octets(value: str) -> list[int]:
    return [int(part, 16) for part in value.split(':')]


def generate_mac(base_mac: str, rng: random.Random) -> str:
    """A MAC that keeps the first three octets of ``base_mac``; the rest are random.

    The result is lowercase and colon separated, e.g. ``fa:16:3e:5c:02:9a``.
    """
    base = base_mac.strip().lower()
    if not _MAC_RE.match(base):
        raise exception.InvalidInput(field='base_mac', reason=f'{base_mac!r} is not a MAC')
    prefix = _octets(base)[:3]
    if prefix[0] & 1:
        raise exception.InvalidInput(field='base_mac',
                                     reason=f'{base_mac!r} is a multicast prefix')
    octets = prefix + [rng.randrange(256) for _ in range(3)]
    return ':'.join(f'{octet:02x}' for octet in octets)


def normalize_mac(field: str, value: Any) -> str:
    """A caller's MAC in canonical form; multicast and all-zero MACs are refused."""
    if not isinstance(value, str):
        raise exception.InvalidInput(field=field, reason='must be a string')
    mac = value.strip().lower().replace('-', ':')
    if not _MAC_RE.match(mac):
        raise exception.InvalidInput(
            field=field, reason=f'{value!r} is not a MAC address (want xx:xx:xx:xx:xx:xx)')
    octets = _octets(mac)
    if not any(octets):
        raise exception.InvalidInput(field=field, reason='the all-zero MAC is not allowed')
    if octets[0] & 1:
        raise exception.InvalidInput(field=field,
                                     reason=f'{value!r} is a multicast or broadcast MAC')
    return mac
