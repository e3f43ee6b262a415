"""What the conductor's published module checks for the compute API."""

from __future__ import annotations

import pytest

from nova_lite.common import exception
from nova_lite.conductor import rpcapi


@pytest.mark.parametrize('metadata,key', [
    ({'nova_lite:fail_at': 'no-such-task'}, 'nova_lite:fail_at'),
    ({'nova_lite:delay_at': 'spawn:-3'}, 'nova_lite:delay_at'),
    ({'nova_lite:delay_after': 'spawn:99'}, 'nova_lite:delay_after'),
])
def test_malformed_fault_injection_metadata_is_invalid_input(metadata: dict[str, str],
                                                             key: str) -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        rpcapi.check_fault_injection_metadata(metadata, max_delay=5.0)
    assert caught.value.code == 400 and key in caught.value.message


def test_well_formed_or_unrelated_metadata_passes() -> None:
    rpcapi.check_fault_injection_metadata({'nova_lite:fail_at': 'spawn',
                                           'nova_lite:delay_at': 'schedule:0.5',
                                           'owner': 'me'}, max_delay=5.0)
