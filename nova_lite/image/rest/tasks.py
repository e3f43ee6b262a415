"""``/v2/tasks``, ``/v2/tasks/{task_id}`` and ``/v2/images/{image_id}/tasks``.

The tasks API is for admins (``image:tasks_api_access``), as in glance. Its
create is deprecated in glance; here it accepts only the legacy ``import``
type, and that legacy import from a URI is not offered (the interoperable
import's web-download is): it answers 400 naming ``input.import_from``.
Image imports record their tasks themselves (type ``api_image_import``),
readable through the image.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, paging, query, routing, wsgi
from nova_lite.common import exception
from nova_lite.image.rest import base, import_policies, task_schemas

COLLECTION = '/v2/tasks'


class TasksController(base.ImageController):
    """Image tasks: list, show, the legacy create, and the tasks of one image."""

    def routes(self) -> list[routing.Route]:
        return [*routing.crud(COLLECTION, 'task_id', self),
                ('GET', '/v2/images/{image_id}/tasks', self.image_tasks),
                ('GET', '/v2/schemas/task', self.schema),
                ('GET', '/v2/schemas/tasks', self.list_schema)]

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, import_policies.TASKS_API_ACCESS)
        self.authorizer.authorize(ctx, import_policies.GET_TASKS)
        params = controller.read_query(req, task_schemas.LIST_QUERY)
        request = paging.page_request(params, paging.GLANCE_PAGING)
        found = self._images.tasks.list_tasks(
            ctx, status=params.get('status'), task_type=params.get('type'),
            sort_key=params.get('sort_key', 'created_at'),
            sort_dir=params.get('sort_dir', 'desc'), marker=params.get('marker'),
            limit=None if request.limit is None else request.limit + 1)
        page = paging.cut(found, request.limit, paging.item_id)
        body: dict[str, Any] = {'tasks': page.items, 'first': COLLECTION,
                                'schema': '/v2/schemas/tasks'}
        if page.next_marker is not None:
            body['next'] = paging.next_href(COLLECTION, query.decoded(req).items(),
                                            page.next_marker)
        return wsgi.json_response(200, body)

    def show(self, req: wsgi.Request, task_id: str) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, import_policies.TASKS_API_ACCESS)
        self.authorizer.authorize(ctx, import_policies.GET_TASK)
        return wsgi.json_response(200, self._images.tasks.get(ctx, task_id))

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, import_policies.TASKS_API_ACCESS)
        self.authorizer.authorize(ctx, import_policies.ADD_TASK)
        controller.read_body(req, task_schemas.TASK_CREATE_BODY)
        raise exception.InvalidInput(
            field='input.import_from',
            reason='importing image data from a URI is not enabled in this deployment '
                   '(use the interoperable image import: glance-direct or web-download)')

    def image_tasks(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        image = self._images.get_image(ctx, image_id)
        self.authorizer.authorize(ctx, import_policies.GET_IMAGE_TASKS,
                                  project_id=image['owner'] or '')
        return wsgi.json_response(200, {'tasks': self._images.tasks.for_image(ctx, image_id)})

    def schema(self, req: wsgi.Request) -> webob.Response:
        req.context  # noqa: B018
        return wsgi.json_response(200, task_schemas.task_schema())

    def list_schema(self, req: wsgi.Request) -> webob.Response:
        req.context  # noqa: B018
        return wsgi.json_response(200, task_schemas.tasks_schema())
