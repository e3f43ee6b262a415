"""Request ids: every response of every REST API names the request that made it.

oslo.middleware's :class:`~oslo_middleware.request_id.RequestId` sits in
front of each API (outside the token check, so a 401 carries one too). It
makes a fresh ``req-<uuid>`` for each request, puts it in the WSGI environ
(``openstack.request_id``) and answers it in ``X-OpenStack-Request-Id``; the
compute API also answers it in nova's older ``X-Compute-Request-Id``. A
caller that sends a well-formed ``X-OpenStack-Request-Id`` of its own (a
service calling another, as nova_lite's conductor does) has it kept as the
request's *global* request id (``openstack.global_request_id``); the
response still names the id made here.

:class:`~nova_lite.api.context_middleware.ContextMiddleware` reads both ids
into the request's :class:`~nova_lite.common.context.RequestContext`, which
oslo.log prints on each log line of the request and which travels with the
context over RPC.
"""

from __future__ import annotations

from oslo_config import cfg
from oslo_middleware import request_id as oslo_request_id

from nova_lite.api.auth import WSGIApp

HEADER = 'X-OpenStack-Request-Id'
COMPUTE_HEADER = 'X-Compute-Request-Id'


class ComputeRequestId(oslo_request_id.RequestId):
    """Also answers the id in ``X-Compute-Request-Id``, as nova does."""

    compat_headers = [COMPUTE_HEADER.lower()]


def with_request_id(app: WSGIApp, conf: cfg.ConfigOpts, *, compute: bool = False) -> WSGIApp:
    """``app`` behind the request id middleware (``compute``: with nova's extra header)."""
    middleware = ComputeRequestId if compute else oslo_request_id.RequestId
    wrapped: WSGIApp = middleware(app, conf)
    return wrapped
