"""Image bytes: streamed upload (chunked or Content-Length), streamed download, size cap."""

from __future__ import annotations

import hashlib
import io
import logging
import os
from typing import Any

import pytest
import webob

from nova_lite.common import exception
from tests.unit.image_rest.conftest import ImageApi

OCTETS = 'application/octet-stream'


class CountingSource(io.RawIOBase):
    """A body produced on demand, remembering how much each read asked for."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._offset = 0
        self.requests: list[int] = []

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        self.requests.append(size)
        end = len(self._data) if size < 0 else self._offset + size
        chunk = self._data[self._offset:end]
        self._offset += len(chunk)
        return chunk


def _upload_request(api: ImageApi, image_id: str, source: Any, *,
                    content_length: int | None = None) -> webob.Request:
    req = webob.Request.blank(f'/v2/images/{image_id}/file', method='PUT',
                              headers={'X-Auth-Token': api.token, 'Content-Type': OCTETS,
                                       'Transfer-Encoding': 'chunked'})
    req.body_file = source
    if content_length is not None:
        req.content_length = content_length
        del req.headers['Transfer-Encoding']
    return req


def _data(size: int) -> bytes:
    return (os.urandom(1024) * (size // 1024 + 1))[:size]


def test_chunked_upload_streams_and_activates(api: ImageApi) -> None:
    image = api.create(name='streamed')
    data = _data(300 * 1024 + 17)
    source = CountingSource(data)
    resp = _upload_request(api, image['id'], source).get_response(api.app)
    assert resp.status_int == 204, resp.text
    assert len(source.requests) > 4 and 0 < max(source.requests) <= 64 * 1024

    active = api.call('GET', f'/v2/images/{image["id"]}').json
    assert active['status'] == 'active'
    assert active['size'] == len(data)
    assert active['checksum'] == hashlib.md5(data, usedforsecurity=False).hexdigest()
    assert active['os_hash_algo'] == 'sha512'
    assert active['os_hash_value'] == hashlib.sha512(data).hexdigest()

    again = api.call('PUT', f'/v2/images/{image["id"]}/file', body=b'x', content_type=OCTETS)
    assert again.status_int == 409


def test_download_streams_identical_bytes(api: ImageApi) -> None:
    image = api.create(name='round-trip')
    data = _data(200 * 1024 + 5)
    resp = api.call('PUT', f'/v2/images/{image["id"]}/file', body=data, content_type=OCTETS)
    assert resp.status_int == 204, resp.text

    req = webob.Request.blank(f'/v2/images/{image["id"]}/file',
                              headers={'X-Auth-Token': api.token})
    started: list[Any] = []
    chunks = list(api.app(req.environ, lambda status, headers, *a: started.append(
        (status, dict(headers)))))
    status, headers = started[0]
    assert status == '200 OK'
    assert len(chunks) > 1  # streamed, not one buffered body
    assert b''.join(chunks) == data
    assert headers['Content-Type'] == OCTETS
    assert headers['Content-Length'] == str(len(data))
    assert headers['Content-MD5'] == hashlib.md5(data, usedforsecurity=False).hexdigest()


def test_download_without_data_is_no_content(api: ImageApi) -> None:
    image = api.create(name='empty')
    resp = api.call('GET', f'/v2/images/{image["id"]}/file')
    assert resp.status_int == 204 and resp.body == b''
    assert api.call('GET', '/v2/images/nope/file').status_int == 404


def test_corrupt_data_truncates_the_stream(api: ImageApi,
                                           caplog: pytest.LogCaptureFixture) -> None:
    image = api.create(name='rotting')
    data = _data(200 * 1024)
    api.call('PUT', f'/v2/images/{image["id"]}/file', body=data, content_type=OCTETS)
    path = api.env.cloud.images.get_location(api.env.ctx, image['id'])[len('file://'):]
    with open(path, 'r+b') as stored:
        stored.seek(len(data) - 1)
        stored.write(bytes([data[-1] ^ 0xFF]))

    req = webob.Request.blank(f'/v2/images/{image["id"]}/file',
                              headers={'X-Auth-Token': api.token})
    statuses: list[str] = []
    received = b''
    with caplog.at_level(logging.ERROR), pytest.raises(exception.ImageCorrupt):
        for chunk in api.app(req.environ, lambda status, *a: statuses.append(status)):
            received += chunk
    assert statuses == ['200 OK']
    assert 0 < len(received) < len(data)
    assert received == data[:len(received)]
    assert f'Aborting the download of image {image["id"]}' in caplog.text

    os.remove(path)  # data gone before the first byte: a proper fault instead
    resp = api.call('GET', f'/v2/images/{image["id"]}/file')
    assert resp.status_int == 500 and 'failed verification' in resp.text


def test_size_cap_is_read_at_call_time(api: ImageApi) -> None:
    conf = api.env.cloud.conf
    conf.set_override('image_size_cap', 1000, group='image')
    declared = api.create(name='declared-too-big')
    resp = api.call('PUT', f'/v2/images/{declared["id"]}/file', body=b'x' * 1001,
                    content_type=OCTETS)
    assert resp.status_int == 413, resp.text
    assert resp.text.startswith('413 Request Entity Too Large')
    # Refused from Content-Length alone: nothing changed.
    assert api.call('GET', f'/v2/images/{declared["id"]}').json == declared

    streamed = api.create(name='streamed-too-big')
    resp = _upload_request(api, streamed['id'], CountingSource(b'y' * 1500)).get_response(
        api.app)
    assert resp.status_int == 413
    # Found out while streaming: the manager marks the failed upload killed.
    after = api.call('GET', f'/v2/images/{streamed["id"]}').json
    assert after['status'] == 'killed' and after['size'] is None

    ok = api.create(name='fits')
    resp = api.call('PUT', f'/v2/images/{ok["id"]}/file', body=b'z' * 1000,
                    content_type=OCTETS)
    assert resp.status_int == 204


def test_upload_refusals(api: ImageApi) -> None:
    image = api.create(name='refusals')
    path = f'/v2/images/{image["id"]}/file'
    resp = api.call('PUT', path, body=b'abc')
    assert resp.status_int == 415 and f'send {OCTETS}' in resp.text
    assert api.call('PUT', path, body=b'abc', content_type='application/json').status_int \
        == 415
    no_format = api.call('POST', '/v2/images', json_body={'name': 'bare'}).json
    resp = api.call('PUT', f'/v2/images/{no_format["id"]}/file', body=b'abc',
                    content_type=OCTETS)
    assert resp.status_int == 400 and 'disk_format' in resp.text
    assert api.call('GET', f'/v2/images/{no_format["id"]}').json['status'] == 'queued'
    assert api.call('PUT', path, body=b'abc', content_type=OCTETS, token='bogus') \
        .status_int == 401
    assert api.call('GET', f'/v2/images/{image["id"]}').json == image

    short = _upload_request(api, image['id'], io.BytesIO(b'a' * 50), content_length=100)
    resp = short.get_response(api.app)
    assert resp.status_int == 400 and 'disconnected' in resp.text
