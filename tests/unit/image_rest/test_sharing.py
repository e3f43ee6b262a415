"""``/v2/images/{id}/members`` and the member schemas, as Tempest's member tests use them."""

from __future__ import annotations

from typing import Any

from tests.unit.image_rest.conftest import ImageApi


class Projects:
    """An owner project and an alt project, each with a member token."""

    def __init__(self, api: ImageApi) -> None:
        self.api = api
        self.owner = api.user_token('member', project='owner-proj')
        self.alt = api.user_token('member', project='alt-proj')
        self.alt_id = api.env.cloud.identity.find_project('alt-proj', 'default')['id']

    def image(self, **fields: Any) -> dict[str, Any]:
        resp = self.api.call('POST', '/v2/images', token=self.owner,
                             json_body={'name': 'shared', 'disk_format': 'raw',
                                        'container_format': 'bare', **fields})
        assert resp.status_int == 201, resp.text
        return resp.json

    def alt_ids(self, query: str = '') -> list[str]:
        resp = self.api.call('GET', f'/v2/images{query}', token=self.alt)
        assert resp.status_int == 200, resp.text
        return [image['id'] for image in resp.json['images']]


def test_share_accept_and_show(api: ImageApi) -> None:
    projects = Projects(api)
    image = projects.image()
    members = f'/v2/images/{image["id"]}/members'
    resp = api.call('POST', members, token=projects.owner,
                    json_body={'member': projects.alt_id})
    assert resp.status_int == 200, resp.text
    assert {k: resp.json[k] for k in ('image_id', 'member_id', 'status', 'schema')} == {
        'image_id': image['id'], 'member_id': projects.alt_id, 'status': 'pending',
        'schema': '/v2/schemas/member'}
    assert resp.json['created_at'].endswith('Z')
    assert image['id'] not in projects.alt_ids()
    assert projects.alt_ids('?member_status=pending&visibility=shared') == [image['id']]

    member = f'{members}/{projects.alt_id}'
    owner_try = api.call('PUT', member, token=projects.owner, json_body={'status': 'accepted'})
    assert owner_try.status_int == 403
    bad = api.call('PUT', member, token=projects.alt, json_body={'status': 'notavalidstatus'})
    assert bad.status_int == 400 and 'status' in bad.text
    accepted = api.call('PUT', member, token=projects.alt, json_body={'status': 'accepted'})
    assert accepted.status_int == 200 and accepted.json['status'] == 'accepted'
    assert image['id'] in projects.alt_ids()

    listed = api.call('GET', members, token=projects.owner).json
    assert listed['schema'] == '/v2/schemas/members'
    assert [(m['member_id'], m['status']) for m in listed['members']] == \
        [(projects.alt_id, 'accepted')]
    shown = api.call('GET', member, token=projects.owner)
    assert shown.status_int == 200 and shown.json['status'] == 'accepted'

    assert api.call('DELETE', member, token=projects.alt).status_int == 403
    assert api.call('DELETE', member, token=projects.owner).status_int == 204
    assert image['id'] not in projects.alt_ids()
    assert api.call('GET', f'/v2/images/{image["id"]}', token=projects.alt).status_int == 404


def test_reject_and_bad_requests(api: ImageApi) -> None:
    projects = Projects(api)
    image = projects.image()
    members = f'/v2/images/{image["id"]}/members'
    assert api.call('POST', members, token=projects.owner,
                    json_body={'member': projects.alt_id}).status_int == 200
    assert api.call('POST', members, token=projects.owner,
                    json_body={'member': projects.alt_id}).status_int == 409
    assert api.call('POST', members, token=projects.owner, json_body={}).status_int == 400
    assert api.call('POST', members, token=projects.owner,
                    json_body={'member': 7}).status_int == 400
    rejected = api.call('PUT', f'{members}/{projects.alt_id}', token=projects.alt,
                        json_body={'status': 'rejected'})
    assert rejected.status_int == 200
    assert image['id'] not in projects.alt_ids()
    assert projects.alt_ids('?member_status=rejected') == [image['id']]
    assert api.call('GET', '/v2/images?member_status=maybe',
                    token=projects.alt).status_int == 400

    private = projects.image(visibility='private')
    resp = api.call('POST', f'/v2/images/{private["id"]}/members', token=projects.owner,
                    json_body={'member': projects.alt_id})
    assert resp.status_int == 403 and 'shared' in resp.text
    unknown = '/v2/images/0b6d6ea6-3c6c-4a1c-9c3a-3f9b1b2c0c11/members'
    assert api.call('GET', unknown, token=projects.owner).status_int == 404


def test_member_schemas(api: ImageApi) -> None:
    member = api.call('GET', '/v2/schemas/member')
    assert member.status_int == 200 and member.json['name'] == 'member'
    assert member.json['properties']['status']['enum'] == ['pending', 'accepted', 'rejected']
    members = api.call('GET', '/v2/schemas/members')
    assert members.status_int == 200 and members.json['name'] == 'members'
    assert members.json['properties']['members']['items']['name'] == 'member'
    assert api.call('GET', '/v2/schemas/member', token='').status_int == 401
