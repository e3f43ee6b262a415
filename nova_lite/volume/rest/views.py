"""The block storage API's reply bodies, built from the volume manager's dicts."""

from __future__ import annotations

import uuid
from typing import Any

from nova_lite.volume import types
from nova_lite.volume.rest import version_changes as changes

DEFAULT_TYPE_NAME = types.DEFAULT_TYPE_NAME
DEFAULT_TYPE_ID = types.DEFAULT_TYPE_ID


class VolumeViews:
    """Shapes volumes for one API endpoint (``public_url``, e.g. http://h:8776)."""

    def __init__(self, public_url: str, backend_host: str) -> None:
        self._base = public_url.rstrip('/')
        self._backend_host = backend_host
        # The cinder-volume service's id, stable for a host (3.48's service_uuid).
        self.service_uuid = str(uuid.uuid5(uuid.NAMESPACE_URL, backend_host))

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
               show_admin_fields: bool, version: changes.Version = (3, 0),
               volume_type_id: str | None = None) -> dict[str, Any]:
        """The full cinder volume body at ``version``; admin-only fields when allowed."""
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
        body.pop('group_id', None)
        self._add_versioned(body, volume, version, show_admin_fields, volume_type_id)
        return body

    def _add_versioned(self, body: dict[str, Any], volume: dict[str, Any],
                       version: changes.Version, show_admin_fields: bool,
                       volume_type_id: str | None) -> None:
        """The fields later microversions add (see version_changes)."""
        if version >= changes.VOLUME_GROUP_ID:
            body['group_id'] = volume.get('group_id')
        if version >= changes.VOLUME_PROVIDER_ID and show_admin_fields:
            body['provider_id'] = None
        if version >= changes.VOLUME_SHARED_TARGETS:
            body['shared_targets'] = False
            body['service_uuid'] = self.service_uuid
        if version >= changes.VOLUME_CLUSTER_NAME and show_admin_fields:
            body['cluster_name'] = None
        if version >= changes.VOLUME_TYPE_ID:
            body['volume_type_id'] = volume_type_id or DEFAULT_TYPE_ID
        if version >= changes.VOLUME_ENCRYPTION_KEY_ID:
            body['encryption_key_id'] = None
        if version >= changes.CONSUMES_QUOTA:
            body['consumes_quota'] = True
