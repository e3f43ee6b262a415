"""A fake identity API and remote image service in one local HTTP server (a thread).

``GET /v3/auth/tokens`` answers the token's body with a catalog whose ``image``
service has one endpoint (``RemoteGlance.region``, ``public``) pointing back at
this server; ``GET /v2/images/{id}`` answers ``RemoteGlance.images[id]`` and
``GET /v2/images/{id}/file`` its data (``RemoteGlance.data[id]``), either only
with the token ``TOKEN`` (401 otherwise). ``RemoteGlance.truncate`` makes the
file answer stop halfway.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest

TOKEN = 'remote-test-token'


class RemoteGlance:
    """The server's state: images, their data, and what it was asked."""

    def __init__(self, server: http.server.ThreadingHTTPServer) -> None:
        self.port = int(server.server_address[1])
        self.region = 'RegionTwo'
        self.images: dict[str, dict[str, Any]] = {}
        self.data: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.truncate = False

    @property
    def url(self) -> str:
        return f'http://127.0.0.1:{self.port}'

    def add(self, image_id: str, data: bytes, **properties: Any) -> None:
        self.data[image_id] = data
        self.images[image_id] = {
            'id': image_id, 'status': 'active', 'disk_format': 'raw',
            'container_format': 'bare', 'size': len(data), 'os_hash_algo': 'sha512',
            'os_hash_value': hashlib.sha512(data).hexdigest(), 'visibility': 'private',
            **properties}

    def token_body(self) -> dict[str, Any]:
        return {'token': {
            'methods': ['password'], 'expires_at': '2999-01-01T00:00:00.000000Z',
            'issued_at': '2020-01-01T00:00:00.000000Z',
            'user': {'id': 'member-user', 'name': 'member', 'domain': {'id': 'default'}},
            'project': {'id': 'project-a', 'name': 'a', 'domain': {'id': 'default'}},
            'roles': [{'id': 'r1', 'name': 'member'}],
            'catalog': [{'type': 'image', 'name': 'glance', 'id': 'svc', 'endpoints': [
                {'id': 'e1', 'interface': 'public', 'region': self.region,
                 'region_id': self.region, 'url': self.url}]}]}}


def _handler(holder: list[RemoteGlance]) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def _json(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            remote = holder[0]
            remote.requests.append(self.path)
            if self.headers.get('X-Auth-Token') != TOKEN:
                self._json(401, {'error': {'message': 'bad token'}})
                return
            parts = self.path.strip('/').split('/')
            if self.path == '/v3/auth/tokens':
                self._json(200, remote.token_body())
            elif parts[:2] == ['v2', 'images'] and len(parts) == 3 \
                    and parts[2] in remote.images:
                self._json(200, remote.images[parts[2]])
            elif parts[:2] == ['v2', 'images'] and parts[3:] == ['file'] \
                    and parts[2] in remote.data:
                data = remote.data[parts[2]]
                self.send_response(200)
                self.send_header('Content-Type', 'application/octet-stream')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data[:len(data) // 2] if remote.truncate else data)
            else:
                self._json(404, {'error': {'message': 'not found'}})

    return Handler


@pytest.fixture
def remote_glance() -> Iterator[RemoteGlance]:
    holder: list[RemoteGlance] = []
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _handler(holder))
    server.daemon_threads = True
    holder.append(RemoteGlance(server))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder[0]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
