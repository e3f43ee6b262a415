"""The block storage API over HTTP (the methods of :class:`protocols.VolumeClient`)."""

from __future__ import annotations

from typing import Any, cast

from nova_lite.clients import http_base, payloads
from nova_lite.common import context as nl_context
from nova_lite.common import exception

VOLUME_MICROVERSION = 'volume latest'  # the attachments API needs 3.27 or later


def _attachment(body: dict[str, Any]) -> payloads.Attachment:
    """A cinder attachment body in the shape the volume manager returns."""
    return cast(payloads.Attachment, {
        'id': body['id'], 'volume_id': body.get('volume_id'),
        'instance_id': body.get('instance_id', body.get('instance')),
        'attach_status': body.get('attach_status', body.get('status')),
        'attached_host': body.get('attached_host'), 'mountpoint': body.get('mountpoint'),
        'connection_info': body.get('connection_info')})


class VolumeClient(http_base.RestClient):
    service_type = 'block-storage'
    service_name = 'block storage'
    default_headers = {'OpenStack-API-Version': VOLUME_MICROVERSION}

    def get_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> payloads.Volume:
        return cast(payloads.Volume, self._json(ctx, 'GET', f'/volumes/{volume_id}')['volume'])

    def reserve_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                       instance_id: str) -> payloads.Attachment:
        body = {'attachment': {'volume_uuid': volume_id, 'instance_uuid': instance_id}}
        return _attachment(self._json(ctx, 'POST', '/attachments', json=body)['attachment'])

    def attach_volume(self, ctx: nl_context.RequestContext, attachment_id: str, host: str,
                      mountpoint: str) -> payloads.ConnectionInfo:
        """Export the reserved volume to ``host``; returns its connection info."""
        body = {'attachment': {'connector': {'host': host, 'mountpoint': mountpoint}}}
        attachment = self._json(ctx, 'PUT', f'/attachments/{attachment_id}',
                                json=body)['attachment']
        info = attachment.get('connection_info')
        if not isinstance(info, dict):
            raise exception.NovaLiteError(
                f'attachment {attachment_id} came back without connection info')
        return cast(payloads.ConnectionInfo, info)

    def mark_attached(self, ctx: nl_context.RequestContext, attachment_id: str,
                      mountpoint: str) -> None:
        """A connector without a host: attached, no export (a shelved server's volume)."""
        body = {'attachment': {'connector': {'mountpoint': mountpoint}}}
        self._json(ctx, 'PUT', f'/attachments/{attachment_id}', json=body)

    def detach_volume(self, ctx: nl_context.RequestContext, attachment_id: str) -> None:
        try:
            self._request(ctx, 'DELETE', f'/attachments/{attachment_id}')
        except exception.NotFound:
            pass

    def list_attachments(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[payloads.Attachment]:
        params = {key: value for key, value in filters.items() if value is not None}
        body = self._json(ctx, 'GET', '/attachments', params=params)
        return [_attachment(item) for item in body['attachments']]

    def list_volumes(self, ctx: nl_context.RequestContext) -> list[payloads.Volume]:
        return cast(list[payloads.Volume], self._json(ctx, 'GET', '/volumes/detail')['volumes'])

    def create_volume(self, ctx: nl_context.RequestContext, *, size: int,
                      name: str | None = None, description: str | None = None,
                      metadata: dict[str, str] | None = None,
                      availability_zone: str | None = None,
                      volume_type: str | None = None,
                      image_id: str | None = None) -> payloads.Volume:
        fields = {'size': size, 'name': name, 'description': description,
                  'metadata': metadata, 'availability_zone': availability_zone,
                  'volume_type': volume_type, 'imageRef': image_id}
        body = {'volume': {key: value for key, value in fields.items() if value is not None}}
        return cast(payloads.Volume, self._json(ctx, 'POST', '/volumes', json=body)['volume'])

    def delete_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        self._request(ctx, 'DELETE', f'/volumes/{volume_id}')

    def list_snapshots(self, ctx: nl_context.RequestContext) -> list[payloads.Snapshot]:
        return cast(list[payloads.Snapshot],
                    self._json(ctx, 'GET', '/snapshots/detail')['snapshots'])

    def get_snapshot(self, ctx: nl_context.RequestContext,
                     snapshot_id: str) -> payloads.Snapshot:
        return cast(payloads.Snapshot,
                    self._json(ctx, 'GET', f'/snapshots/{snapshot_id}')['snapshot'])

    def create_snapshot(self, ctx: nl_context.RequestContext, volume_id: str, *,
                        name: str | None = None, description: str | None = None,
                        force: bool = False) -> payloads.Snapshot:
        body = {'snapshot': {'volume_id': volume_id, 'name': name,
                             'description': description, 'force': force}}
        return cast(payloads.Snapshot,
                    self._json(ctx, 'POST', '/snapshots', json=body)['snapshot'])

    def delete_snapshot(self, ctx: nl_context.RequestContext, snapshot_id: str) -> None:
        self._request(ctx, 'DELETE', f'/snapshots/{snapshot_id}')

    def create_volume_from_snapshot(self, ctx: nl_context.RequestContext, snapshot_id: str, *,
                                    size: int | None = None, name: str | None = None,
                                    description: str | None = None,
                                    metadata: dict[str, str] | None = None,
                                    availability_zone: str | None = None,
                                    volume_type: str | None = None) -> payloads.Volume:
        fields = {'snapshot_id': snapshot_id, 'size': size, 'name': name,
                  'description': description, 'metadata': metadata,
                  'availability_zone': availability_zone, 'volume_type': volume_type}
        body = {'volume': {key: value for key, value in fields.items() if value is not None}}
        return cast(payloads.Volume, self._json(ctx, 'POST', '/volumes', json=body)['volume'])
