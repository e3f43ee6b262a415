"""``/os-keypairs``: create (import or generate), list, show and delete keypairs.

What the request may carry and what the answer shows follow the negotiated
compute microversion: 2.2 adds ``type`` (201 on create, 204 on delete), 2.10
lets an admin name another user (``user_id``), 2.35 pages the list
(``limit``, ``marker``), 2.92 stops generating pairs.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, paging, routing, wsgi
from nova_lite.common import exception
from nova_lite.compute import keypair_keys, keypair_schemas
from nova_lite.compute.rest import base, policies, query_params, version_changes
from nova_lite.compute.rest.api_version import api_version


def _brief(keypair: dict[str, Any], version: tuple[int, int]) -> dict[str, Any]:
    body = {'name': keypair['name'], 'public_key': keypair['public_key'],
            'fingerprint': keypair['fingerprint']}
    if version >= version_changes.KEYPAIR_TYPE:
        body['type'] = keypair['type']
    return body


def _detail(keypair: dict[str, Any], version: tuple[int, int]) -> dict[str, Any]:
    return {**_brief(keypair, version), 'user_id': keypair['user_id'], 'deleted': False,
            'created_at': keypair['created_at'], 'updated_at': keypair['updated_at'],
            'deleted_at': None, 'id': keypair['id']}


class KeypairsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._store = rest.services.keypairs

    def routes(self) -> list[routing.Route]:
        return routing.crud('/os-keypairs', 'keypair_name', self)

    def _user_id(self, req: wsgi.Request, asked: str | None, rule: str) -> str:
        """Whose keypairs: the caller's, or (2.10) ``asked`` when the policy allows."""
        ctx = req.context
        for_other = asked and api_version(req) >= version_changes.KEYPAIR_USER_ID
        user_id = asked if for_other else ctx.user_id
        if user_id is None:
            raise exception.Forbidden()
        self.authorizer.authorize(ctx, rule, {'user_id': user_id})
        return user_id

    def create(self, req: wsgi.Request) -> webob.Response:
        version = api_version(req)
        keypair = controller.read_body(req, keypair_schemas.create_request(version))['keypair']
        user_id = self._user_id(req, keypair.get('user_id'), policies.KEYPAIRS_CREATE)
        created = self._store.create(
            user_id=user_id, name=keypair['name'],
            key_type=keypair.get('type', keypair_keys.SSH),
            public_key=keypair.get('public_key'),
            quota_check=self._rest.services.quotas.keypair_check(req.context.project_id,
                                                                 user_id))
        body = {**_brief(created.keypair, version), 'user_id': user_id}
        if created.private_key is not None:
            body['private_key'] = created.private_key
        status = 201 if version >= version_changes.KEYPAIR_TYPE else 200
        return wsgi.json_response(status, {'keypair': body})

    def index(self, req: wsgi.Request) -> webob.Response:
        version = api_version(req)
        params = query_params.read(req, keypair_schemas.list_query)
        user_id = self._user_id(req, params.get('user_id'), policies.KEYPAIRS_INDEX)
        paged = version >= version_changes.KEYPAIR_PAGING
        request = (paging.page_request(params, paging.NOVA_PAGING) if paged
                   else paging.EVERYTHING)
        page = self._store.page(user_id, request)
        body: dict[str, Any] = {'keypairs': [{'keypair': _brief(k, version)}
                                             for k in page.items]}
        named_user = params.get('user_id') and version >= version_changes.KEYPAIR_USER_ID
        query = [('user_id', user_id)] if named_user else []
        links = paging.links(page, f'{self._rest.links.base_url}/os-keypairs', query,
                             limit=request.limit)
        if links:
            body['keypairs_links'] = links
        return wsgi.json_response(200, body)

    def show(self, req: wsgi.Request, keypair_name: str) -> webob.Response:
        params = query_params.read(req, keypair_schemas.member_query)
        user_id = self._user_id(req, params.get('user_id'), policies.KEYPAIRS_SHOW)
        keypair = self._store.get(user_id, keypair_name)
        return wsgi.json_response(200, {'keypair': _detail(keypair, api_version(req))})

    def delete(self, req: wsgi.Request, keypair_name: str) -> webob.Response:
        params = query_params.read(req, keypair_schemas.member_query)
        user_id = self._user_id(req, params.get('user_id'), policies.KEYPAIRS_DELETE)
        self._store.delete(user_id, keypair_name)
        return wsgi.json_response(204 if api_version(req) >= version_changes.KEYPAIR_TYPE else 202)
