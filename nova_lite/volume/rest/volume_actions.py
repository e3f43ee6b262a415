"""``POST /v3/{project_id}/volumes/{volume_id}/action``: cinder's volume actions.

The body names one action. ``os-extend`` grows an available volume (its
snapshots stay as they are); ``os-set_bootable`` marks a volume bootable or
not (the ``volume:update`` rule, as the owner's); ``os-retype`` gives a volume
another type (no data moves: every type is on the one backend); from 3.40
``revert`` puts a volume back to its latest snapshot; from 3.68 ``os-reimage``
writes an image over a volume (:mod:`.reimage_action`); an action nova_lite
does not carry out (or not at the request's version) is a 400 naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import webob

from nova_lite.api import routing, validation, wsgi
from nova_lite.common import exception
from nova_lite.volume.rest import (
    admin_actions,
    attach_actions,
    image_actions,
    policies,
    reimage_action,
    schemas,
    scope,
    versions,
)
from nova_lite.volume.rest import version_changes as changes

EXTEND: dict[str, Any] = {
    'type': 'object',
    'properties': {'os-extend': {
        'type': 'object',
        'properties': {'new_size': {'type': ['integer', 'string'],
                                    'pattern': '^[0-9]{1,20}$', 'minimum': 1}},
        'required': ['new_size'],
        'additionalProperties': False,
    }},
    'required': ['os-extend'],
    'additionalProperties': False,
}

RETYPE: dict[str, Any] = {
    'type': 'object',
    'properties': {'os-retype': {
        'type': 'object',
        'properties': {'new_type': {'type': 'string', 'minLength': 1, 'maxLength': 255},
                       'migration_policy': {'type': ['string', 'null'],
                                            'enum': ['never', 'on-demand', None]}},
        'required': ['new_type'],
    }},
    'required': ['os-retype'],
}

REVERT: dict[str, Any] = {
    'type': 'object',
    'properties': {'revert': {
        'type': 'object',
        'properties': {'snapshot_id': {'type': 'string', 'minLength': 1, 'maxLength': 36}},
        'required': ['snapshot_id'],
        'additionalProperties': False,
    }},
    'required': ['revert'],
    'additionalProperties': False,
}

Action = Callable[[wsgi.Request, str, str, dict[str, Any]], webob.Response]


class VolumeActionsController(scope.VolumeController):
    """Dispatches a volume action body to the handler of the action it names."""

    def _actions(self) -> dict[str, Action]:
        return {'os-extend': self.extend, 'os-set_bootable': self.set_bootable,
                'os-retype': self.retype,
                **admin_actions.handlers(self._services, self.authorizer),
                **image_actions.handlers(self._services, self.authorizer),
                **attach_actions.AttachActions(self._services, self.authorizer).handlers()}

    def action(self, req: wsgi.Request, project_id: str, volume_id: str) -> webob.Response:
        body = req.read_json()
        if not isinstance(body, dict) or len(body) != 1:
            raise exception.InvalidInput(field='action',
                                         reason='the body must name exactly one action')
        (name,) = body
        handler = self._actions().get(name)
        if name == 'revert' and versions.at_least(req, changes.REVERT_TO_SNAPSHOT):
            handler = self.revert
        if name == 'os-reimage' and versions.at_least(req, changes.VOLUME_REIMAGE):
            handler = reimage_action.VolumeReimageAction(self._services,
                                                         self.authorizer).reimage
        if handler is None:
            # A missing volume is a 404 before the action is judged, as in cinder.
            ctx = self._context(req, project_id, policies.GET)
            self._services.volumes.get_volume(ctx, volume_id)
            raise exception.InvalidInput(field=str(name)[:64],
                                         reason='this volume action is not supported')
        return handler(req, project_id, volume_id, body)

    def extend(self, req: wsgi.Request, project_id: str, volume_id: str,
               body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.EXTEND)
        validation.validate(EXTEND, body)
        new_size = body['os-extend']['new_size']
        self._services.volumes.copies.extend(ctx, volume_id, int(new_size))
        return wsgi.json_response(202)

    def revert(self, req: wsgi.Request, project_id: str, volume_id: str,
               body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.REVERT)
        validation.validate(REVERT, body)
        self._services.volumes.reverts.revert(ctx, volume_id, body['revert']['snapshot_id'])
        return wsgi.json_response(202)

    def retype(self, req: wsgi.Request, project_id: str, volume_id: str,
               body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.RETYPE)
        validation.validate(RETYPE, body)
        self._services.volumes.types.retype(ctx, volume_id, body['os-retype']['new_type'])
        return wsgi.json_response(202)

    def set_bootable(self, req: wsgi.Request, project_id: str, volume_id: str,
                     body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.UPDATE)
        validation.validate(schemas.ACTION, body)
        flag = body['os-set_bootable']['bootable']
        bootable = flag in (True, 'true', 'True', '1', 't', 'yes', 'y', 'on')
        self._services.volumes.set_bootable(ctx, volume_id, bootable)
        return wsgi.json_response(200)


def empty_id(req: wsgi.Request, project_id: str) -> webob.Response:
    """A member path with an empty id (``DELETE /volumes/``): 404, as cinder."""
    raise exception.NotFound(f'The resource could not be found: {req.path_info}',
                             resource='Volume', id='')


def routes(actions: VolumeActionsController) -> list[routing.Route]:
    return [('POST', '/volumes/{volume_id}/action', actions.action),
            ('PUT', '/volumes', empty_id), ('DELETE', '/volumes', empty_id)]
