"""Metadefs namespaces over the image API: create, list, show, replace, delete."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova_lite.db import models
from tests.unit.image_rest.conftest import ImageApi

NAMESPACES = '/v2/metadefs/namespaces'
STANDARD_TYPES = {'OS::Glance::Image', 'OS::Cinder::Volume', 'OS::Nova::Flavor',
                  'OS::Nova::Aggregate', 'OS::Nova::Server'}


def create(api: ImageApi, name: str, **fields: Any) -> dict[str, Any]:
    resp = api.call('POST', NAMESPACES, json_body={'namespace': name, **fields})
    assert resp.status_int == 201, resp.text
    return resp.json


def test_standard_resource_types_are_listed(api: ImageApi) -> None:
    resp = api.call('GET', '/v2/metadefs/resource_types')
    assert resp.status_int == 200
    names = [rt['name'] for rt in resp.json['resource_types']]
    assert STANDARD_TYPES <= set(names)
    assert names[0] == 'OS::Glance::Image'
    assert all(rt['created_at'].endswith('Z') for rt in resp.json['resource_types'])


def test_namespace_life_cycle(api: ImageApi) -> None:
    created = create(api, 'ns-one', visibility='public', description='Tempest',
                     display_name='ns-one', protected=True,
                     resource_type_associations=[{'name': 'OS::Glance::Image'}])
    assert created['namespace'] == 'ns-one' and created['protected'] is True
    assert created['self'] == f'{NAMESPACES}/ns-one'
    assert created['owner'] == api.env.ctx.project_id
    assert [a['name'] for a in created['resource_type_associations']] == ['OS::Glance::Image']

    listed = api.call('GET', NAMESPACES).json
    assert [ns['namespace'] for ns in listed['namespaces']] == ['ns-one']
    assert listed['schema'] == '/v2/schemas/metadefs/namespaces'

    shown = api.call('GET', f'{NAMESPACES}/ns-one').json
    assert shown['visibility'] == 'public' and shown['description'] == 'Tempest'

    resp = api.call('DELETE', f'{NAMESPACES}/ns-one')
    assert resp.status_int == 403 and 'protected' in resp.text

    updated = api.call('PUT', f'{NAMESPACES}/ns-one', json_body={
        'namespace': 'ns-one', 'description': 'Tempest', 'visibility': 'private',
        'display_name': 'ns-one', 'protected': False})
    assert updated.status_int == 200, updated.text
    assert updated.json['visibility'] == 'private' and updated.json['protected'] is False

    assert api.call('DELETE', f'{NAMESPACES}/ns-one').status_int == 204
    assert api.call('GET', f'{NAMESPACES}/ns-one').status_int == 404
    assert api.call('DELETE', f'{NAMESPACES}/ns-one').status_int == 404


def test_duplicate_and_bad_namespaces(api: ImageApi) -> None:
    create(api, 'dup')
    resp = api.call('POST', NAMESPACES, json_body={'namespace': 'dup'})
    assert resp.status_int == 409 and resp.text.startswith('409 Conflict')

    resp = api.call('POST', NAMESPACES, json_body={'namespace': 'x', 'visibility': 'shared'})
    assert resp.status_int == 400 and 'visibility' in resp.text
    resp = api.call('POST', NAMESPACES, json_body={'display_name': 'no name'})
    assert resp.status_int == 400 and "'namespace'" in resp.text
    resp = api.call('POST', NAMESPACES, json_body={'namespace': 'x', 'self': '/here'})
    assert resp.status_int == 403 and "'self' is read-only" in resp.text
    resp = api.call('POST', NAMESPACES, json_body={'namespace': 'x' * 81})
    assert resp.status_int == 400 and 'namespace' in resp.text
    resp = api.call('GET', f'{NAMESPACES}?sort_dir=sideways')
    assert resp.status_int == 400 and 'sort_dir' in resp.text
    assert [ns['namespace'] for ns in api.call('GET', NAMESPACES).json['namespaces']] == \
        ['dup']


def test_rename_to_a_taken_name_conflicts(api: ImageApi) -> None:
    create(api, 'first')
    create(api, 'second')
    resp = api.call('PUT', f'{NAMESPACES}/second', json_body={'namespace': 'first'})
    assert resp.status_int == 409
    renamed = api.call('PUT', f'{NAMESPACES}/second', json_body={'namespace': 'third'})
    assert renamed.status_int == 200 and renamed.json['self'] == f'{NAMESPACES}/third'
    assert api.call('GET', f'{NAMESPACES}/second').status_int == 404


def test_create_with_contents_and_show_them(api: ImageApi) -> None:
    prop = {'title': 'Hypervisor', 'type': 'string', 'enum': ['kvm', 'qemu']}
    create(api, 'full', resource_type_associations=[
        {'name': 'OS::Nova::Flavor', 'prefix': 'hw:'}],
        properties={'hypervisor': prop},
        objects=[{'name': 'CPU', 'required': ['cores'],
                  'properties': {'cores': {'title': 'Cores', 'type': 'integer'}}}],
        tags=[{'name': 'a'}, {'name': 'b'}])
    shown = api.call('GET', f'{NAMESPACES}/full').json
    assert shown['properties'] == {'hypervisor': prop}
    assert [o['name'] for o in shown['objects']] == ['CPU']
    assert shown['tags'] == [{'name': 'a'}, {'name': 'b'}]
    prefixed = api.call('GET', f'{NAMESPACES}/full?resource_type=OS::Nova::Flavor').json
    assert list(prefixed['properties']) == ['hw:hypervisor']
    assert prefixed['objects'][0]['required'] == ['hw:cores']

    filtered = api.call('GET', f'{NAMESPACES}?resource_types=OS::Nova::Flavor').json
    assert [ns['namespace'] for ns in filtered['namespaces']] == ['full']
    assert api.call('GET', f'{NAMESPACES}?resource_types=OS::Cinder::Volume'
                    ).json['namespaces'] == []


def _row_counts(api: ImageApi) -> dict[str, int]:
    with api.env.cloud.db.reader() as session:
        return {table.name: int(session.scalar(
                    sa.select(sa.func.count()).select_from(table)) or 0)
                for table in models.Base.metadata.sorted_tables
                if table.name.startswith('metadef_')}


def test_a_failed_create_leaves_nothing_behind(api: ImageApi) -> None:
    before = _row_counts(api)
    assert before['metadef_namespaces'] == 0 and before['metadef_resource_types'] >= 5
    resp = api.call('POST', NAMESPACES, json_body={
        'namespace': 'half', 'objects': [{'name': 'same'}, {'name': 'same'}]})
    assert resp.status_int == 409
    assert api.call('GET', f'{NAMESPACES}/half').status_int == 404
    resp = api.call('POST', NAMESPACES, json_body={
        'namespace': 'half', 'tags': [{'name': 't'}, {'name': 't'}]})
    assert resp.status_int == 409
    resp = api.call('POST', NAMESPACES, json_body={
        'namespace': 'half', 'resource_type_associations': [{'name': 'OS::New::Type'}],
        'properties': {'p': {'title': 'P', 'type': 'string'}},
        'objects': [{'name': 'o'}, {'name': 'o'}]})
    assert resp.status_int == 409
    assert api.call('GET', NAMESPACES).json['namespaces'] == []
    assert _row_counts(api) == before


def test_paging_and_sorting(api: ImageApi) -> None:
    for name in ('a', 'b', 'c'):
        create(api, name)
    page = api.call('GET', f'{NAMESPACES}?sort_key=namespace&sort_dir=asc&limit=2').json
    assert [ns['namespace'] for ns in page['namespaces']] == ['a', 'b']
    assert 'marker=b' in page['next']
    rest = api.call('GET', page['next']).json
    assert [ns['namespace'] for ns in rest['namespaces']] == ['c'] and 'next' not in rest
    resp = api.call('GET', f'{NAMESPACES}?marker=nope')
    assert resp.status_int == 400 and 'marker' in resp.text


def test_names_with_a_nul_or_a_slash_are_refused(api: ImageApi) -> None:
    for name in ('x\x00y', 'a/b'):
        resp = api.call('POST', NAMESPACES, json_body={'namespace': name})
        assert resp.status_int == 400 and 'namespace' in resp.text
    resp = api.call('POST', NAMESPACES, json_body={'namespace': 'ok', 'description': 'a\x00'})
    assert resp.status_int == 400 and 'description' in resp.text
    assert api.call('GET', f'{NAMESPACES}/x%00y').status_int == 404
    create(api, 'ok')
    assert api.call('GET', f'{NAMESPACES}/ok/objects/x%00y').status_int == 404
    assert api.call('DELETE', f'{NAMESPACES}/ok/resource_types/x%00y').status_int == 404
    assert api.call('GET', NAMESPACES).json['namespaces'][0]['namespace'] == 'ok'
