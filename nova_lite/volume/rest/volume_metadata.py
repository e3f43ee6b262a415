"""``/v3/{project_id}/volumes/{volume_id}/metadata``: a volume's key/value pairs.

POST merges keys into the metadata, PUT replaces all of it (a PUT of
``.../metadata/{key}`` sets that one key), DELETE removes one key (what
``openstack volume set/unset --property`` send).
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.volume.rest import policies, schemas, scope


class VolumeMetadataController(scope.VolumeController):
    """Metadata routes, acting through the volume manager."""

    def _metadata(self, ctx: nl_context.RequestContext, volume_id: str) -> dict[str, str]:
        return dict(self._services.volumes.get_volume(ctx, volume_id)['metadata'])

    def index(self, req: wsgi.Request, project_id: str, volume_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.GET_METADATA)
        return wsgi.json_response(200, {'metadata': self._metadata(ctx, volume_id)})

    def show(self, req: wsgi.Request, project_id: str, volume_id: str,
             key: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.GET_METADATA)
        metadata = self._metadata(ctx, volume_id)
        if key not in metadata:
            raise exception.NotFound(resource='Metadata key', id=key)
        return wsgi.json_response(200, {'meta': {key: metadata[key]}})

    def _write(self, req: wsgi.Request, project_id: str, volume_id: str, *,
               merge: bool) -> webob.Response:
        ctx = self._context(req, project_id, policies.UPDATE_METADATA)
        body: dict[str, Any] = controller.read_body(req, schemas.METADATA)
        volume = self._services.volumes.update_volume(
            ctx, volume_id, {'metadata': body['metadata']}, merge_metadata=merge)
        return wsgi.json_response(200, {'metadata': volume['metadata']})

    def create(self, req: wsgi.Request, project_id: str, volume_id: str) -> webob.Response:
        return self._write(req, project_id, volume_id, merge=True)

    def replace(self, req: wsgi.Request, project_id: str, volume_id: str) -> webob.Response:
        return self._write(req, project_id, volume_id, merge=False)

    def update_item(self, req: wsgi.Request, project_id: str, volume_id: str,
                    key: str) -> webob.Response:
        """PUT one key: the body's ``meta`` must hold exactly that key (400 else)."""
        ctx = self._context(req, project_id, policies.UPDATE_METADATA)
        body: dict[str, Any] = controller.read_body(req, schemas.METADATA_ITEM)
        if list(body['meta']) != [key]:
            raise exception.InvalidInput(field='meta',
                                         reason='must hold exactly the key in the URL')
        self._services.volumes.update_volume(ctx, volume_id, {'metadata': body['meta']},
                                             merge_metadata=True)
        return wsgi.json_response(200, {'meta': {key: body['meta'][key]}})

    def delete(self, req: wsgi.Request, project_id: str, volume_id: str,
               key: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.DELETE_METADATA)
        self._services.volumes.update_volume(ctx, volume_id, {}, delete_metadata_key=key)
        return wsgi.json_response(200)
