"""What a host needs to filter a port's traffic: its security group rules, each
rule naming a remote group resolved to the addresses of that group's ports.

The result goes into the port's ``network_info`` entry (plain JSON, persisted
with the flow); the host renders it as the port's libvirt nwfilter.
"""

from __future__ import annotations

from typing import Any

from nova_lite.clients import payloads, protocols
from nova_lite.common import context as nl_context

RULE_KEYS = ('id', 'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max',
             'remote_ip_prefix', 'remote_group_id')


def _members(networks: protocols.NetworkClient, ctx: nl_context.RequestContext,
             group_id: str, ethertype: str) -> list[str]:
    version_six = ethertype == 'IPv6'
    addresses = {ip['ip_address'] for port in networks.list_ports(ctx, security_groups=group_id)
                 for ip in port.get('fixed_ips', [])}
    return sorted(address for address in addresses if (':' in address) == version_six)


def port_security_info(networks: protocols.NetworkClient, ctx: nl_context.RequestContext,
                       port: payloads.Port | dict[str, Any]) -> dict[str, Any]:
    """``port_security_enabled``, ``stateful`` and ``security_group_rules`` of a port."""
    port_dict: dict[str, Any] = dict(port)
    if port_dict.get('port_security_enabled') is False:
        return {'port_security_enabled': False, 'security_group_rules': []}
    rules: list[dict[str, Any]] = []
    stateful = True
    for group_id in port_dict.get('security_groups') or []:
        group = networks.get_security_group(ctx, group_id)
        stateful = stateful and bool(group.get('stateful', True))
        for rule in group.get('security_group_rules', []):
            entry = {key: rule.get(key) for key in RULE_KEYS}
            if entry['remote_group_id']:
                entry['remote_ips'] = _members(networks, ctx, entry['remote_group_id'],
                                               str(entry['ethertype']))
            rules.append(entry)
    return {'port_security_enabled': True, 'stateful': stateful,
            'security_group_rules': rules}
