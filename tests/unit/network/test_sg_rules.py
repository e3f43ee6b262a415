"""Security group rule validation, as neutron answers it (type names and messages)."""

from __future__ import annotations

from typing import Any

import pytest

from nova_lite.network import sg_rules


def _rule(**fields: Any) -> dict[str, Any]:
    return sg_rules.normalize({'direction': 'ingress', **fields})


def test_defaults_and_normal_forms() -> None:
    assert _rule() == {'direction': 'ingress', 'ethertype': 'IPv4', 'protocol': None,
                       'port_range_min': None, 'port_range_max': None,
                       'remote_group_id': None, 'remote_ip_prefix': None}
    assert _rule(protocol='TCP', port_range_min='22', port_range_max=22)['protocol'] == 'tcp'
    assert _rule(protocol=6)['protocol'] == '6'
    assert _rule(protocol='17')['protocol'] == '17'
    assert _rule(protocol='any')['protocol'] is None
    assert _rule(ethertype='ipv6', protocol='icmpv6')['ethertype'] == 'IPv6'
    assert _rule(remote_ip_prefix='10.0.0.5')['remote_ip_prefix'] == '10.0.0.5/32'
    assert _rule(remote_ip_prefix='10.0.0.5/24')['remote_ip_prefix'] == '10.0.0.5/24'
    icmp = _rule(protocol='icmp', port_range_min=8, port_range_max=0)
    assert (icmp['port_range_min'], icmp['port_range_max']) == (8, 0)
    assert _rule(protocol='icmp', port_range_min=8)['port_range_max'] is None


@pytest.mark.parametrize('fields, error, text', [
    ({'direction': 'sideways'}, sg_rules.SecurityGroupRuleInvalidDirection, 'direction'),
    ({'ethertype': 'bad'}, sg_rules.SecurityGroupRuleInvalidEtherType, 'bad'),
    ({'protocol': 'bad_protocol_name'}, sg_rules.SecurityGroupRuleInvalidProtocol, 'bad_'),
    ({'protocol': 256}, sg_rules.SecurityGroupRuleInvalidProtocol, '256'),
    ({'protocol': 'tcp', 'port_range_min': -16, 'port_range_max': 80},
     sg_rules.SecurityGroupInvalidPortValue, 'Invalid value for port -16'),
    ({'protocol': 'tcp', 'port_range_min': 80, 'port_range_max': 79},
     sg_rules.SecurityGroupInvalidPortRange, 'port_range_min must be <= port_range_max'),
    ({'protocol': 'tcp', 'port_range_min': 80, 'port_range_max': 65536},
     sg_rules.SecurityGroupInvalidPortValue, 'Invalid value for port 65536'),
    ({'protocol': 'tcp', 'port_range_max': 6},
     sg_rules.SecurityGroupInvalidPortRange, 'port_range_min must be <= port_range_max'),
    ({'protocol': 'tcp', 'port_range_min': 0, 'port_range_max': 5},
     sg_rules.SecurityGroupInvalidPortValue, 'port 0'),
    ({'protocol': 'icmp', 'port_range_min': 1, 'port_range_max': 256},
     sg_rules.SecurityGroupInvalidIcmpValue, 'Invalid value for ICMP code'),
    ({'protocol': 'icmp', 'port_range_min': 300, 'port_range_max': 1},
     sg_rules.SecurityGroupInvalidIcmpValue, 'Invalid value for ICMP type'),
    ({'protocol': 'icmp', 'port_range_min': -1, 'port_range_max': 25},
     sg_rules.SecurityGroupInvalidPortValue, 'Invalid value'),
    ({'protocol': 'icmp', 'port_range_max': 6},
     sg_rules.SecurityGroupMissingIcmpType, 'ICMP type (port-range-min) is missing'),
    ({'port_range_min': 22, 'port_range_max': 22},
     sg_rules.SecurityGroupProtocolRequiredWithPorts, 'protocol'),
    ({'protocol': 'gre', 'port_range_min': 22, 'port_range_max': 22},
     sg_rules.SecurityGroupInvalidProtocolForPort, 'gre'),
    ({'protocol': 'icmpv6'}, sg_rules.SecurityGroupEthertypeConflictWithProtocol, 'IPv4'),
    ({'remote_ip_prefix': '2001:db8::/64'}, sg_rules.SecurityGroupRuleParameterConflict,
     'Conflicting value ethertype IPv4'),
    ({'ethertype': 'IPv6', 'remote_ip_prefix': '10.0.0.0/24'},
     sg_rules.SecurityGroupRuleParameterConflict, 'Conflicting value ethertype IPv6'),
    ({'remote_ip_prefix': '192.168.1./24'}, sg_rules.InvalidRemoteIpPrefix, '192.168.1./24'),
    ({'remote_ip_prefix': '192.168.1.1/33'}, sg_rules.InvalidRemoteIpPrefix, '/33'),
    ({'remote_ip_prefix': '256'}, sg_rules.InvalidRemoteIpPrefix, '256'),
    ({'remote_ip_prefix': '10.0.0.0/8', 'remote_group_id': 'g'},
     sg_rules.SecurityGroupRemoteGroupAndRemoteIpPrefix, 'Only remote_ip_prefix'),
])
def test_bad_rules_are_neutron_s_400s(fields: dict[str, Any], error: type[Exception],
                                      text: str) -> None:
    with pytest.raises(error) as raised:
        _rule(**fields)
    assert text in str(raised.value)
    assert raised.value.code == 400  # type: ignore[attr-defined]


def test_same_rule_treats_names_numbers_and_any_prefix_alike() -> None:
    tcp = _rule(protocol='tcp', port_range_min=22, port_range_max=22)
    assert sg_rules.same_rule(tcp, _rule(protocol='6', port_range_min=22, port_range_max=22))
    assert not sg_rules.same_rule(tcp, _rule(protocol='udp', port_range_min=22,
                                             port_range_max=22))
    assert sg_rules.same_rule(_rule(), _rule(remote_ip_prefix='0.0.0.0/0'))
    assert sg_rules.same_rule(_rule(remote_ip_prefix='10.0.0.5/24'),
                              _rule(remote_ip_prefix='10.0.0.0/24'))
    assert not sg_rules.same_rule(_rule(), _rule(direction='egress'))
