"""The toolkit's query parsing and in-memory paging, as each OpenStack API reads them."""

from __future__ import annotations

import pytest

from nova_lite.api import paging, query
from nova_lite.common import exception


@pytest.mark.parametrize('syntax, text, expected', [
    (query.NOVA_BOOLEAN, '', True), (query.NOVA_BOOLEAN, 'T', True),
    (query.NOVA_BOOLEAN, 'off', False), (query.NOVA_BOOLEAN, 'maybe', None),
    (query.NEUTRON_BOOLEAN, 'True', True), (query.NEUTRON_BOOLEAN, '0', False),
    (query.NEUTRON_BOOLEAN, 'yes', None), (query.NEUTRON_BOOLEAN, '', None),
    (query.GLANCE_BOOLEAN, 'false', False), (query.GLANCE_BOOLEAN, '1', None),
    (query.CINDER_BOOLEAN, 'yes', True), (query.CINDER_BOOLEAN, 'maybe', False),
    (query.CINDER_BOOLEAN, '', False),
    (query.KEYSTONE_FLAG, '', True), (query.KEYSTONE_FLAG, 'anything', True),
    (query.KEYSTONE_FLAG, 'False', False), (query.KEYSTONE_FLAG, '0', False),
])
def test_each_api_spells_booleans_its_way(syntax: query.BooleanSyntax, text: str,
                                          expected: bool | None) -> None:
    if expected is None:
        with pytest.raises(exception.InvalidInput, match="'flag'"):
            query.parse_bool(text, 'flag', syntax)
    else:
        assert query.parse_bool(text, 'flag', syntax) is expected


def test_integers_name_their_field() -> None:
    assert query.parse_int(' 7 ', 'limit', minimum=0) == 7
    for text in ('-1', 'ten', '1.5'):
        with pytest.raises(exception.InvalidInput, match="'limit'"):
            query.parse_int(text, 'limit', minimum=0)


def test_paging_rules_per_api() -> None:
    assert paging.page_request({}, paging.NOVA_PAGING) == paging.PageRequest()
    assert paging.page_request({'marker': 'm'}, paging.NOVA_PAGING).marker == 'm'
    assert paging.page_request({'marker': 'm'}, paging.NEUTRON_PAGING).marker is None
    neutron_zero = paging.page_request({'limit': '0'}, paging.NEUTRON_PAGING)
    assert (neutron_zero.limit, neutron_zero.paged) == (None, True)
    assert paging.page_request({'limit': '0'}, paging.NOVA_PAGING).limit == 0
    assert paging.page_request({'limit': '5000'}, paging.CINDER_PAGING).limit == 1000


def test_in_memory_pages_and_links() -> None:
    items = [{'id': str(i)} for i in range(5)]
    first = paging.paginate(items, paging.PageRequest(limit=2, paged=True))
    assert [i['id'] for i in first.items] == ['0', '1'] and first.next_marker == '1'
    assert paging.links(first, 'http://h/things', [('name', 'x'), ('limit', '2')],
                        limit=2) == [{'rel': 'next',
                                      'href': 'http://h/things?name=x&limit=2&marker=1'}]
    last = paging.paginate(items, paging.PageRequest(limit=2, marker='3', paged=True))
    assert [i['id'] for i in last.items] == ['4'] and paging.links(last, 'u') == []
    assert paging.paginate(items, paging.PageRequest(limit=0, paged=True)).items == []
    with pytest.raises(exception.InvalidInput, match="'marker'"):
        paging.paginate(items, paging.PageRequest(marker='nope'))
