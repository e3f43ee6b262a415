"""A local HTTP server for Tempest's ``[image] http_image``: the web-download
import tests fetch an image from a URL, and the test machine has no internet."""

from __future__ import annotations

import http.server
import threading

from tempest_harness import seed

PATH = '/tempest-http-image.img'


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802  (http.server's name)
        if self.path != PATH:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header('Content-Type', 'application/octet-stream')
        self.send_header('Content-Length', str(len(seed.IMAGE_BYTES)))
        self.end_headers()
        self.wfile.write(seed.IMAGE_BYTES)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # quiet: Tempest's own log says what it fetched


class ImageServer:
    """Serves the seed image bytes at ``url`` on a free port until ``stop``."""

    def __init__(self) -> None:
        self._server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
        self.port: int = self._server.server_address[1]
        self.url = f'http://127.0.0.1:{self.port}{PATH}'
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name='tempest-http-image', daemon=True)

    def start(self) -> ImageServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
