"""GET /v2.0/ports pages in the database exactly as the old in-memory paging did.

The reference below is the former semantics: every visible port in (created_at,
id) order, neutron's filters matched on the REST bodies, then the page after
``marker`` of ``limit`` items with a ``next`` link keeping the other parameters.
"""

from __future__ import annotations

import datetime
import urllib.parse
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from nova_lite.db.models import network as models
from tests.unit.network_rest.conftest import PUBLIC_URL, NetworkApi

Port = dict[str, Any]


def _reference(ports: list[Port], wanted: Callable[[Port], bool], query: list[tuple[str, str]],
               ) -> dict[str, Any]:
    """The old network listing: filter, then marker, limit and the next link."""
    items = [port for port in ports if wanted(port)]
    params = dict(query)
    if 'limit' not in params:
        return {'ports': items}
    limit = int(params['limit'])
    start = 0
    if 'marker' in params:
        start = [port['id'] for port in items].index(params['marker']) + 1
    if limit == 0:
        return {'ports': items[start:], 'ports_links': []}
    page = items[start:start + limit]
    links = []
    if start + limit < len(items) and page:
        kept = [(k, v) for k, v in query if k not in ('limit', 'marker')]
        kept += [('limit', str(limit)), ('marker', page[-1]['id'])]
        links.append({'rel': 'next', 'href': f'{PUBLIC_URL}/v2.0/ports?'
                                             f'{urllib.parse.urlencode(kept)}'})
    return {'ports': page, 'ports_links': links}


def _fill(api: NetworkApi) -> tuple[list[str], list[str]]:
    """Two networks with a subnet each, 13 ports; some share a creation time."""
    cloud, ctx = api.env.cloud, api.env.ctx
    nets, subnets = [], []
    for index in range(2):
        network = cloud.networks.create_network(ctx, name=f'paged-{index}')
        subnets.append(cloud.networks.create_subnet(
            ctx, network_id=network['id'], cidr=f'10.{40 + index}.0.0/24')['id'])
        nets.append(network['id'])
    for index in range(13):
        cloud.networks.create_port(
            ctx, network_id=nets[index % 2], name=f'p{index % 4}',
            device_owner='compute:nova' if index % 3 else '', admin_state_up=index % 5 != 0)
    # Ties on created_at: the id decides the order, in both implementations.
    tied = datetime.datetime(2026, 1, 1, 12, 0, 0)
    with cloud.db.session() as session:
        ids = session.scalars(sa.select(models.Port.id).order_by(models.Port.name)).all()
        session.execute(sa.update(models.Port).where(models.Port.id.in_(ids[:5]))
                        .values(created_at=tied))
    return nets, subnets


def _follow(api: NetworkApi, query: list[tuple[str, str]],
            wanted: Callable[[Port], bool], every: list[Port]) -> int:
    """Walk the pages of ``query``, each compared with the reference; the page count."""
    pages = 0
    while True:
        response = api.get(f'/v2.0/ports?{urllib.parse.urlencode(query)}')
        assert response.status_int == 200, response.text
        assert response.json == _reference(every, wanted, query), query
        pages += 1
        links = response.json.get('ports_links') or []
        if not links:
            return pages
        query = urllib.parse.parse_qsl(urllib.parse.urlsplit(links[0]['href']).query)


def test_database_pages_match_the_in_memory_semantics(api: NetworkApi) -> None:
    nets, subnets = _fill(api)
    every = api.get('/v2.0/ports').json['ports']
    with api.env.cloud.db.reader() as session:
        order = session.execute(sa.select(models.Port.id, models.Port.created_at)).all()
    assert [port['id'] for port in every] == [
        port_id for port_id, _created in sorted(order, key=lambda row: (row[1], row[0]))]
    in_subnet = {port['id'] for port in every
                 if any(ip['subnet_id'] == subnets[1] for ip in port['fixed_ips'])}
    cases: list[tuple[list[tuple[str, str]], Callable[[Port], bool]]] = [
        ([('limit', '3')], lambda port: True),
        ([('network_id', nets[0]), ('limit', '2')], lambda port: port['network_id'] == nets[0]),
        ([('device_owner', 'compute:nova'), ('admin_state_up', 'false'), ('limit', '1')],
         lambda port: port['device_owner'] == 'compute:nova' and not port['admin_state_up']),
        ([('name', 'p1'), ('name', 'p3'), ('limit', '2')],
         lambda port: port['name'] in ('p1', 'p3')),
        ([('fixed_ips', f'subnet_id={subnets[1]}'), ('limit', '4')],
         lambda port: port['id'] in in_subnet),
        ([('limit', '0')], lambda port: True),
        ([('name', 'p2')], lambda port: port['name'] == 'p2'),
    ]
    for query, wanted in cases:
        assert _follow(api, query, wanted, every) >= 1
    assert _follow(api, [('limit', '3')], lambda port: True, every) == 5  # 13 ports
    middle = every[6]['id']
    assert _follow(api, [('limit', '4'), ('marker', middle)], lambda port: True, every) == 2


def test_unknown_marker_is_a_400_and_a_marker_needs_a_limit(api: NetworkApi) -> None:
    _fill(api)
    assert api.get('/v2.0/ports?limit=2&marker=nope').status_int == 400
    other_network = [p['id'] for p in api.get('/v2.0/ports').json['ports']
                     if p['name'] == 'p1']
    filtered_out = api.get(f'/v2.0/ports?name=p2&limit=2&marker={other_network[0]}')
    assert filtered_out.status_int == 400  # the marker must be in the filtered list
    assert len(api.get('/v2.0/ports?marker=nope').json['ports']) == 13  # ignored
