"""``/v3/groups``: create, list, show, update, delete; members
(``/v3/groups/{g}/users[/{u}]``) and a user's groups (``/v3/users/{u}/groups``)."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.common import exception
from nova_lite.identity import bootstrap
from nova_lite.identity.rest import common, group_schemas, views

MEMBER_PATH = '/v3/groups/{group_id}/users/{user_id}'


def group_view(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    return {'id': record['id'], 'name': record['name'], 'domain_id': record['domain_id'],
            'description': record['description'],
            'links': {'self': f"{v3_url}/groups/{record['id']}"}}


def not_found_for_bad_id(resource: str, value: str) -> exception.NotFound:
    return exception.NotFound(resource=resource, id=value)


class GroupController(common.IdentityController):

    def routes(self) -> list[routing.Route]:
        return [
            ('POST', '/v3/groups', self.create),
            ('GET', '/v3/groups', self.index),
            ('GET', '/v3/groups/{group_id}', self.show),
            ('PATCH', '/v3/groups/{group_id}', self.update),
            ('DELETE', '/v3/groups/{group_id}', self.delete),
            ('GET', '/v3/groups/{group_id}/users', self.members),
            ('PUT', MEMBER_PATH, self.add_member),
            ('HEAD', MEMBER_PATH, self.check_member),
            ('DELETE', MEMBER_PATH, self.remove_member),
            ('GET', '/v3/users/{user_id}/groups', self.user_groups),
        ]

    def _view(self, record: dict[str, Any]) -> dict[str, Any]:
        return {'group': group_view(self._api.v3_url, record)}

    def _collection(self, req: wsgi.Request, records: list[dict[str, Any]]) -> webob.Response:
        return wsgi.json_response(200, views.collection(
            'groups', [group_view(self._api.v3_url, r) for r in records],
            common.self_url(req, self._api)))

    def _group(self, group_id: str) -> dict[str, Any]:
        try:
            return self._api.admin.groups.get_group(group_id)
        except exception.InvalidInput:
            raise not_found_for_bad_id('Group', group_id) from None

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, 'identity:create_group')
        spec = controller.read_body(req, group_schemas.GROUP_CREATE)['group']
        domain_id = (spec.get('domain_id') or getattr(ctx, 'project_domain_id', None)
                     or bootstrap.DEFAULT_DOMAIN_ID)
        record = self._api.admin.groups.create_group(spec['name'], domain_id,
                                                     spec.get('description'))
        return wsgi.json_response(201, self._view(record))

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_groups')
        params = controller.read_query(req, group_schemas.GROUP_QUERY)
        records = self._api.admin.groups.list_groups(domain_id=params.get('domain_id'))
        return self._collection(req, common.filtered(records, params,
                                                     common.filters_of('name')))

    def show(self, req: wsgi.Request, group_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:get_group')
        return wsgi.json_response(200, self._view(self._group(group_id)))

    def update(self, req: wsgi.Request, group_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:update_group')
        spec = controller.read_body(req, group_schemas.GROUP_UPDATE)['group']
        self._group(group_id)
        record = self._api.admin.groups.update_group(group_id, name=spec.get('name'),
                                                     description=spec.get('description'))
        return wsgi.json_response(200, self._view(record))

    def delete(self, req: wsgi.Request, group_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:delete_group')
        self._group(group_id)
        self._api.admin.groups.delete_group(group_id)
        return wsgi.json_response(204)

    def members(self, req: wsgi.Request, group_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_users_in_group')
        self._group(group_id)
        member_ids = set(self._api.admin.groups.member_ids(group_id))
        users = [u for u in self._api.identity.list_users() if u['id'] in member_ids]
        users = self._api.admin.users.with_attributes(users)
        return wsgi.json_response(200, views.collection(
            'users', [views.user(self._api.v3_url, u) for u in users],
            common.self_url(req, self._api)))

    def _member_refs(self, group_id: str, user_id: str) -> None:
        self._group(group_id)
        try:
            self._api.identity.get_user(user_id)
        except exception.InvalidInput:
            raise not_found_for_bad_id('User', user_id) from None

    def add_member(self, req: wsgi.Request, group_id: str, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:add_user_to_group')
        self._member_refs(group_id, user_id)
        self._api.admin.groups.add_member(group_id, user_id)
        return wsgi.json_response(204)

    def check_member(self, req: wsgi.Request, group_id: str, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:check_user_in_group',
                                  {'user_id': user_id})
        self._member_refs(group_id, user_id)
        if not self._api.admin.groups.is_member(group_id, user_id):
            raise exception.NotFound(f'User {user_id} is not a member of group {group_id}.',
                                     resource='GroupMembership', id=user_id)
        return wsgi.json_response(204)

    def remove_member(self, req: wsgi.Request, group_id: str, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:remove_user_from_group')
        self._member_refs(group_id, user_id)
        self._api.admin.groups.remove_member(group_id, user_id)
        return wsgi.json_response(204)

    def user_groups(self, req: wsgi.Request, user_id: str) -> webob.Response:
        self.authorizer.authorize(req.context, 'identity:list_groups_for_user',
                                  {'user_id': user_id})
        try:
            self._api.identity.get_user(user_id)
        except exception.InvalidInput:
            raise not_found_for_bad_id('User', user_id) from None
        params = controller.read_query(req, group_schemas.GROUP_QUERY)
        records = self._api.admin.groups.list_groups(user_id=user_id)
        return self._collection(req, common.filtered(records, params,
                                                     common.filters_of('name', 'domain_id')))
