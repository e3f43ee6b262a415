"""A namespace's objects, properties, tags and resource type associations."""

from __future__ import annotations

from tests.unit.image_rest.conftest import ImageApi
from tests.unit.image_rest.test_metadefs_namespaces import NAMESPACES, create

NS = f'{NAMESPACES}/ns'


def test_objects(api: ImageApi) -> None:
    create(api, 'ns')
    resp = api.call('POST', f'{NS}/objects', json_body={'name': 'obj', 'description': 'd'})
    assert resp.status_int == 201, resp.text
    assert resp.json['self'] == f'{NS}/objects/obj' and resp.json['required'] == []
    assert api.call('POST', f'{NS}/objects', json_body={'name': 'obj'}).status_int == 409

    renamed = api.call('PUT', f'{NS}/objects/obj', json_body={
        'name': 'obj2', 'properties': {'p': {'title': 'P', 'type': 'string'}}})
    assert renamed.status_int == 200, renamed.text
    assert renamed.json['name'] == 'obj2' and 'description' not in renamed.json
    assert api.call('GET', f'{NS}/objects/obj').status_int == 404
    shown = api.call('GET', f'{NS}/objects/obj2').json
    assert shown['properties'] == {'p': {'title': 'P', 'type': 'string'}}
    listed = api.call('GET', f'{NS}/objects').json
    assert [o['name'] for o in listed['objects']] == ['obj2']

    resp = api.call('POST', f'{NS}/objects', json_body={
        'name': 'bad', 'properties': {'p': {'title': 'P', 'type': 'color'}}})
    assert resp.status_int == 400 and 'properties.p.type' in resp.text

    assert api.call('DELETE', f'{NS}/objects/obj2').status_int == 204
    assert api.call('GET', f'{NS}/objects').json['objects'] == []
    assert api.call('GET', f'{NAMESPACES}/nope/objects').status_int == 404


def test_properties(api: ImageApi) -> None:
    create(api, 'ns')
    enum = ['xen', 'qemu', 'kvm']
    resp = api.call('POST', f'{NS}/resource_types', json_body={'name': 'OS::Glance::Image'})
    assert resp.status_int == 201 and resp.json['name'] == 'OS::Glance::Image'
    resp = api.call('POST', f'{NS}/properties', json_body={
        'name': 'OS::Glance::Image', 'title': 'T', 'type': 'string', 'enum': enum})
    assert resp.status_int == 201, resp.text
    assert resp.json == {'name': 'OS::Glance::Image', 'title': 'T', 'type': 'string',
                         'enum': enum}
    shown = api.call('GET', f'{NS}/properties/OS::Glance::Image')
    assert shown.status_int == 200 and shown.json['name'] == 'OS::Glance::Image'
    updated = api.call('PUT', f'{NS}/properties/OS::Glance::Image', json_body={
        'name': 'OS::Glance::Image', 'title': 'T2', 'type': 'string', 'enum': enum})
    assert updated.status_int == 200 and updated.json['title'] == 'T2'
    assert api.call('GET', f'{NS}/properties').json['properties'] == {
        'OS::Glance::Image': {'title': 'T2', 'type': 'string', 'enum': enum}}

    resp = api.call('POST', f'{NS}/properties', json_body={'name': 'x', 'type': 'string'})
    assert resp.status_int == 400 and "'title'" in resp.text
    resp = api.call('POST', f'{NS}/properties', json_body={
        'name': 'OS::Glance::Image', 'title': 'T', 'type': 'string'})
    assert resp.status_int == 409

    assert api.call('DELETE', f'{NS}/properties/OS::Glance::Image').status_int == 204
    assert api.call('GET', f'{NS}/properties').json['properties'] == {}
    assert api.call('DELETE', f'{NS}/properties/OS::Glance::Image').status_int == 404


