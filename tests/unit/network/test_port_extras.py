"""The checks of allowed address pairs and extra DHCP options (no database)."""

from __future__ import annotations

import pytest

from nova_lite.common import exception
from nova_lite.network import port_extras


def test_pairs_are_normalised() -> None:
    assert port_extras.check_pairs([{'ip_address': '10.0.0.7/8'},
                                    {'ip_address': ' 2001:DB8::1 ',
                                     'mac_address': 'FA-16-3E-00-00-02'}]) == [
        {'ip_address': '10.0.0.0/8'},
        {'ip_address': '2001:db8::1', 'mac_address': 'fa:16:3e:00:00:02'}]
    assert port_extras.check_pairs(None) is None
    assert port_extras.check_pairs([]) == []


@pytest.mark.parametrize('pairs, field', [
    ([{'mac_address': 'fa:16:3e:00:00:02'}], 'allowed_address_pairs.0.ip_address'),
    ([{'ip_address': 5}], 'allowed_address_pairs.0.ip_address'),
    ([{'ip_address': '10.0.0.1', 'mac_address': 'ff:ff:ff:ff:ff:ff'}],
     'allowed_address_pairs.0.mac_address'),
    ([{'ip_address': '10.0.0.1', 'port': 1}], 'allowed_address_pairs.0.port'),
    ('10.0.0.1', 'allowed_address_pairs'),
])
def test_bad_pairs_name_the_field(pairs: object, field: str) -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        port_extras.check_pairs(pairs)
    assert f"'{field}'" in caught.value.message


def test_options_default_to_ipv4_and_merge_by_name_and_version() -> None:
    current = port_extras.check_opts([{'opt_name': 'a', 'opt_value': '1'},
                                      {'opt_name': 'a', 'opt_value': '6', 'ip_version': 6},
                                      {'opt_name': 'b', 'opt_value': '2'}])
    assert current is not None and [opt['ip_version'] for opt in current] == [4, 6, 4]
    given = port_extras.check_opts([{'opt_name': 'a', 'opt_value': '9'},
                                    {'opt_name': 'b', 'opt_value': None},
                                    {'opt_name': 'c', 'opt_value': '3', 'ip_version': '6'}])
    assert given is not None
    merged = port_extras.merged_options(current, given)
    assert {(opt['opt_name'], opt['opt_value'], opt['ip_version']) for opt in merged} == {
        ('a', '9', 4), ('a', '6', 6), ('c', '3', 6)}


def test_a_bad_option_version_is_refused() -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        port_extras.check_opts([{'opt_name': 'a', 'opt_value': '1', 'ip_version': 5}])
    assert "'extra_dhcp_opts.0.ip_version'" in caught.value.message
