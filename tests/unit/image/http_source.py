"""A local HTTP server in a thread: the source of the web-download tests.

Paths: ``/image`` (the data, with a Content-Length), ``/stream`` (the data with
no Content-Length, the end being the connection's close), ``/missing`` (404),
``/redirect`` (302 to ``/image``), ``/redirect-away`` (302 to a URI on port 1,
which the filtering refuses), ``/slow`` (headers, then silence for 3 s),
``/truncated`` (half the data, then the connection closed early).
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pytest


class HttpSource:
    """The server's base URL and the bytes it serves (``data``, changeable)."""

    def __init__(self, server: http.server.ThreadingHTTPServer, data: bytes) -> None:
        self.server = server
        self.data = data
        self.port = int(server.server_address[1])
        self.requests: list[str] = []
        self.accept_encodings: list[str | None] = []

    def url(self, path: str) -> str:
        return f'http://127.0.0.1:{self.port}{path}'


def _handler(source_ref: list[HttpSource]) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            source = source_ref[0]
            source.requests.append(self.path)
            source.accept_encodings.append(self.headers.get('Accept-Encoding'))
            if self.path == '/image':
                self.send_response(200)
                self.send_header('Content-Length', str(len(source.data)))
                self.end_headers()
                self.wfile.write(source.data)
            elif self.path == '/stream':
                self.send_response(200)
                self.end_headers()
                for start in range(0, len(source.data), 4096):
                    self.wfile.write(source.data[start:start + 4096])
            elif self.path in ('/redirect', '/redirect-away'):
                target = '/image' if self.path == '/redirect' else 'http://127.0.0.1:1/x'
                self.send_response(302)
                self.send_header('Location', target)
                self.send_header('Content-Length', '0')
                self.end_headers()
            elif self.path == '/truncated':
                self.send_response(200)
                self.send_header('Content-Length', str(len(source.data)))
                self.end_headers()
                self.wfile.write(source.data[:len(source.data) // 2])
            elif self.path == '/slow':
                self.send_response(200)
                self.send_header('Content-Length', str(len(source.data)))
                self.end_headers()
                self.wfile.flush()
                time.sleep(3)
            else:
                self.send_error(404)

    return Handler


@pytest.fixture
def http_source() -> Iterator[HttpSource]:
    holder: list[HttpSource] = []
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _handler(holder))
    server.daemon_threads = True
    holder.append(HttpSource(server, b''))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder[0]
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