def test_property_by_prefixed_name(api: ImageApi) -> None:
    create(api, 'ns', resource_type_associations=[{'name': 'OS::Nova::Flavor',
                                                   'prefix': 'hw:'}],
           properties={'cpu': {'title': 'CPU', 'type': 'integer'}})
    resp = api.call('GET', f'{NS}/properties/hw:cpu?resource_type=OS::Nova::Flavor')
    assert resp.status_int == 200 and resp.json['name'] == 'cpu'
    resp = api.call('GET', f'{NS}/properties/cpu?resource_type=OS::Nova::Flavor')
    assert resp.status_int == 404


def test_tags(api: ImageApi) -> None:
    create(api, 'ns')
    tags = [{'name': 'sample-tag1'}, {'name': 'sample-tag2'}, {'name': 'sample-tag3'}]
    resp = api.call('POST', f'{NS}/tags', json_body={'tags': tags})
    assert resp.status_int == 201, resp.text
    assert [t['name'] for t in resp.json['tags']] == [t['name'] for t in tags]
    assert len(api.call('GET', f'{NS}/tags').json['tags']) == 3

    resp = api.call('POST', f'{NS}/tags/tag_name')
    assert resp.status_int == 201 and resp.json['name'] == 'tag_name'
    assert api.call('POST', f'{NS}/tags/tag_name').status_int == 409
    assert api.call('GET', f'{NS}/tags/tag_name').json['name'] == 'tag_name'
    renamed = api.call('PUT', f'{NS}/tags/tag_name', json_body={'name': 'renamed'})
    assert renamed.status_int == 200 and renamed.json['name'] == 'renamed'
    assert api.call('PUT', f'{NS}/tags/renamed',
                    json_body={'name': 'sample-tag1'}).status_int == 409
    assert api.call('DELETE', f'{NS}/tags/renamed').status_int == 204
    assert api.call('GET', f'{NS}/tags/renamed').status_int == 404

    # A list replaces the tags, unless X-Openstack-Append says true.
    api.call('POST', f'{NS}/tags', json_body={'tags': [{'name': 'only'}]})
    assert [t['name'] for t in api.call('GET', f'{NS}/tags').json['tags']] == ['only']
    resp = api.call('POST', f'{NS}/tags', json_body={'tags': [{'name': 'more'}]},
                    headers={'X-Openstack-Append': 'true'})
    assert resp.status_int == 201
    names = [t['name'] for t in api.call('GET', f'{NS}/tags?sort_dir=asc').json['tags']]
    assert names == ['only', 'more']
    resp = api.call('POST', f'{NS}/tags', json_body={'tags': [{'name': 'only'}]},
                    headers={'X-Openstack-Append': 'true'})
    assert resp.status_int == 409
    resp = api.call('POST', f'{NS}/tags', json_body={'tags': [{'nom': 'x'}]})
    assert resp.status_int == 400 and 'tags.0' in resp.text
    # Newest first by default; sorted, paged by name on request.
    assert [t['name'] for t in api.call('GET', f'{NS}/tags').json['tags']] == ['more', 'only']
    page = api.call('GET', f'{NS}/tags?sort_key=name&sort_dir=asc&limit=1').json['tags']
    assert [t['name'] for t in page] == ['more']
    page = api.call('GET', f'{NS}/tags?sort_key=name&sort_dir=asc&marker=more').json['tags']
    assert [t['name'] for t in page] == ['only']
    resp = api.call('GET', f'{NS}/tags?sort_key=colour')
    assert resp.status_int == 400 and 'sort_key' in resp.text
    resp = api.call('GET', f'{NS}/tags?marker=gone')
    assert resp.status_int == 400 and 'marker' in resp.text

    assert api.call('DELETE', f'{NS}/tags').status_int == 204
    assert api.call('GET', f'{NS}/tags').json['tags'] == []


