"""A threaded WSGI server for the REST APIs, on cheroot.

Why cheroot: oslo.service's ``wsgi`` module serves through eventlet, and
nova_lite runs oslo.service on its threading backend with no eventlet at all.
cheroot (the server under CherryPy) is a pure-Python HTTP/1.1 server with a
worker-thread pool, keep-alive and chunked request bodies, and a ``stop()``
that closes the listening socket first and then lets the worker threads
finish the requests they are serving: exactly the graceful stop a daemon needs
on SIGTERM.

How cheroot serves: one selector thread accepts connections and watches the
idle keep-alive ones; a connection with a request ready goes to the pool of
``threads`` workers (a queue, never refused), and back to the selector after
the response. So an idle keep-alive client costs a socket, not a thread.
Three cheroot defaults are too small for many clients and are options here:
the listen ``backlog`` (cheroot: 5; a burst of connects beyond it is dropped
or reset by the kernel), ``keepalive_connections``, the idle keep-alive
connections kept open (cheroot: 10; past it every response says
``Connection: close``, and 32 polling clients reconnect on every other
request), and ``client_timeout`` (cheroot: 10 s), after which an idle
keep-alive connection is closed (a client sending on it just then reads a
reset).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from cheroot import wsgi as cheroot_wsgi

LOG = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


DEFAULT_BACKLOG = 1024
DEFAULT_KEEPALIVE_CONNECTIONS = 1000
DEFAULT_CLIENT_TIMEOUT = 60


class WSGIServer:
    """One REST API served by a pool of ``threads`` worker threads.

    ``port`` 0 binds a free port; :attr:`port` is the bound one once
    :meth:`start` returned. ``backlog`` is the listen queue,
    ``keepalive_connections`` the idle keep-alive connections kept open and
    ``client_timeout`` the seconds a connection may stay idle (or take to send
    its request).
    """

    def __init__(self, name: str, app: WSGIApp, host: str, port: int, threads: int = 16, *,
                 shutdown_timeout: float = 30.0, backlog: int = DEFAULT_BACKLOG,
                 keepalive_connections: int = DEFAULT_KEEPALIVE_CONNECTIONS,
                 client_timeout: int = DEFAULT_CLIENT_TIMEOUT) -> None:
        self.name = name
        self.host = host
        self._requested_port = port
        self._shutdown_timeout = shutdown_timeout
        self._server = cheroot_wsgi.Server((host, port), app, numthreads=threads,
                                           server_name=name, request_queue_size=backlog,
                                           timeout=client_timeout,
                                           shutdown_timeout=int(shutdown_timeout))
        self._server.keep_alive_conn_limit = keepalive_connections
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()

    @property
    def port(self) -> int:
        """The bound port (the requested one until the server started)."""
        address = self._server.bind_addr
        return int(address[1]) if isinstance(address, tuple) else self._requested_port

    @property
    def url(self) -> str:
        host = f'[{self.host}]' if ':' in self.host else self.host
        return f'http://{host}:{self.port}'

    def start(self) -> None:
        """Bind and listen (errors such as a port in use raise here), then serve."""
        self._server.prepare()
        self._thread = threading.Thread(target=self._serve, name=f'wsgi-{self.name}',
                                        daemon=True)
        self._thread.start()
        LOG.info('%s API listening on %s:%d', self.name, self.host, self.port)

    def _serve(self) -> None:
        try:
            self._server.serve()
        except Exception:
            LOG.exception('%s API server failed', self.name)
        finally:
            self._stopped.set()

    def stop(self, timeout: float | None = None) -> bool:
        """Stop accepting connections and let the requests in flight finish.

        Waits at most ``timeout`` seconds (default: the server's shutdown
        timeout) for them; True when every worker finished in time.
        """
        if self._thread is None:
            return True
        limit = self._shutdown_timeout if timeout is None else timeout
        self._server.shutdown_timeout = limit
        LOG.info('Stopping the %s API (waiting up to %ss for requests in flight)',
                 self.name, limit)
        stopper = threading.Thread(target=self._server.stop, name=f'wsgi-stop-{self.name}',
                                   daemon=True)
        stopper.start()
        # cheroot waits shutdown_timeout, then closes the sockets of workers still
        # busy and joins them without limit: bound that join too.
        stopper.join(limit + 1.0)
        finished = not stopper.is_alive()
        if not finished:
            LOG.warning('%s API: requests still running after %ss; giving up on them',
                        self.name, limit)
        return finished

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the server stopped serving; True if it did within ``timeout``."""
        if self._thread is None:
            return True
        return self._stopped.wait(timeout)
