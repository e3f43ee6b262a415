"""The image API over HTTP (the methods of :class:`protocols.ImageClient`)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, BinaryIO, cast

import requests

from nova_lite.clients import http_base, payloads
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus

DOWNLOAD_CHUNK_SIZE = 64 * 1024


class ImageClient(http_base.RestClient):
    service_type = 'image'
    service_name = 'image'

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> payloads.Image:
        return cast(payloads.Image, self._json(ctx, 'GET', f'/v2/images/{image_id}'))

    def get_location(self, ctx: nl_context.RequestContext, image_id: str) -> str:
        """The URL of an active image's data (InvalidState before it is active)."""
        image = self.get_image(ctx, image_id)
        if image.get('status') != ImageStatus.ACTIVE:
            raise exception.InvalidState(resource='Image', id=image_id,
                                         state=image.get('status'),
                                         action='reading its data', needed=ImageStatus.ACTIVE)
        return f'{self.endpoint(ctx)}/v2/images/{image["id"]}/file'

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        """Stream the bytes; ImageCorrupt after the last chunk if size or sha512 differ."""
        image = self.get_image(ctx, image_id)
        if image.get('status') != ImageStatus.ACTIVE:
            raise exception.InvalidState(resource='Image', id=image_id,
                                         state=image.get('status'), action='download',
                                         needed=ImageStatus.ACTIVE)
        response = self._request(ctx, 'GET', f'/v2/images/{image_id}/file', stream=True)
        return _verified(image, response)

    def create_image(self, ctx: nl_context.RequestContext, **fields: Any) -> payloads.Image:
        return cast(payloads.Image, self._json(ctx, 'POST', '/v2/images', json=fields))

    def upload_image(self, ctx: nl_context.RequestContext, image_id: str,
                     data: BinaryIO) -> None:
        """Stream ``data`` as the image's bytes (PUT /v2/images/{id}/file)."""
        self._request(ctx, 'PUT', f'/v2/images/{image_id}/file', data=data,
                      headers={'Content-Type': 'application/octet-stream'})

    def list_images(self, ctx: nl_context.RequestContext, *, name: str | None = None,
                    status: str | None = None,
                    properties: dict[str, str] | None = None) -> list[payloads.Image]:
        """Every visible image (with these extra properties), following ``next`` links."""
        params = {key: value for key, value in (('name', name), ('status', status))
                  if value is not None}
        params.update(properties or {})
        images: list[payloads.Image] = []
        path: str | None = '/v2/images'
        while path:
            body = self._json(ctx, 'GET', path, params=params)
            images.extend(body['images'])
            path, params = body.get('next'), {}  # next carries the query
        return images

    def update_image(self, ctx: nl_context.RequestContext, image_id: str,
                     **changes: Any) -> payloads.Image:
        """A JSON patch: replace or add each property, remove those set to None."""
        current = self.get_image(ctx, image_id)
        patch = [{'op': 'remove', 'path': f'/{key}'} if value is None else
                 {'op': 'replace' if key in current else 'add', 'path': f'/{key}',
                  'value': value}
                 for key, value in changes.items() if value is not None or key in current]
        return cast(payloads.Image, self._json(
            ctx, 'PATCH', f'/v2/images/{image_id}', json=patch,
            headers={'Content-Type': 'application/openstack-images-v2.1-json-patch'}))

    def delete_image(self, ctx: nl_context.RequestContext, image_id: str) -> None:
        self._request(ctx, 'DELETE', f'/v2/images/{image_id}')


def _verified(image: payloads.Image, response: requests.Response) -> Iterator[bytes]:
    expected_hash = image.get('os_hash_value')
    hasher = hashlib.sha512() if expected_hash else None
    size = 0
    try:
        for chunk in response.iter_content(DOWNLOAD_CHUNK_SIZE):
            if not chunk:
                continue
            size += len(chunk)
            if hasher is not None:
                hasher.update(chunk)
            yield chunk
    except requests.RequestException as exc:
        raise exception.ImageCorrupt(image_id=image['id'],
                                     reason=f'the download broke off: {exc}') from exc
    finally:
        response.close()
    if isinstance(image.get('size'), int) and image['size'] != size:
        raise exception.ImageCorrupt(image_id=image['id'],
                                     reason=f'received {size} bytes, expected {image["size"]}')
    if hasher is not None and hasher.hexdigest() != str(expected_hash).lower():
        raise exception.ImageCorrupt(image_id=image['id'],
                                     reason='sha512 of the data does not match os_hash_value')
