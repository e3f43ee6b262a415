"""The compute v2.1 REST API (nova-api's analogue): servers, actions, flavors and more.

Every resource answers at ``/v2.1/<path>`` (the catalog's endpoint) and at the
legacy ``/v2.1/{project_id}/<path>``. Version documents answer without a
token; everything else goes through ``auth`` and the policy rules of
:mod:`nova_lite.compute.rest.policies`.
"""

from __future__ import annotations

from collections.abc import Callable

import webob
from oslo_config import cfg

from nova_lite.api import faults, policy, wsgi
from nova_lite.api.auth import WSGIApp
from nova_lite.common import exception
from nova_lite.compute import server_actions_api
from nova_lite.compute.rest import (
    base,
    flavors,
    hypervisors,
    limits,
    microversion,
    policies,
    server_actions,
    servers,
    versions,
    views,
)
from nova_lite.identity import catalog
from nova_lite.wiring.services import ApiServices

PREFIX = '/v2.1'
# Project ids are hex (with or without dashes): never a collection name.
PROJECT_PREFIX = '/v2.1/{project_id:[0-9a-fA-F-]+}'

Route = tuple[str, str, Callable[..., webob.Response]]


def _routes(conf: cfg.ConfigOpts, rest: base.ComputeRest) -> list[Route]:
    """(method, path under /v2.1, handler); fixed paths before their {id} siblings."""
    srv = servers.ServersHandler(rest)
    act = server_actions.ServerActionsHandler(rest)
    flv = flavors.FlavorsHandler(rest)
    hyp = hypervisors.HypervisorsHandler(conf, rest)
    lim = limits.LimitsHandler(rest)
    ext = versions.VersionsHandler(rest.links.public_url)
    return [
        ('POST', '/servers', srv.create),
        ('GET', '/servers', srv.index),
        ('GET', '/servers/detail', srv.detail),
        ('GET', '/servers/{server_id}', srv.show),
        ('DELETE', '/servers/{server_id}', srv.delete),
        ('POST', '/servers/{server_id}/action', act.action),
        ('GET', '/servers/{server_id}/os-security-groups', srv.security_groups),
        ('GET', '/servers/{server_id}/os-volume_attachments', srv.volume_attachments),
        ('GET', '/servers/{server_id}/os-volume_attachments/{volume_id}',
         srv.volume_attachment),
        ('POST', '/flavors', flv.create),
        ('GET', '/flavors', flv.index),
        ('GET', '/flavors/detail', flv.detail),
        ('GET', '/flavors/{flavor_id}', flv.show),
        ('DELETE', '/flavors/{flavor_id}', flv.delete),
        ('GET', '/flavors/{flavor_id}/os-extra_specs', flv.extra_specs),
        ('GET', '/flavors/{flavor_id}/os-flavor-access', flv.access),
        ('GET', '/os-hypervisors', hyp.index),
        ('GET', '/os-hypervisors/detail', hyp.detail),
        ('GET', '/os-availability-zone', hyp.availability_zones),
        ('GET', '/os-availability-zone/detail', hyp.availability_zones),
        ('GET', '/limits', lim.limits),
        ('GET', '/os-keypairs', lim.keypairs),
        ('POST', '/os-keypairs', lim.create_keypair),
        ('GET', '/os-keypairs/{keypair_name}', lim.keypair),
        ('GET', '/extensions', ext.extensions),
    ]


def _www_authenticate_uri(conf: cfg.ConfigOpts) -> str | None:
    try:
        return catalog.endpoint_url(conf.identity.public_base_url, conf.api.identity_port, '')
    except exception.InvalidInput:
        return None


def make_app(conf: cfg.ConfigOpts, services: ApiServices,
             auth: Callable[[WSGIApp], WSGIApp], public_url: str) -> WSGIApp:
    """The compute API at ``public_url`` (e.g. http://127.0.0.1:8774)."""
    links = views.Links(public_url)
    actions = server_actions_api.ServerActionsAPI(
        instances=services.instances, compute=services.compute_rpcapi,
        get_server=services.compute_api.get_server)
    rest = base.ComputeRest(services=services,
                            authorizer=policy.Authorizer(conf, policies.list_rules()),
                            actions=actions, links=links)
    router = wsgi.Router(faults.compute_fault, max_body=conf.api.max_request_body_size,
                         www_authenticate_uri=_www_authenticate_uri(conf))
    version_docs = versions.VersionsHandler(links.public_url)
    router.add('GET', '/', version_docs.versions)
    router.add('GET', PREFIX, version_docs.version)
    routes = _routes(conf, rest)
    for method, path, handler in routes:
        router.add(method, PREFIX + path, handler)
    for method, path, handler in routes:
        router.add(method, PROJECT_PREFIX + path, base.project_scoped(handler))
    return microversion.MicroversionMiddleware(auth(router))
