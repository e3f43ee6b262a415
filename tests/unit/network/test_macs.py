"""MAC generation under the configured prefix, and checks of given MACs."""

from __future__ import annotations

import random
import re

import pytest

from nova_lite.common import exception
from nova_lite.network import macs


def test_generated_macs_keep_prefix_and_are_lowercase() -> None:
    rng = random.Random(7)
    generated = {macs.generate_mac('FA:16:3E:00:00:00', rng) for _ in range(200)}
    assert len(generated) > 190
    for mac in generated:
        assert re.fullmatch(r'fa:16:3e(:[0-9a-f]{2}){3}', mac), mac


def test_default_base_mac_from_conf(conf) -> None:
    mac = macs.generate_mac(conf.network.base_mac, random.Random(1))
    assert mac.startswith('fa:16:3e:')


@pytest.mark.parametrize('base', ['fa:16:3e', 'zz:16:3e:00:00:00', '01:00:5e:00:00:00'])
def test_bad_base_mac(base: str) -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        macs.generate_mac(base, random.Random(1))
    assert "'base_mac'" in caught.value.message


def test_normalize_mac() -> None:
    assert macs.normalize_mac('mac_address', 'FA-16-3E-0A-0B-0C') == 'fa:16:3e:0a:0b:0c'


@pytest.mark.parametrize('value', ['00:00:00:00:00:00', 'ff:ff:ff:ff:ff:ff',
                                   '01:00:5e:01:02:03', 'fa:16:3e:0a:0b', 'nonsense', 42])
def test_bad_macs(value: object) -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        macs.normalize_mac('mac_address', value)
    assert "'mac_address'" in caught.value.message
