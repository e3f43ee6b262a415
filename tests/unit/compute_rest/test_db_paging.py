"""GET /servers pages in the database exactly as the old in-memory paging did.

The reference is the former semantics: the instance store's full list (newest
first, then by id), the name regular expression and the status matched in
Python, then the page after ``marker`` of ``limit`` servers and a ``next``
link carrying only ``limit`` and ``marker``.
"""

from __future__ import annotations

import datetime
import re
import urllib.parse
from typing import Any

import sqlalchemy as sa

from nova_lite.compute import server_status
from nova_lite.db.models import compute as models
from tests.unit.compute_rest.conftest import PUBLIC_URL, ComputeEnv

# (name, vm_state, task_state): every way a status is derived.
_STATES = [('web-a', 'active', None), ('web-b', 'stopped', None),
           ('web-c', 'active', 'rebooting'), ('db-a', 'stopped', 'rebooting_hard'),
           ('db-b', 'paused', None), ('web-d', 'building', 'scheduling'),
           ('db-c', 'active', 'powering-off'), ('web-e', 'active', None),
           ('web-f', 'active', None), ('db-d', 'stopped', None), ('web-g', 'active', None)]


def _fill(compute: ComputeEnv) -> list[str]:
    env = compute.env
    store = compute.cloud.instances
    ids = []
    for name, vm_state, task_state in _STATES:
        instance = store.create(name=name, project_id=env.ctx.project_id,
                                user_id=env.ctx.user_id, flavor_id=env.flavor['id'],
                                image_id=env.image['id'], availability_zone=None,
                                metadata={}, build_request={})
        store.update(instance['id'], vm_state=vm_state, task_state=task_state)
        ids.append(instance['id'])
    store.set_error(ids[-1], message='boom')
    tied = datetime.datetime(2026, 2, 2, 2, 2, 2)
    with compute.cloud.db.session() as session:  # ties: the id decides the order
        session.execute(sa.update(models.Instance).where(models.Instance.id.in_(ids[2:7]))
                        .values(created_at=tied))
    return ids


def _reference(compute: ComputeEnv, params: dict[str, str]) -> dict[str, Any]:
    servers = compute.cloud.instances.list(project_id=compute.env.ctx.project_id)
    if 'name' in params:
        servers = [s for s in servers if re.search(params['name'], s['name'])]
    if 'status' in params:
        servers = [s for s in servers
                   if server_status.status_of_instance(s) == params['status'].upper()]
    if 'marker' in params:
        ids = [s['id'] for s in servers]
        servers = servers[ids.index(params['marker']) + 1:]
    body: dict[str, Any] = {'ids': [s['id'] for s in servers]}
    if 'limit' in params:
        limit = int(params['limit'])
        page = servers[:limit]
        body['ids'] = [s['id'] for s in page]
        if len(servers) > limit and page:
            # nova's next link keeps the request's filters.
            query = urllib.parse.urlencode(
                [(k, v) for k, v in params.items() if k not in ('limit', 'marker')]
                + [('limit', str(limit)), ('marker', page[-1]['id'])])
            body['servers_links'] = [{'rel': 'next',
                                      'href': f'{PUBLIC_URL}/v2.1/servers/detail?{query}'}]
    return body


def _walk(compute: ComputeEnv, params: dict[str, str]) -> int:
    pages = 0
    while True:
        response = compute.admin.get(f'/servers/detail?{urllib.parse.urlencode(params)}')
        assert response.status_int == 200, response.text
        got = {'ids': [s['id'] for s in response.json['servers']],
               **({'servers_links': response.json['servers_links']}
                  if 'servers_links' in response.json else {})}
        assert got == _reference(compute, params), params
        pages += 1
        if 'servers_links' not in got:
            return pages
        href = got['servers_links'][0]['href']
        params = {**params, **dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(href).query))}


def test_database_pages_match_the_in_memory_semantics(compute: ComputeEnv) -> None:
    ids = _fill(compute)
    listed = compute.admin.get('/servers/detail').json['servers']
    assert [s['id'] for s in listed] == _reference(compute, {})['ids']
    assert len(listed) == len(ids)
    for params in ({'limit': '4'}, {'name': '^web-', 'limit': '2'},
                   {'status': 'active', 'limit': '2'}, {'status': 'REBOOT'},
                   {'status': 'HARD_REBOOT', 'limit': '1'}, {'status': 'PAUSED'},
                   {'status': 'ERROR'}, {'status': 'SHUTOFF', 'name': 'db'},
                   {'status': 'BUILD', 'limit': '0'}, {'limit': '3', 'marker': ids[4]}):
        assert _walk(compute, params) >= 1
    assert _walk(compute, {'limit': '4'}) == 3  # 11 servers


def test_a_marker_outside_the_filtered_list_is_a_400(compute: ComputeEnv) -> None:
    _fill(compute)
    ids = [s['id'] for s in compute.admin.get('/servers').json['servers']]
    web = {s['id'] for s in compute.admin.get('/servers?name=^web-').json['servers']}
    outside = next(server_id for server_id in ids if server_id not in web)
    response = compute.admin.get(f'/servers?name=^web-&limit=2&marker={outside}')
    assert response.status_int == 400 and 'marker' in response.text
