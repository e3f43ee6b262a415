"""Connects the network service to compute's os-server-external-events.

The API process (nova-lite-api, nova-lite-all) serves the network API; once
its APIs listen, its network manager is given a
:class:`~nova_lite.clients.compute_events.ComputeEventsClient` that posts as
the service user: keystoneauth1's password plugin from ``[keystone_authtoken]``
(the credentials keystonemiddleware already signs in with), the compute
endpoint from that user's catalog.
"""

from __future__ import annotations

import logging
from typing import Any

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import loading as ks_loading
from keystoneauth1 import session as ks_session
from oslo_config import cfg

from nova_lite.clients import compute_events
from nova_lite.wiring import apps as api_apps

LOG = logging.getLogger(__name__)


def service_user_adapter(conf: cfg.ConfigOpts) -> ks_adapter.Adapter | None:
    """A keystoneauth adapter for the compute API, signed in as the service user;
    None when ``[keystone_authtoken]`` names no usable credentials."""
    api_apps.configure_keystone_authtoken(conf)
    group = conf[api_apps.AUTHTOKEN_GROUP]
    if not group.auth_type:
        return None
    try:
        auth: Any = ks_loading.load_auth_from_conf_options(conf, api_apps.AUTHTOKEN_GROUP)
    except Exception as exc:  # keystoneauth raises several kinds for missing options
        LOG.warning('No service credentials in [keystone_authtoken] (%s): compute will '
                    'not hear of port changes', exc)
        return None
    session = ks_session.Session(auth=auth, timeout=30, user_agent='nova_lite')
    return ks_adapter.Adapter(session, service_type='compute',
                              interface=group.interface or 'public',
                              region_name=group.region_name, connect_retries=2)


def connect(conf: cfg.ConfigOpts, networks: Any) -> compute_events.ComputeEventsClient | None:
    """Give ``networks`` (the network manager) a sender of its servers' port events."""
    adapter = service_user_adapter(conf)
    if adapter is None:
        return None
    client = compute_events.ComputeEventsClient(compute_events.http_transport(adapter))
    networks.compute_events = client
    return client
