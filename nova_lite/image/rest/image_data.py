"""``/v2/images/{image_id}/file``: image bytes in and out, streamed.

Uploads are read from the request body in chunks (Content-Length or chunked
transfer encoding) and handed to the manager as they arrive, so no image is
ever held in memory; ``[image] image_size_cap`` bounds them (413), not the
JSON body limit. Downloads stream the store's chunks as the response body.

A download's integrity is checked by the manager only once the last chunk has
been read, after the 200 status is already sent. So the last chunk is held
back until the check passes: on a mismatch it is never sent, the error is
logged and raised into the WSGI server, which drops the connection, and the
client sees a body shorter than its Content-Length.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import BinaryIO

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus
from nova_lite.image.rest import base, policies

LOG = logging.getLogger(__name__)

DATA_MEDIA_TYPE = 'application/octet-stream'
CHUNK_SIZE = 64 * 1024
STORE_HEADER = 'X-Image-Meta-Store'


class MediaTypeRequired(wsgi.UnsupportedMediaType):
    msg_fmt = 'Content type %(content_type)s is not supported; send %(expected)s.'


def _body_stream(req: wsgi.Request) -> BinaryIO:
    """The request body; a chunked body even where the server did not flag it readable."""
    if (req.content_length is None and not req.is_body_readable
            and 'chunked' in req.headers.get('Transfer-Encoding', '').lower()):
        return req.body_file_raw
    return req.body_file


def body_chunks(req: wsgi.Request, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """The request body in chunks; InvalidInput if it ends before its Content-Length."""
    stream = _body_stream(req)
    expected = req.content_length
    received = 0
    while True:
        try:
            chunk = stream.read(chunk_size)
        except (OSError, ValueError) as exc:
            raise exception.InvalidInput(
                field='data', reason=f'the request body could not be read: {exc}') from None
        if not chunk:
            break
        received += len(chunk)
        yield chunk
    if expected is not None and received < expected:
        raise exception.InvalidInput(
            field='data', reason=f'the body ended after {received} of {expected} bytes')


def held_back(image_id: str, first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    """``first`` then ``rest``, each chunk sent only once the next one (or the end) is read."""
    held = first
    try:
        for chunk in rest:
            if held:
                yield held
            held = chunk
    except Exception as exc:
        reason = exc.message if isinstance(exc, exception.NovaLiteError) else repr(exc)
        LOG.error('Aborting the download of image %s: %s', image_id, reason)
        raise
    finally:
        close = getattr(rest, 'close', None)
        if close is not None:
            close()
    if held:
        yield held


class ImageDataController(base.ImageController):
    """Upload and download of image bytes."""

    def routes(self) -> list[routing.Route]:
        return [('PUT', '/v2/images/{image_id}/file', self.upload),
                ('GET', '/v2/images/{image_id}/file', self.download)]

    def upload(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        content_type = (req.content_type or '').lower()
        if content_type != DATA_MEDIA_TYPE:
            raise MediaTypeRequired(content_type=content_type or '(none)',
                                    expected=DATA_MEDIA_TYPE)
        image = self._owned_image(ctx, image_id, policies.UPLOAD_IMAGE)
        size_cap = self._conf.image.image_size_cap
        if req.content_length is not None and req.content_length > size_cap:
            raise exception.OverLimit(
                reason=f'image data exceeds the size cap of {size_cap} bytes')
        self._images.upload_image(ctx, image['id'], body_chunks(req),
                                  req.headers.get(STORE_HEADER) or None)
        return wsgi.json_response(204)

    def download(self, req: wsgi.Request, image_id: str) -> webob.Response:
        ctx = req.context
        image = self._owned_image(ctx, image_id, policies.DOWNLOAD_IMAGE)
        if image['status'] not in (ImageStatus.ACTIVE, ImageStatus.DEACTIVATED):
            return wsgi.json_response(204)  # glance: no data (yet) is No Content
        chunks = self._images.download_image(ctx, image['id'])
        first = next(chunks, b'')  # a store that fails at once still gets a proper fault
        response = webob.Response(status=200, app_iter=held_back(image['id'], first, chunks),
                                  content_type=DATA_MEDIA_TYPE,
                                  content_length=image['size'])
        if image['checksum']:
            response.headers['Content-MD5'] = image['checksum']
        return response
