"""Turns the headers the auth middleware set into a RequestContext.

The context also carries the request ids the request id middleware put in
the environ (:mod:`nova_lite.api.request_id`), and is the thread's current
context (oslo.context's) while the request is handled, so that oslo.log
prints those ids on each log line of the request. A request without a
confirmed token gets a context of its ids alone, for its log lines only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from nova_lite.api import wsgi
from nova_lite.common import context as nl_context

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ContextMiddleware:
    """Builds ``environ['nova_lite.context']`` from a confirmed token's headers."""

    def __init__(self, app: WSGIApp) -> None:
        self._app = app

    def __call__(self, environ: dict[str, Any],
                 start_response: Callable[..., Any]) -> Iterable[bytes]:
        with nl_context.restoring_current():
            if environ.get('HTTP_X_IDENTITY_STATUS') == 'Confirmed':
                ctx = nl_context.RequestContext.from_environ(environ, overwrite=False)
                ctx.is_admin = 'admin' in ctx.roles
                environ[wsgi.CONTEXT_KEY] = ctx
            else:
                ctx = nl_context.RequestContext(
                    request_id=environ.get(nl_context.REQUEST_ID_ENVIRON_KEY),
                    global_request_id=environ.get(nl_context.GLOBAL_REQUEST_ID_ENVIRON_KEY),
                    overwrite=False)
            ctx.update_store()
            return self._app(environ, start_response)
