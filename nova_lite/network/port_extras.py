"""A port's allowed address pairs (allowed-address-pairs) and extra DHCP options
(extra_dhcp_opt), as neutron keeps them.

Address pairs: each is an IP address or CIDR with a MAC (the port's own when
none is given); a port has at most :data:`MAX_ADDRESS_PAIRS`, none twice, and
only while its port security is on (409 otherwise). A new list replaces the old.

DHCP options: each has a name, a value and an IP version (4 unless given). An
update merges by (name, version): a given option replaces the one of its name,
a ``null`` value removes it, and options not named stay.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db.models import network_extras as models
from nova_lite.network import macs, validators

MAX_ADDRESS_PAIRS = 10
_PAIR_KEYS = frozenset({'ip_address', 'mac_address'})
_OPT_KEYS = frozenset({'opt_name', 'opt_value', 'ip_version'})


class AddressPairAndPortSecurityRequired(exception.Conflict):
    msg_fmt = ('Port Security must be enabled in order to have allowed address pairs on '
               'a port.')


def check_pairs(value: Any) -> list[dict[str, Any]] | None:
    """Validated pairs (None: not given); a missing MAC stays missing until :func:`put`."""
    if value is None:
        return None
    pairs = validators.list_of_dicts('allowed_address_pairs', value, _PAIR_KEYS)
    if len(pairs) > MAX_ADDRESS_PAIRS:
        raise exception.InvalidInput(field='allowed_address_pairs',
                                     reason=f'at most {MAX_ADDRESS_PAIRS} pairs are allowed')
    result: list[dict[str, Any]] = []
    for index, pair in enumerate(pairs):
        field = f'allowed_address_pairs.{index}'
        if 'ip_address' not in pair:
            raise exception.InvalidInput(field=f'{field}.ip_address', reason='is required')
        checked = {'ip_address': _ip_or_cidr(f'{field}.ip_address', pair['ip_address'])}
        if pair.get('mac_address') is not None:
            checked['mac_address'] = macs.normalize_mac(f'{field}.mac_address',
                                                        pair['mac_address'])
        if checked in result:
            raise exception.InvalidInput(field=field, reason='is given twice')
        result.append(checked)
    return result


def _ip_or_cidr(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise exception.InvalidInput(field=field, reason='must be a string')
    try:
        if '/' in value:
            return str(ipaddress.ip_network(value.strip(), strict=False))
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise exception.InvalidInput(
            field=field, reason=f'{value!r} is not an IP address or CIDR') from None


def check_opts(value: Any) -> list[dict[str, Any]] | None:
    """Validated DHCP options (None: not given); ``opt_value`` None asks to remove one."""
    if value is None:
        return None
    opts = validators.list_of_dicts('extra_dhcp_opts', value, _OPT_KEYS)
    result: list[dict[str, Any]] = []
    for index, opt in enumerate(opts):
        field = f'extra_dhcp_opts.{index}'
        name = opt.get('opt_name')
        if not isinstance(name, str) or not name.strip():
            raise exception.InvalidInput(field=f'{field}.opt_name',
                                         reason='must be a non-empty string')
        opt_value = opt.get('opt_value')
        if opt_value is not None:
            validators.string(f'{field}.opt_value', opt_value)
        version = opt.get('ip_version', 4)
        if version not in (4, 6, '4', '6'):
            raise exception.InvalidInput(field=f'{field}.ip_version', reason='must be 4 or 6')
        result.append({'opt_name': name.strip(), 'opt_value': opt_value,
                       'ip_version': int(version)})
    return result


def put(session: orm.Session, port: dict[str, Any], pairs: list[dict[str, Any]] | None,
        opts: list[dict[str, Any]] | None) -> bool:
    """Store the checked ``pairs`` (replacing) and ``opts`` (merging) of ``port`` (its
    dict, with ``port_security_enabled`` and ``mac_address``); whether anything changed."""
    row = session.get(models.PortExtras, port['id'])
    current_pairs = list(row.allowed_address_pairs) if row is not None else []
    current_opts = list(row.extra_dhcp_opts) if row is not None else []
    new_pairs = current_pairs if pairs is None else [
        {'ip_address': pair['ip_address'],
         'mac_address': pair.get('mac_address', port['mac_address'])} for pair in pairs]
    if new_pairs and not port.get('port_security_enabled', True):
        raise AddressPairAndPortSecurityRequired()
    new_opts = current_opts if opts is None else merged_options(current_opts, opts)
    if (new_pairs, new_opts) == (current_pairs, current_opts):
        return False
    if row is None:
        session.add(models.PortExtras(port_id=port['id'], allowed_address_pairs=new_pairs,
                                      extra_dhcp_opts=new_opts))
    elif new_pairs or new_opts:
        row.allowed_address_pairs, row.extra_dhcp_opts = new_pairs, new_opts
    else:
        session.delete(row)
    return True


def merged_options(current: list[dict[str, Any]],
                   given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``current`` options updated by ``given`` (see the module docstring)."""
    result = {(opt['opt_name'], opt['ip_version']): opt for opt in current}
    for opt in given:
        key = (opt['opt_name'], opt['ip_version'])
        if opt['opt_value'] is None:
            result.pop(key, None)
        else:
            result[key] = opt
    return list(result.values())


def fill(session: orm.Session, ports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``ports`` (dicts) with their ``allowed_address_pairs`` and ``extra_dhcp_opts``."""
    ids = [port['id'] for port in ports]
    rows = {row.port_id: row for row in session.scalars(
        sa.select(models.PortExtras).where(models.PortExtras.port_id.in_(ids)))} if ids else {}
    for port in ports:
        row = rows.get(port['id'])
        port['allowed_address_pairs'] = [dict(pair) for pair in
                                         (row.allowed_address_pairs if row else [])]
        port['extra_dhcp_opts'] = [dict(opt) for opt in (row.extra_dhcp_opts if row else [])]
    return ports


def forget(session: orm.Session, port_ids: Iterable[str] | sa.Select) -> None:
    """Drop the extras of deleted ports (ids or a select of ids)."""
    ids = port_ids if isinstance(port_ids, sa.Select) else list(port_ids)
    session.execute(sa.delete(models.PortExtras).where(models.PortExtras.port_id.in_(ids)))
