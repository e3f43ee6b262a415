"""The cheroot WSGI server: serves on a free port, stops gracefully."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import requests

from nova_lite.api import server as wsgi_server


def _app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    path = environ['PATH_INFO']
    if path == '/slow':
        time.sleep(float(environ.get('QUERY_STRING') or 1.0))
    body = f'hello {path}'.encode()
    start_response('200 OK', [('Content-Type', 'text/plain'),
                              ('Content-Length', str(len(body)))])
    return [body]


@pytest.fixture
def server() -> Iterator[wsgi_server.WSGIServer]:
    srv = wsgi_server.WSGIServer('test', _app, '127.0.0.1', 0, threads=4,
                                 shutdown_timeout=10)
    srv.start()
    yield srv
    srv.stop()


def test_serves_on_a_free_port(server: wsgi_server.WSGIServer) -> None:
    assert server.port > 0
    response = requests.get(f'{server.url}/ping', timeout=5)
    assert response.status_code == 200
    assert response.text == 'hello /ping'


def test_stop_lets_a_request_in_flight_finish(server: wsgi_server.WSGIServer) -> None:
    result: dict[str, Any] = {}

    def slow() -> None:
        response = requests.get(f'{server.url}/slow?1.0', timeout=10)
        result['status'], result['text'] = response.status_code, response.text

    client = threading.Thread(target=slow)
    client.start()
    time.sleep(0.3)  # the request is being served
    started = time.monotonic()
    assert server.stop() is True
    assert time.monotonic() - started >= 0.5  # stop waited for the request
    client.join(5)
    assert result == {'status': 200, 'text': 'hello /slow'}
    assert server.wait(1)
    with pytest.raises(OSError):
        socket.create_connection(('127.0.0.1', server.port), timeout=1).close()


def test_stop_gives_up_after_its_timeout() -> None:
    srv = wsgi_server.WSGIServer('test', _app, '127.0.0.1', 0, threads=2)
    srv.start()
    client = threading.Thread(
        target=lambda: _quietly(lambda: requests.get(f'{srv.url}/slow?3', timeout=10)))
    client.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert srv.stop(timeout=0.5) is False
    assert time.monotonic() - started < 2.5
    client.join(5)


def test_port_in_use_raises_at_start(server: wsgi_server.WSGIServer) -> None:
    other = wsgi_server.WSGIServer('other', _app, '127.0.0.1', server.port)
    with pytest.raises(OSError):
        other.start()


def _quietly(call: Callable[[], Any]) -> None:
    try:
        call()
    except requests.RequestException:
        pass
