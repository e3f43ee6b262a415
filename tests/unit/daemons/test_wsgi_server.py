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



def _keepalive_rounds(clients: int, rounds: int,
                      **options: Any) -> tuple[int, int]:
    """``clients`` keep-alive sessions GET ``rounds`` times each, all connections
    open at once; (responses saying "Connection: close", connections the server saw)."""
    ports: set[str] = set()

    def recording(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        ports.add(environ['REMOTE_PORT'])
        return _app(environ, start_response)

    srv = wsgi_server.WSGIServer('test', recording, '127.0.0.1', 0, threads=2, **options)
    srv.start()
    sessions = [requests.Session() for _ in range(clients)]
    closed = 0
    try:
        for _round in range(rounds):
            for session in sessions:
                response = session.get(f'{srv.url}/ping', timeout=5)
                assert response.status_code == 200
                closed += response.headers.get('Connection', '').lower() == 'close'
    finally:
        for session in sessions:
            session.close()
        srv.stop()
    return closed, len(ports)


def test_many_keepalive_clients_keep_their_connections() -> None:
    """cheroot keeps 10 idle keep-alive connections by default; the API keeps many more."""
    assert _keepalive_rounds(40, 3) == (0, 40)


def test_the_keepalive_limit_is_an_option() -> None:
    closed, connections = _keepalive_rounds(20, 2, keepalive_connections=5, backlog=64,
                                            client_timeout=30)
    assert closed > 0 and connections > 20
