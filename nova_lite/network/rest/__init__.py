"""The network v2.0 REST API (neutron's), over the network manager.

``make_app`` returns the WSGI app that ``nova-lite-api`` serves on the network
port; the catalog's network endpoint is the bare ``public_url`` and clients
append ``/v2.0`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from oslo_config import cfg

from nova_lite.api import endpoints, faults, policy, request_id, routing, wsgi
from nova_lite.api.auth import WSGIApp
from nova_lite.clients import protocols
from nova_lite.network import manager as network_manager
from nova_lite.network.rest import (
    address_scopes,
    agent_scheduler,
    agents,
    common,
    errors,
    extensions,
    if_match,
    ip_availability,
    l3,
    networks,
    policies,
    ports,
    quotas,
    rbac_policies,
    security_groups,
    service_providers,
    subnet_pools,
    subnets,
    tags,
    versions,
)


class NetworkServices(Protocol):
    """What the network API acts through (the wiring's services)."""

    @property
    def networks(self) -> network_manager.NetworkManager: ...

    @property
    def identity(self) -> protocols.IdentityClient: ...


def _read_only_routes(deps: common.Dependencies) -> list[routing.Route]:
    ext = extensions.ExtensionsController()
    return [('GET', path, handler) for path, handler in (
        ('/extensions', ext.index), ('/extensions/{alias}', ext.show))]


def make_app(conf: cfg.ConfigOpts, services: NetworkServices,
             auth: Callable[[WSGIApp], WSGIApp], public_url: str) -> WSGIApp:
    """The network API behind ``auth``; ``public_url`` has no version path."""
    public_url = public_url.rstrip('/')
    deps = common.Dependencies(
        networks=services.networks, identity=services.identity,
        authorizer=policy.Authorizer(conf, policies.list_rules()), public_url=public_url)
    router = wsgi.Router(faults.network_fault, max_body=conf.api.max_request_body_size,
                         www_authenticate_uri=endpoints.www_authenticate_uri(conf))

    version_list = versions.VersionsController(public_url)
    router.add('GET', '/', version_list.versions)
    router.add('GET', common.API_PATH, version_list.resources)
    for resource in (networks.NetworksController(deps), subnets.SubnetsController(deps),
                     ports.PortsController(deps),
                     security_groups.SecurityGroupsController(deps),
                     security_groups.SecurityGroupRulesController(deps),
                     l3.RoutersController(deps), l3.FloatingIPsController(deps),
                     agents.AgentsController(deps),
                     agent_scheduler.AgentSchedulerController(deps),
                     service_providers.ServiceProvidersController(deps),
                     ip_availability.IPAvailabilityController(deps),
                     quotas.QuotasController(deps),
                     tags.TagsController(deps),
                     subnet_pools.SubnetPoolsController(deps),
                     address_scopes.AddressScopesController(deps),
                     rbac_policies.RBACPoliciesController(deps)):
        routing.add_routes(router, resource.routes(), wrap=if_match.neutron_handler)
    routing.add_routes(router, _read_only_routes(deps), prefix=common.API_PATH,
                       wrap=errors.neutron_errors)
    return request_id.with_request_id(auth(router), conf)