def test_resource_type_associations(api: ImageApi) -> None:
    create(api, 'ns')
    path = f'{NS}/resource_types'
    resp = api.call('POST', path, json_body={'name': 'OS::Cinder::Volume', 'prefix': 'hw_',
                                             'properties_target': 'image'})
    assert resp.status_int == 201
    assert resp.json['prefix'] == 'hw_' and resp.json['properties_target'] == 'image'
    assert api.call('POST', path, json_body={'name': 'OS::Cinder::Volume'}).status_int == 409
    listed = api.call('GET', path).json['resource_type_associations']
    assert [a['name'] for a in listed] == ['OS::Cinder::Volume']
    # An unknown resource type is created on first use.
    assert api.call('POST', path, json_body={'name': 'OS::Custom::Thing'}).status_int == 201
    names = [rt['name'] for rt in
             api.call('GET', '/v2/metadefs/resource_types').json['resource_types']]
    assert 'OS::Custom::Thing' in names

    assert api.call('DELETE', f'{path}/OS::Cinder::Volume').status_int == 204
    assert api.call('DELETE', f'{path}/OS::Cinder::Volume').status_int == 404
    assert [a['name'] for a in api.call('GET', path).json['resource_type_associations']] == \
        ['OS::Custom::Thing']


def test_deleting_contents_and_protection(api: ImageApi) -> None:
    create(api, 'ns', protected=True, objects=[{'name': 'o'}], tags=[{'name': 't'}],
           properties={'p': {'title': 'P', 'type': 'string'}},
           resource_type_associations=[{'name': 'OS::Glance::Image'}])
    for kind in ('objects', 'properties', 'tags'):
        assert api.call('DELETE', f'{NS}/{kind}').status_int == 403
    assert api.call('DELETE', f'{NS}/objects/o').status_int == 403
    assert api.call('DELETE', f'{NS}/tags/t').status_int == 403
    assert api.call('DELETE', f'{NS}/properties/p').status_int == 403
    assert api.call('DELETE', f'{NS}/resource_types/OS::Glance::Image').status_int == 403
    shown = api.call('GET', NS).json
    assert {'objects', 'properties', 'tags', 'resource_type_associations'} <= shown.keys()

    api.call('PUT', NS, json_body={'namespace': 'ns', 'protected': False})
    for kind in ('objects', 'properties', 'tags'):
        assert api.call('DELETE', f'{NS}/{kind}').status_int == 204
    shown = api.call('GET', NS).json
    assert not {'objects', 'properties', 'tags'} & shown.keys()
    assert 'resource_type_associations' in shown
    assert api.call('DELETE', NS).status_int == 204


def test_schemas(api: ImageApi) -> None:
    names = {'namespace': 'namespace', 'namespaces': 'namespaces',
             'resource_type': 'resource_type_association',
             'resource_types': 'resource_type_associations', 'object': 'object',
             'objects': 'objects', 'property': 'property', 'properties': 'properties',
             'tag': 'tag', 'tags': 'tags'}
    reader = api.user_token('reader')
    for path, name in names.items():
        resp = api.call('GET', f'/v2/schemas/metadefs/{path}', token=reader)
        assert resp.status_int == 200 and resp.json['name'] == name, path
    assert api.call('GET', '/v2/schemas/metadefs/tag', token='').status_int == 401


def test_objects_are_listed_newest_first_unless_asked(api: ImageApi) -> None:
    create(api, 'ns', objects=[{'name': 'b'}])
    api.call('POST', f'{NS}/objects', json_body={'name': 'a'})
    assert [o['name'] for o in api.call('GET', f'{NS}/objects').json['objects']] == ['a', 'b']
    listed = api.call('GET', f'{NS}/objects?sort_dir=asc').json['objects']
    assert [o['name'] for o in listed] == ['b', 'a']
    listed = api.call('GET', f'{NS}/objects?sort_key=name&sort_dir=asc&limit=1').json
    assert [o['name'] for o in listed['objects']] == ['a']
