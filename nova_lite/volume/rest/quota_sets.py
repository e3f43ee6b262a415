"""``/v3/{project_id}/os-quota-sets`` and ``/os-quota-class-sets``: block storage quotas.

A member may show its own project's quotas; showing another project's, and
every change, is for admins (by policy). Limits are integers of at least -1
(-1: unlimited), given as JSON numbers or numeric strings as cinder accepts
them; an unknown resource is a 400, and so is a project limit below what the
project already uses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import webob

from nova_lite.api import controller, query, routing, wsgi
from nova_lite.common import exception
from nova_lite.volume import quotas
from nova_lite.volume.rest import policies, scope

# Keys a quota set body may carry besides limits (ignored, as cinder does).
NON_QUOTA_KEYS = ('tenant_id', 'id')
MAX_LIMIT = 2 ** 31 - 1
_INTEGER = re.compile(r'^\s*-?[0-9]+\s*$')


def _body(key: str) -> dict[str, Any]:
    return {'type': 'object', 'properties': {key: {'type': 'object'}}, 'required': [key]}


QUOTA_SET = _body('quota_set')
QUOTA_CLASS_SET = _body('quota_class_set')


def checked_limits(values: Mapping[str, Any], known: list[str], body_key: str) -> dict[str, int]:
    """The limits of a quota set body; 400 naming the bad key or value."""
    bad = sorted(key for key in values if key not in known and key not in NON_QUOTA_KEYS)
    if bad:
        raise exception.InvalidInput(field=f'{body_key}.{bad[0]}',
                                     reason=f'Bad key(s) in quota set: {", ".join(bad)}')
    limits: dict[str, int] = {}
    for key, value in values.items():
        if key in NON_QUOTA_KEYS:
            continue
        if isinstance(value, bool) or not (
                isinstance(value, int) or (isinstance(value, str) and _INTEGER.match(value))):
            raise exception.InvalidInput(field=f'{body_key}.{key}',
                                         reason=f'{key} must be an integer.')
        number = int(value)
        if not -1 <= number <= MAX_LIMIT:
            raise exception.InvalidInput(
                field=f'{body_key}.{key}',
                reason=f'{key} must be >= -1 and <= {MAX_LIMIT}, not {number}.')
        limits[key] = number
    return limits


class QuotaSetsController(scope.VolumeController):
    """Project and class limits through the volume manager's quota engine."""

    @property
    def _quotas(self) -> quotas.VolumeQuotas:
        return self._services.volumes.quotas

    def _authorized(self, req: wsgi.Request, project_id: str, rule: str,
                    target_project_id: str) -> None:
        ctx = scope.project_context(req, project_id, self._services.identity)
        self.authorizer.authorize(ctx, rule, {'project_id': target_project_id})

    # -- os-quota-sets -----------------------------------------------------------

    def show(self, req: wsgi.Request, project_id: str,
             target_project_id: str) -> webob.Response:
        self._authorized(req, project_id, policies.QUOTA_SHOW, target_project_id)
        usage = query.flag(query.last_values(req, ['usage']), 'usage', query.CINDER_BOOLEAN)
        shown: dict[str, Any] = (dict(self._quotas.detail(target_project_id)) if usage
                                 else dict(self._quotas.limits(target_project_id)))
        return wsgi.json_response(200, {'quota_set': {'id': target_project_id, **shown}})

    def defaults(self, req: wsgi.Request, project_id: str,
                 target_project_id: str) -> webob.Response:
        self._authorized(req, project_id, policies.QUOTA_SHOW, target_project_id)
        return wsgi.json_response(200, {'quota_set': {'id': target_project_id,
                                                      **self._quotas.defaults()}})

    def update(self, req: wsgi.Request, project_id: str,
               target_project_id: str) -> webob.Response:
        self._authorized(req, project_id, policies.QUOTA_UPDATE, target_project_id)
        body = controller.read_body(req, QUOTA_SET)
        limits = checked_limits(body['quota_set'], self._quotas.resources(), 'quota_set')
        return wsgi.json_response(200, {'quota_set': self._quotas.update(
            target_project_id, limits)})

    def delete(self, req: wsgi.Request, project_id: str,
               target_project_id: str) -> webob.Response:
        self._authorized(req, project_id, policies.QUOTA_DELETE, target_project_id)
        self._quotas.delete(target_project_id)
        return wsgi.json_response(200)

    # -- os-quota-class-sets -----------------------------------------------------

    def show_class(self, req: wsgi.Request, project_id: str,
                   class_name: str) -> webob.Response:
        self._context(req, project_id, policies.QUOTA_CLASS_SHOW)
        return wsgi.json_response(200, {'quota_class_set': {
            'id': class_name, **self._quotas.class_limits(class_name)}})

    def update_class(self, req: wsgi.Request, project_id: str,
                     class_name: str) -> webob.Response:
        self._context(req, project_id, policies.QUOTA_CLASS_UPDATE)
        body = controller.read_body(req, QUOTA_CLASS_SET)
        if len(class_name) > 255:
            raise exception.InvalidInput(field='class_name', reason='is longer than 255')
        limits = checked_limits(body['quota_class_set'], self._quotas.resources(),
                                'quota_class_set')
        return wsgi.json_response(200, {'quota_class_set': self._quotas.update_class(
            class_name, limits)})


def routes(quota_sets: QuotaSetsController) -> list[routing.Route]:
    return [
        ('GET', '/os-quota-sets/{target_project_id}/defaults', quota_sets.defaults),
        ('GET', '/os-quota-sets/{target_project_id}', quota_sets.show),
        ('PUT', '/os-quota-sets/{target_project_id}', quota_sets.update),
        ('DELETE', '/os-quota-sets/{target_project_id}', quota_sets.delete),
        ('GET', '/os-quota-class-sets/{class_name}', quota_sets.show_class),
        ('PUT', '/os-quota-class-sets/{class_name}', quota_sets.update_class),
    ]
