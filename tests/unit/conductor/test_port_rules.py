"""The rules a host filters a port with, read through the network client."""

from __future__ import annotations

import random
from typing import Any

from nova_lite.clients import local
from nova_lite.common import context as nl_context
from nova_lite.conductor import port_rules
from nova_lite.network import manager as network_manager


class _Unchecked(local.ServiceNetworkClient):
    """The network calls with the caller's own context (no token to check here)."""

    @staticmethod
    def _authorise(ctx: nl_context.RequestContext) -> nl_context.RequestContext:
        return ctx


def test_rules_of_a_port_with_remote_groups_resolved(conf: Any, db: Any) -> None:
    networks = network_manager.NetworkManager(conf, db, rng=random.Random(7))
    client = _Unchecked(networks)
    ctx = nl_context.RequestContext(user_id='u', project_id='p', roles=['member'])
    net = networks.create_network(ctx, name='n')
    networks.create_subnet(ctx, net['id'], '10.0.0.0/24')
    web = networks.create_security_group(ctx, name='web')
    networks.create_security_group_rule(ctx, web['id'], direction='ingress', protocol='tcp',
                                        port_range_min=80, port_range_max=80)
    first = networks.create_port(ctx, net['id'])  # the default group
    second = networks.create_port(ctx, net['id'], security_groups=[web['id']])
    info = port_rules.port_security_info(client, ctx, first)
    assert info['port_security_enabled'] is True and info['stateful'] is True
    members = [r for r in info['security_group_rules'] if r['remote_group_id']]
    assert [r['ethertype'] for r in members] == ['IPv4', 'IPv6']
    assert members[0]['remote_ips'] == [first['fixed_ips'][0]['ip_address']]
    assert members[1]['remote_ips'] == []
    web_info = port_rules.port_security_info(client, ctx, second)
    assert {(r['direction'], r['protocol'], r['port_range_min'])
            for r in web_info['security_group_rules']} == {
        ('egress', None, None), ('ingress', 'tcp', 80)}
    closed = networks.create_port(ctx, net['id'], port_security_enabled=False)
    assert port_rules.port_security_info(client, ctx, closed) == {
        'port_security_enabled': False, 'security_group_rules': []}
