"""The block storage API's reply bodies, built from the volume manager's dicts."""

from __future__ import annotations

from typing import Any

from nova_lite.volume import types

DEFAULT_TYPE_NAME = types.DEFAULT_TYPE_NAME
DEFAULT_TYPE_ID = types.DEFAULT_TYPE_ID


class VolumeViews:
    """Shapes volumes for one API endpoint (``public_url``, e.g. http://h:8776)."""

    def __init__(self, public_url: str, backend_host: str) -> None:
        self._base = public_url.rstrip('/')
        self._backend_host = backend_host

    def volume_url(self, project_id: str, volume_id: str | None = None) -> str:
        url = f'{self._base}/v3/{project_id}/volumes'
        return f'{url}/{volume_id}' if volume_id else url

    def links(self, project_id: str, volume_id: str) -> list[dict[str, str]]:
        return [{'rel': 'self', 'href': self.volume_url(project_id, volume_id)},
                {'rel': 'bookmark',
                 'href': f'{self._base}/{project_id}/volumes/{volume_id}'}]

    def summary(self, volume: dict[str, Any], project_id: str) -> dict[str, Any]:
        """The ``GET /volumes`` entry: id, name and links."""
        return {'id': volume['id'], 'name': volume['name'],
                'links': self.links(project_id, volume['id'])}

    def detail(self, volume: dict[str, Any], project_id: str, *,
               show_admin_fields: bool) -> dict[str, Any]:
        """The full cinder v3.0 volume body; admin-only fields when allowed."""
        body = dict(volume)
        body['links'] = self.links(project_id, volume['id'])
        body['volume_type'] = volume.get('volume_type') or DEFAULT_TYPE_NAME
        body['attachments'] = list(volume.get('attachments') or [])
        # The visible admin metadata (readonly, attached_mode) joins the metadata.
        body['metadata'] = {**(volume.get('metadata') or {}),
                            **(body.pop('admin_metadata', None) or {})}
        migration_status = body.pop('migration_status', None)
        if show_admin_fields:
            body['os-vol-host-attr:host'] = self._backend_host
            body['os-vol-mig-status-attr:migstat'] = migration_status
            body['os-vol-mig-status-attr:name_id'] = None
            body['migration_status'] = migration_status
        return body
