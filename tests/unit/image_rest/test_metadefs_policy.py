"""Who may do what in the metadefs catalog: admins write, public is for all readers."""

from __future__ import annotations

from tests.unit.image_rest.conftest import ImageApi
from tests.unit.image_rest.test_metadefs_namespaces import NAMESPACES, create


def _project_id(api: ImageApi, name: str) -> str:
    return api.env.cloud.identity.find_project(name, 'default')['id']


def test_members_cannot_write(api: ImageApi) -> None:
    member = api.user_token('member')
    resp = api.call('POST', NAMESPACES, json_body={'namespace': 'mine'}, token=member)
    assert resp.status_int == 403 and 'add_metadef_namespace' in resp.text
    assert api.call('GET', NAMESPACES).json['namespaces'] == []

    create(api, 'pub', visibility='public')
    ns = f'{NAMESPACES}/pub'
    for method, path, body in [
            ('PUT', ns, {'namespace': 'pub'}), ('DELETE', ns, None),
            ('POST', f'{ns}/objects', {'name': 'o'}),
            ('POST', f'{ns}/properties', {'name': 'p', 'title': 'P', 'type': 'string'}),
            ('POST', f'{ns}/tags/t', None), ('POST', f'{ns}/tags', {'tags': []}),
            ('POST', f'{ns}/resource_types', {'name': 'OS::Glance::Image'}),
            ('DELETE', f'{ns}/tags', None), ('DELETE', f'{ns}/objects', None)]:
        resp = api.call(method, path, json_body=body, token=member)
        assert resp.status_int == 403, (method, path, resp.text)
    assert api.call('GET', ns).json['visibility'] == 'public'


def test_public_for_all_private_for_the_owner(api: ImageApi) -> None:
    reader = api.user_token('reader', project='team')
    outsider = api.user_token('member', project='elsewhere')
    create(api, 'pub', visibility='public', tags=[{'name': 't'}])
    create(api, 'team-private', owner=_project_id(api, 'team'), tags=[{'name': 't'}])
    create(api, 'admin-private')

    def listed(token: str) -> list[str]:
        return sorted(ns['namespace'] for ns in
                      api.call('GET', NAMESPACES, token=token).json['namespaces'])

    assert listed(api.token) == ['admin-private', 'pub', 'team-private']
    assert listed(reader) == ['pub', 'team-private']
    assert listed(outsider) == ['pub']
    for token in (reader, outsider):
        assert api.call('GET', f'{NAMESPACES}/pub/tags', token=token).status_int == 200
        assert api.call('GET', f'{NAMESPACES}/admin-private', token=token).status_int == 404
        assert api.call('GET', f'{NAMESPACES}/admin-private/tags',
                        token=token).status_int == 404
    assert api.call('GET', f'{NAMESPACES}/team-private/tags/t', token=reader).status_int == 200
    assert api.call('GET', f'{NAMESPACES}/team-private', token=outsider).status_int == 404
    resp = api.call('GET', '/v2/metadefs/resource_types', token=outsider)
    assert resp.status_int == 200 and resp.json['resource_types']
    assert api.call('GET', NAMESPACES, token='').status_int == 401
