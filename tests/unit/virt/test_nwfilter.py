"""Security group rules rendered as a libvirt nwfilter, and the domain naming it."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.virt import fake
from nova_lite.virt.libvirt import config, nwfilter

GROUP = '5b0a2f7e-0000-4000-8000-00000000000a'
RULES: list[dict[str, Any]] = [
    {'direction': 'egress', 'ethertype': 'IPv4', 'protocol': None},
    {'direction': 'egress', 'ethertype': 'IPv6', 'protocol': None},
    {'direction': 'ingress', 'ethertype': 'IPv4', 'protocol': 'tcp', 'port_range_min': 22,
     'port_range_max': 22, 'remote_ip_prefix': '192.168.0.0/16'},
    {'direction': 'ingress', 'ethertype': 'IPv4', 'protocol': 'icmp', 'port_range_min': 8,
     'port_range_max': 0, 'remote_ip_prefix': '0.0.0.0/0'},
    {'direction': 'ingress', 'ethertype': 'IPv6', 'protocol': '58',
     'remote_ip_prefix': '2001:db8::/64'},
    {'direction': 'ingress', 'ethertype': 'IPv4', 'protocol': 'gre'},
    {'direction': 'ingress', 'ethertype': 'IPv4', 'protocol': None, 'remote_group_id': GROUP,
     'remote_ips': ['10.0.0.5', '10.0.0.6']},
]


def _rules(xml: str) -> list[tuple[str, str, str, str, dict[str, str]]]:
    root = ET.fromstring(xml)
    return [(rule.get('action', ''), rule.get('direction', ''), rule.get('priority', ''),
             rule[0].tag, dict(rule[0].attrib)) for rule in root.findall('rule')]


def test_rules_become_accepts_then_a_drop() -> None:
    port_filter = nwfilter.PortFilter('port-1', tuple(RULES))
    root = ET.fromstring(port_filter.to_xml())
    assert (root.tag, root.get('name'), root.get('chain')) == (
        'filter', 'nova-lite-port-port-1', 'root')
    assert _rules(port_filter.to_xml()) == [
        ('accept', 'inout', '100', 'all', {'state': 'ESTABLISHED,RELATED'}),
        ('accept', 'out', '500', 'all', {}),
        ('accept', 'out', '500', 'all-ipv6', {}),
        ('accept', 'in', '500', 'tcp', {'dstportstart': '22', 'dstportend': '22',
                                        'srcipaddr': '192.168.0.0', 'srcipmask': '16'}),
        ('accept', 'in', '500', 'icmp', {'type': '8', 'code': '0'}),
        ('accept', 'in', '500', 'icmpv6', {'srcipaddr': '2001:db8::', 'srcipmask': '64'}),
        ('accept', 'in', '500', 'ip', {'protocol': '47'}),
        ('accept', 'in', '500', 'all', {'srcipaddr': '10.0.0.5', 'srcipmask': '32'}),
        ('accept', 'in', '500', 'all', {'srcipaddr': '10.0.0.6', 'srcipmask': '32'}),
        ('drop', 'inout', '1000', 'all', {}),
        ('drop', 'inout', '1000', 'all-ipv6', {}),
    ]
    stateless = nwfilter.PortFilter('port-1', (), stateful=False)
    assert [rule[0] for rule in _rules(stateless.to_xml())] == ['drop', 'drop']


def test_a_remote_group_without_ports_allows_nothing() -> None:
    rule = {'direction': 'ingress', 'ethertype': 'IPv4', 'remote_group_id': GROUP,
            'remote_ips': []}
    assert [r[0] for r in _rules(nwfilter.PortFilter('p', (rule,)).to_xml())] == [
        'accept', 'drop', 'drop']  # the state rule and the drops only


@pytest.mark.skipif(shutil.which('virt-xml-validate') is None,
                    reason='virt-xml-validate (libvirt-clients) is not installed')
def test_the_document_is_a_valid_nwfilter(tmp_path: Any) -> None:
    path = tmp_path / 'filter.xml'
    path.write_text(nwfilter.PortFilter('port-1', tuple(RULES)).to_xml())
    result = subprocess.run(['virt-xml-validate', str(path), 'nwfilter'],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize('rule, field', [
    ({'direction': 'sideways'}, 'direction'),
    ({'direction': 'ingress', 'protocol': 'nonsense'}, 'protocol'),
    ({'direction': 'ingress', 'remote_ip_prefix': 'not-a-net'}, 'remote_ip_prefix'),
])
def test_bad_rules_name_their_field(rule: dict[str, Any], field: str) -> None:
    with pytest.raises(exception.InvalidInput, match=field):
        nwfilter.PortFilter('p', (rule,)).to_xml()


def test_interfaces_name_their_port_s_filter(make_request: Any) -> None:
    request = make_request(ports=3)
    first, second, third = request['network_info']
    first['security_group_rules'] = RULES
    second['security_group_rules'] = []
    second['port_security_enabled'] = False  # no filter at all
    # the third predates security groups: no rules given, no filter
    interfaces = config.interfaces_for(request['network_info'])
    assert [i.filter_name for i in interfaces] == [
        f"nova-lite-port-{first['port_id']}", None, None]
    element = interfaces[0].to_element()
    assert element.find('filterref').get('filter') == interfaces[0].filter_name
    assert interfaces[1].to_element().find('filterref') is None
    with pytest.raises(exception.InvalidInput, match='network_info\\[0\\].security_group'):
        config.interfaces_for([{**first, 'security_group_rules': 'all'}])


def test_the_host_writes_the_filter_beside_libvirt_xml(driver_conf: Any,
                                                      make_request: Any) -> None:
    drivers = [fake.FakeDriver(driver_conf)]
    try:
        from nova_lite.virt.libvirt import driver as libvirt_driver
        drivers.append(libvirt_driver.LibvirtDriver(driver_conf))
    except ImportError:  # pragma: no cover - libvirt-python is in the test venv
        pass
    for driver in drivers:
        driver.init_host()
        request = make_request()
        vif = request['network_info'][0]
        vif['security_group_rules'] = RULES
        result = driver.spawn(request['instance'], '/nonexistent/disk',
                              request['network_info'], request['block_devices'],
                              request['flavor'], request['image'], disk_format='qcow2')
        root = ET.parse(result['xml_path']).getroot()
        name = f"nova-lite-port-{vif['port_id']}"
        assert root.find('devices/interface/filterref').get('filter') == name
        written = os.path.join(os.path.dirname(result['xml_path']), f'{name}.xml')
        assert ET.parse(written).getroot().get('name') == name
        driver.destroy(request['instance']['id'])
        assert request['instance']['id'] not in driver.list_instance_ids()
