"""How an update changes a volume's or a snapshot's metadata (rows.changed_metadata)."""

from __future__ import annotations

import pytest

from nova_lite.common import exception
from nova_lite.volume import rows

CURRENT = {'a': '1', 'b': '2'}


def test_replace_merge_and_leave_alone() -> None:
    assert rows.changed_metadata(CURRENT, {'c': '3'}) == {'c': '3'}
    assert rows.changed_metadata(CURRENT, {'b': 'x', 'c': '3'}, merge=True) == {
        'a': '1', 'b': 'x', 'c': '3'}
    assert rows.changed_metadata(CURRENT, None) is None
    assert rows.changed_metadata(None, {'c': '3'}, merge=True) == {'c': '3'}
    assert CURRENT == {'a': '1', 'b': '2'}  # never changed in place


def test_delete_a_key() -> None:
    assert rows.changed_metadata(CURRENT, None, delete_key='a') == {'b': '2'}
    with pytest.raises(exception.NotFound):
        rows.changed_metadata(CURRENT, None, delete_key='zz')
