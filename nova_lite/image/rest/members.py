"""``/v2/images/{image_id}/members[/{member_id}]``: sharing an image with other projects.

The owner adds (200, the new ``pending`` member), lists and removes members;
a member answers with ``PUT {"status": "accepted"|"rejected"|"pending"}``.
Only ``shared`` images have members (403 otherwise).
"""

from __future__ import annotations

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.image.rest import base, member_schemas, policies

_MEMBERS = '/v2/images/{image_id}/members'


class MembersController(base.ImageController):
    """Create, list, show, answer and delete image members."""

    def routes(self) -> list[routing.Route]:
        return routing.crud(_MEMBERS, 'member_id', self)

    def create(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        body = controller.read_body(req, member_schemas.CREATE_BODY)
        image = self._owned_image(ctx, image_id, policies.ADD_MEMBER)
        member = self._images.members.create_member(ctx, image['id'], body['member'])
        return wsgi.json_response(200, member)

    def index(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.GET_MEMBERS)
        found = self._images.members.list_members(ctx, image_id)
        return wsgi.json_response(200, {'members': found, 'schema': '/v2/schemas/members'})

    def show(self, req: wsgi.Request, image_id: str, member_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.GET_MEMBER)
        return wsgi.json_response(200, self._images.members.get_member(ctx, image_id,
                                                                       member_id))

    def update(self, req: wsgi.Request, image_id: str, member_id: str) -> webob.Response:
        ctx = req.context
        body = controller.read_body(req, member_schemas.UPDATE_BODY)
        self.authorizer.authorize(ctx, policies.MODIFY_MEMBER)
        member = self._images.members.update_member(ctx, image_id, member_id, body['status'])
        return wsgi.json_response(200, member)

    def delete(self, req: wsgi.Request, image_id: str, member_id: str) -> webob.Response:
        ctx = req.context
        image = self._owned_image(ctx, image_id, policies.DELETE_MEMBER)
        self._images.members.delete_member(ctx, image['id'], member_id)
        return wsgi.json_response(204)
