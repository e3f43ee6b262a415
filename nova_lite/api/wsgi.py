"""A small WSGI application: routes to handlers, JSON in and out, errors as faults.

Handlers take ``(req, **path_vars)`` and return a :class:`webob.Response`
(see :func:`json_response`). Every nova_lite error becomes its 4xx/5xx fault
body; anything else is logged with its traceback and answered with a
generic 500 that reveals nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import routes
import webob
import webob.dec
import webob.exc

from nova_lite.api import faults
from nova_lite.common import context as nl_context
from nova_lite.common import exception

LOG = logging.getLogger(__name__)

CONTEXT_KEY = 'nova_lite.context'
DEFAULT_MAX_BODY = 1024 * 1024

Handler = Callable[..., webob.Response]


class Request(webob.Request):
    """A request that knows its caller (set by the auth middleware)."""

    max_body = DEFAULT_MAX_BODY

    @property
    def context(self) -> nl_context.RequestContext:
        ctx = self.environ.get(CONTEXT_KEY)
        if ctx is None:
            raise exception.NotAuthorized()
        return ctx

    def read_json(self, *, required: bool = True) -> Any:
        """The JSON body; 415 for another content type, 413 too large, 400 not JSON."""
        length = self.content_length
        if length is not None and length > self.max_body:
            raise exception.OverLimit(reason=f'request body over {self.max_body} bytes')
        raw = self.body_file.read(self.max_body + 1)
        if len(raw) > self.max_body:
            raise exception.OverLimit(reason=f'request body over {self.max_body} bytes')
        if not raw:
            if required:
                raise exception.InvalidInput(field='<body>', reason='a JSON body is required')
            return None
        content_type = (self.content_type or 'application/json').lower()
        if content_type != 'application/json' and not content_type.endswith('+json'):
            raise UnsupportedMediaType(content_type=content_type)
        try:
            return json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise exception.InvalidInput(field='<body>',
                                         reason=f'malformed JSON: {exc}') from None
        except RecursionError:
            raise exception.InvalidInput(field='<body>',
                                         reason='JSON nested too deeply') from None


class UnsupportedMediaType(exception.NovaLiteError):
    msg_fmt = 'Content type %(content_type)s is not supported; send application/json.'
    code = 415


class MethodNotAllowed(exception.NovaLiteError):
    msg_fmt = 'Method %(method)s is not allowed on %(path)s.'
    code = 405


def json_response(status: int, body: Any = None, *,
                  headers: dict[str, str] | None = None) -> webob.Response:
    response = webob.Response(status=status, headers=headers or {})
    if body is not None:
        response.content_type = 'application/json'
        response.charset = None
        response.body = json.dumps(body).encode()
    elif status == 204:
        response.content_type = None
    return response


class Router:
    """Maps (method, path) to handlers and turns errors into fault bodies."""

    def __init__(self, fault_body: faults.FaultBody, *, max_body: int = DEFAULT_MAX_BODY,
                 www_authenticate_uri: str | None = None) -> None:
        self._mapper = routes.Mapper()
        self._paths = routes.Mapper()  # every known path, any method: 405 vs 404
        self._fault_body = fault_body
        self._max_body = max_body
        self._www_authenticate = (f'Keystone uri="{www_authenticate_uri}"'
                                  if www_authenticate_uri else None)

    def add(self, method: str, path: str, handler: Handler) -> None:
        self._mapper.connect(path, handler=handler, conditions={'method': [method]})
        # Remember every path so a wrong method is 405, not 404 (in a mapper of its
        # own: here it would shadow the other methods' routes of the same path).
        self._paths.connect(path)

    def fault(self, status: int, message: str, kind: str,
              headers: dict[str, str] | None = None) -> webob.Response:
        content_type, body = self._fault_body(status, message, kind)
        headers = dict(headers or {})
        if status == 401 and self._www_authenticate:
            headers['WWW-Authenticate'] = self._www_authenticate
        response = webob.Response(status=status, headers=headers, body=body)
        response.content_type = content_type.split(';')[0]
        return response

    @webob.dec.wsgify(RequestClass=Request)
    def __call__(self, req: Request) -> webob.Response:
        req.max_body = self._max_body
        try:
            path = req.path_info.rstrip('/') or '/'
        except UnicodeDecodeError:
            return self.fault(404, 'The resource could not be found.', 'HTTPNotFound')
        match = self._mapper.match(path, environ={'REQUEST_METHOD': req.method})
        if match is None or match.get('handler') is None:
            any_method = self._paths.match(path)
            if any_method is None:
                return self.fault(404, f'The resource could not be found: {path}',
                                  'HTTPNotFound')
            return self.fault(405, f'Method {req.method} is not allowed on {path}.',
                              'HTTPMethodNotAllowed')
        handler = match.pop('handler')
        for key in ('_any_method', 'controller', 'action'):
            match.pop(key, None)
        try:
            return handler(req, **match)
        except exception.NovaLiteError as exc:
            if exc.code >= 500:
                LOG.error('%s %s failed: %s', req.method, path, exc.message)
            return self.fault(exc.code, exc.message, type(exc).__name__)
        except UnicodeDecodeError:
            return self.fault(400, 'The request (path or query) is not valid UTF-8.',
                              'HTTPBadRequest')
        except webob.exc.HTTPException as exc:
            return self.fault(exc.code, exc.explanation or exc.title, type(exc).__name__)
        except Exception:
            LOG.exception('Unexpected error in %s %s', req.method, path)
            return self.fault(500, 'An unexpected error occurred.', 'InternalError')
