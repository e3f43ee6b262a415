"""The identity v3 REST API (the keystone analogue), port 5000.

``make_app`` routes every request to its controller behind
:class:`nova_lite.api.auth.LocalTokenAuth`: the identity service validates
its own tokens with the identity manager (keystone does not call itself
either), so the ``auth`` wrapper the other services take is not used here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from oslo_config import cfg

from nova_lite.api import auth as api_auth
from nova_lite.api import faults, policy, request_id, routing, wsgi
from nova_lite.identity import manager
from nova_lite.identity.rest import (
    app_creds,
    catalog_admin,
    catalog_routes,
    common,
    credentials,
    domain_configs,
    domains_admin,
    endpoint_groups,
    grants,
    group_policies,
    groups,
    inherited_roles,
    oauth_consumers,
    policies,
    policy_blobs,
    project_tags,
    projects,
    role_admin,
    role_assignments,
    roles,
    system_group_roles,
    system_roles,
    tokens,
    users,
    versions,
)

WSGIApp = api_auth.WSGIApp


class IdentityServices(Protocol):
    """What the identity API acts through (the wiring's services)."""

    @property
    def identity(self) -> manager.IdentityManager: ...


def make_app(conf: cfg.ConfigOpts, services: IdentityServices,
             auth: Callable[[WSGIApp], WSGIApp] | None, public_url: str) -> WSGIApp:
    """The identity API at ``public_url`` (e.g. ``http://127.0.0.1:5000``).

    ``auth`` is accepted for the common contract and ignored: identity
    validates tokens locally.
    """
    public_url = public_url.rstrip('/')
    router = wsgi.Router(faults.identity_fault, max_body=conf.api.max_request_body_size,
                         www_authenticate_uri=public_url)
    api = common.IdentityApi(identity=services.identity,
                             authorizer=policy.Authorizer(
                                 conf, policies.RULES + group_policies.RULES),
                             public_url=public_url)
    routing.add_routes(router, versions.VersionController(public_url).routes())
    for resource in (tokens.TokenController, projects.ProjectController,
                     users.UserController, roles.RoleController,
                     catalog_routes.CatalogController,
                     system_roles.SystemRoleController,
                     app_creds.ApplicationCredentialController,
                     catalog_admin.CatalogAdminController,
                     credentials.CredentialController, groups.GroupController,
                     grants.GrantController, role_assignments.AssignmentController,
                     domains_admin.DomainAdminController, role_admin.RoleAdminController,
                     project_tags.ProjectTagController,
                     system_group_roles.SystemGroupRoleController):
        routing.add_routes(router, resource(api).routes())
    for extension in (domain_configs.DomainConfigController, policy_blobs.PolicyBlobController,
                      endpoint_groups.EndpointGroupController,
                      oauth_consumers.ConsumerController,
                      inherited_roles.InheritedRoleController):
        routing.add_routes(router, extension(api).routes())
    return request_id.with_request_id(
        api_auth.LocalTokenAuth(router, services.identity.validate_token), conf)
