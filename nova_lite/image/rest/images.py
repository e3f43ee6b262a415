"""``/v2/images`` and ``/v2/images/{image_id}``: image records.

Bodies are flat glance v2 image dicts (no envelope); extra properties sit at
the top level beside the core ones. Visibility the manager would allow is
narrowed here by policy: ``public`` is for admins (``image:publicize_image``).
"""

from __future__ import annotations

from typing import Any

import webob
from oslo_config import cfg

from nova_lite.api import paging, policy, query, routing, validation, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.image import manager as image_manager
from nova_lite.image.rest import base, image_data, list_params, patch, policies, schemas_doc

COLLECTION = '/v2/images'


def authorize_visibility(authorizer: policy.Authorizer, ctx: nl_context.RequestContext,
                         visibility: Any, owner: str | None) -> None:
    """Only admins publish to everyone; community needs a member of the owner."""
    if visibility == 'public':
        authorizer.authorize(ctx, policies.PUBLICIZE_IMAGE, project_id=owner or '')
    elif visibility == 'community':
        authorizer.authorize(ctx, policies.COMMUNITIZE_IMAGE, project_id=owner or '')


class ImagesController(base.ImageController):
    """Create, list, show, patch and delete image records."""

    def __init__(self, conf: cfg.ConfigOpts, images: image_manager.ImageManager,
                 authorizer: policy.Authorizer, public_url: str) -> None:
        super().__init__(conf, images, authorizer)
        self._public_url = public_url.rstrip('/')

    def routes(self) -> list[routing.Route]:
        return routing.crud(COLLECTION, 'image_id', self, update_method='PATCH')

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        body = req.read_json()
        if not isinstance(body, dict):
            raise exception.InvalidInput(field='<body>', reason='must be a JSON object')
        read_only = sorted(schemas_doc.READ_ONLY & body.keys())
        if read_only:
            raise exception.Forbidden(f"Attribute '{read_only[0]}' is read-only.")
        validation.validate(schemas_doc.create_body_schema(self._conf), body)
        fields = {key: value for key, value in body.items() if value is not None}
        owner = fields.get('owner') or ctx.project_id
        self.authorizer.authorize(ctx, policies.ADD_IMAGE, project_id=owner or '')
        authorize_visibility(self.authorizer, ctx, fields.get('visibility'), owner)
        image = self._images.create_image(ctx, **fields)
        return wsgi.json_response(
            201, image, headers={'Location': f'{self._public_url}{COLLECTION}/{image["id"]}'})

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.GET_IMAGES)
        params = query.decoded(req)
        request = paging.page_request(query.last_values(req, ('limit', 'marker')),
                                      paging.GLANCE_PAGING)
        page = self._images.page_images(ctx, list_params.image_query(params), request)
        body: dict[str, Any] = {'images': page.items, 'first': COLLECTION,
                                'schema': '/v2/schemas/images'}
        if page.next_marker is not None:
            body['next'] = paging.next_href(COLLECTION, params.items(), page.next_marker)
        return wsgi.json_response(200, body)

    def show(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.GET_IMAGE)
        return wsgi.json_response(200, self._images.get_image(ctx, image_id))

    def update(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        content_type = (req.content_type or '').lower()
        if content_type not in patch.MEDIA_TYPES:
            raise image_data.MediaTypeRequired(content_type=content_type or '(none)',
                                               expected=' or '.join(patch.MEDIA_TYPES))
        # The body is JSON under a glance media type: read it with the JSON reader's limits.
        req.content_type = 'application/json'
        operations = patch.parse(req.read_json(), content_type)
        image = self._owned_image(ctx, image_id, policies.MODIFY_IMAGE)
        changes = patch.changes_for(self._conf, image, operations)
        if 'visibility' in changes:
            authorize_visibility(self.authorizer, ctx, changes['visibility'], image['owner'])
        updated = self._images.update_image(ctx, image['id'], **changes)
        return wsgi.json_response(200, updated)

    def delete(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        image = self._owned_image(ctx, image_id, policies.DELETE_IMAGE)
        self._images.delete_image(ctx, image['id'])
        return wsgi.json_response(204)
