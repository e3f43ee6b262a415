"""The network v2.0 REST API (neutron's), over the network manager.

``make_app`` returns the WSGI app that ``nova-lite-api`` serves on the network
port; the catalog's network endpoint is the bare ``public_url`` and clients
append ``/v2.0`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable

from oslo_config import cfg

from nova_lite.api import faults, policy, wsgi
from nova_lite.api.auth import WSGIApp
from nova_lite.identity import catalog
from nova_lite.network.rest import (
    common,
    errors,
    extensions,
    l3,
    networks,
    policies,
    ports,
    security_groups,
    subnets,
    versions,
)
from nova_lite.wiring.services import ApiServices


def _identity_url(conf: cfg.ConfigOpts) -> str:
    identity = next(s for s in catalog.SERVICES if s.type == 'identity')
    return catalog.endpoint_url(conf.identity.public_base_url, conf.api.identity_port,
                                identity.path)


def _crud(router: wsgi.Router, path: str, id_name: str, controller: object) -> None:
    one = f'{common.API_PATH}/{path}/{{{id_name}}}'
    for method, route, action in (('POST', f'{common.API_PATH}/{path}', 'create'),
                                  ('GET', f'{common.API_PATH}/{path}', 'index'),
                                  ('GET', one, 'show'), ('PUT', one, 'update'),
                                  ('DELETE', one, 'delete')):
        router.add(method, route, errors.neutron_errors(getattr(controller, action)))


def make_app(conf: cfg.ConfigOpts, services: ApiServices,
             auth: Callable[[WSGIApp], WSGIApp], public_url: str) -> WSGIApp:
    """The network API behind ``auth``; ``public_url`` has no version path."""
    public_url = public_url.rstrip('/')
    deps = common.Dependencies(
        networks=services.networks, identity=services.identity,
        authorizer=policy.Authorizer(conf, policies.list_rules()), public_url=public_url)
    router = wsgi.Router(faults.network_fault, max_body=conf.api.max_request_body_size,
                         www_authenticate_uri=_identity_url(conf))

    version_list = versions.VersionsController(public_url)
    router.add('GET', '/', version_list.versions)
    router.add('GET', common.API_PATH, version_list.resources)

    _crud(router, 'networks', 'network_id', networks.NetworksController(deps))
    _crud(router, 'subnets', 'subnet_id', subnets.SubnetsController(deps))
    _crud(router, 'ports', 'port_id', ports.PortsController(deps))

    read_only: list[tuple[str, wsgi.Handler]] = []
    ext = extensions.ExtensionsController()
    read_only += [('/extensions', ext.index), ('/extensions/{alias}', ext.show)]
    groups = security_groups.SecurityGroupsController(deps)
    read_only += [('/security-groups', groups.index),
                  ('/security-groups/{security_group_id}', groups.show)]
    layer3 = l3.L3Controller(deps)
    read_only += [('/routers', layer3.routers), ('/routers/{router_id}', layer3.router),
                  ('/floatingips', layer3.floating_ips),
                  ('/floatingips/{floatingip_id}', layer3.floating_ip)]
    for path, handler in read_only:
        router.add('GET', f'{common.API_PATH}{path}', errors.neutron_errors(handler))
    return auth(router)
