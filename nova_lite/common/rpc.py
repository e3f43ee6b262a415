"""The one place that owns oslo.messaging transports, clients and servers.

The embedded default uses kombu's in-process memory transport through
:mod:`nova_lite.common.memory_transport` (``kombu+nlmemory:////``), whose
consumers sleep until a message is put on one of their queues instead of
polling (plain ``kombu+memory`` under oslo.messaging polls without sleeping;
the ``fake://`` driver costs about 50 ms a call). Deployments set ``[DEFAULT] transport_url = rabbit://...``.
"""

from __future__ import annotations

from typing import Any

import oslo_messaging
import oslo_messaging.opts  # not imported by the package itself
from oslo_config import cfg
from oslo_messaging._metrics import client as _metrics_client
from oslo_messaging._tracing import client as _tracing_client

from nova_lite.common import context as nl_context
from nova_lite.common import hop_timer, memory_transport

EMBEDDED_TRANSPORT_URL = f'kombu+{memory_transport.NAME}:////'
CONTROL_EXCHANGE = 'nova_lite'
# nova_lite's default for oslo.messaging's [DEFAULT] executor_thread_pool_size.
RPC_SERVER_THREADS = 16


def register_opts(conf: cfg.ConfigOpts) -> None:
    """Register oslo.messaging's options and nova_lite's defaults for them."""
    memory_transport.register()
    oslo_messaging.set_transport_defaults(CONTROL_EXCHANGE)
    for group, opts in oslo_messaging.opts.list_opts():
        conf.register_opts(opts, group=None if group == 'DEFAULT' else group)
    # oslo.messaging registers its metrics and tracing options on the global cfg.CONF
    # only, yet reads them from the transport's conf (its ConfFixture does the same).
    conf.register_opts(_metrics_client.oslo_messaging_metrics, group='oslo_messaging_metrics')
    conf.register_opts(_tracing_client.oslo_messaging_tracing, group='oslo_messaging_tracing')
    conf.set_default('transport_url', EMBEDDED_TRANSPORT_URL)
    # Each RPC server's pool (futurist's) keeps every thread it ever started
    # and wakes each idle one once a second; nova_lite's handlers are short
    # (a boot runs on the conductor's own pool), so a smaller pool than
    # oslo.messaging's 64 serves them and keeps an idle cloud quiet.
    conf.set_default('executor_thread_pool_size', RPC_SERVER_THREADS)


def get_transport(conf: cfg.ConfigOpts) -> oslo_messaging.Transport:
    register_opts(conf)
    # nova_lite's exceptions raised by a remote manager are re-raised as themselves.
    transport = oslo_messaging.get_rpc_transport(
        conf, allowed_remote_exmods=['nova_lite.common.exception'])
    # Calls and casts made inside a hop accumulator (a boot's tasks) are timed.
    return hop_timer.watch_transport(transport)


class ContextSerializer(oslo_messaging.Serializer):
    """Sends the RequestContext as a dict; entities are plain JSON already."""

    def serialize_entity(self, ctxt: Any, entity: Any) -> Any:
        return entity

    def deserialize_entity(self, ctxt: Any, entity: Any) -> Any:
        return entity

    def serialize_context(self, ctxt: nl_context.RequestContext) -> dict[str, Any]:
        return ctxt.to_dict()

    def deserialize_context(self, ctxt: dict[str, Any]) -> nl_context.RequestContext:
        return nl_context.RequestContext.from_dict(ctxt)


def get_client(transport: oslo_messaging.Transport, target: oslo_messaging.Target,
               version_cap: str | None = None,
               timeout: float | None = None) -> oslo_messaging.RPCClient:
    return oslo_messaging.get_rpc_client(transport, target, version_cap=version_cap,
                                         serializer=ContextSerializer(), timeout=timeout)


def get_server(transport: oslo_messaging.Transport, target: oslo_messaging.Target,
               endpoints: list[Any]) -> oslo_messaging.MessageHandlingServer:
    # Threading is oslo.messaging's default (and only non-deprecated) executor.
    return oslo_messaging.get_rpc_server(transport, target, endpoints,
                                         serializer=ContextSerializer())
