"""``os-reimage`` (microversion 3.68): write an image over a volume, as cinder does.

``{"os-reimage": {"image_id": ..., "reimage_reserved": false}}`` needs the
``volume_extension:volume_actions:reimage`` rule, and with a true
``reimage_reserved`` also ``...:reimage_reserved``; it answers 202 with no
body (see :mod:`nova_lite.volume.reimage` for the rules and what happens).
Below 3.68 the action is unknown, as any other unsupported action.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import validation, wsgi
from nova_lite.volume.rest import policies, scope

_TRUE = (True, 'true', 'True', 'TRUE', '1', 't', 'T', 'yes', 'Yes', 'y', 'Y', 'on', 'On')
_FALSE = (False, 'false', 'False', 'FALSE', '0', 'f', 'F', 'no', 'No', 'n', 'N', 'off',
          'Off')

REIMAGE: dict[str, Any] = {
    'type': 'object',
    'properties': {'os-reimage': {
        'type': 'object',
        'properties': {
            'image_id': {'type': 'string', 'pattern': validation.UUID_PATTERN},
            'reimage_reserved': {'type': ['boolean', 'string'],
                                 'enum': list(_TRUE + _FALSE)},
        },
        'required': ['image_id'],
        'additionalProperties': False,
    }},
    'required': ['os-reimage'],
    'additionalProperties': False,
}


class VolumeReimageAction(scope.VolumeController):
    """The handler of ``os-reimage``."""

    def reimage(self, req: wsgi.Request, project_id: str, volume_id: str,
                body: dict[str, Any]) -> webob.Response:
        ctx = self._context(req, project_id, policies.REIMAGE)
        validation.validate(REIMAGE, body)
        spec = body['os-reimage']
        reimage_reserved = spec.get('reimage_reserved', False) in _TRUE
        if reimage_reserved:
            self.authorizer.authorize(ctx, policies.REIMAGE_RESERVED)
        self._services.volumes.reimages.reimage(ctx, volume_id, spec['image_id'],
                                                reimage_reserved)
        return wsgi.json_response(202)
