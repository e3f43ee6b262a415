"""Turns the headers the auth middleware set into a RequestContext."""

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
        if environ.get('HTTP_X_IDENTITY_STATUS') == 'Confirmed':
            ctx = nl_context.RequestContext.from_environ(environ, overwrite=False)
            ctx.is_admin = 'admin' in ctx.roles
            environ[wsgi.CONTEXT_KEY] = ctx
        return self._app(environ, start_response)
