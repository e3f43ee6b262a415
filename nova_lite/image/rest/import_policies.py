"""Default policy rules of image import and tasks (overridable in the policy file).

Staging and importing act on a project's image as uploading does. As in
glance, the ``/v2/tasks`` API itself is for admins (``image:tasks_api_access``),
while a project member may read the import tasks of an image it can see.
"""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base

STAGE_IMAGE = 'image:stage_image'
IMPORT_IMAGE = 'image:import_image'
GET_IMAGE_TASKS = 'image:get_image_tasks'
TASKS_API_ACCESS = 'image:tasks_api_access'
GET_TASKS = 'image:get_tasks'
GET_TASK = 'image:get_task'
ADD_TASK = 'image:add_task'

_STAGE = '/v2/images/{image_id}/stage'
_IMPORT = '/v2/images/{image_id}/import'
_IMAGE_TASKS = '/v2/images/{image_id}/tasks'
_TASKS = '/v2/tasks'
_TASK = '/v2/tasks/{task_id}'

RULES: list[policy.RuleDefault] = [
    base.rule(STAGE_IMAGE, base.PROJECT_MEMBER,
              "Stage the data of a project's image for a glance-direct import.",
              'PUT', _STAGE),
    base.rule(IMPORT_IMAGE, base.PROJECT_MEMBER, "Import the data of a project's image.",
              'POST', _IMPORT),
    base.rule(GET_IMAGE_TASKS, base.READER,
              'List the import tasks of an image the caller can see.', 'GET', _IMAGE_TASKS),
    base.rule(TASKS_API_ACCESS, base.ADMIN, 'Use the /v2/tasks API at all.', 'GET', _TASKS),
    base.rule(GET_TASKS, base.READER, 'List the tasks the caller can see.', 'GET', _TASKS),
    base.rule(GET_TASK, base.READER, 'Show a task the caller can see.', 'GET', _TASK),
    base.rule(ADD_TASK, base.MEMBER, 'Create a task.', 'POST', _TASKS),
]
