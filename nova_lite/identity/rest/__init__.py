"""The identity v3 REST API (the keystone analogue), port 5000.

``make_app`` routes every request to its controller behind
:class:`nova_lite.api.auth.LocalTokenAuth`: the identity service validates
its own tokens with the identity manager (keystone does not call itself
either), so the ``auth`` wrapper the other services take is not used here.
"""

from __future__ import annotations

from collections.abc import Callable

from oslo_config import cfg

from nova_lite.api import auth as api_auth
from nova_lite.api import faults, policy, wsgi
from nova_lite.identity.rest import (
    catalog_routes,
    common,
    policies,
    projects,
    roles,
    tokens,
    users,
    versions,
)
from nova_lite.wiring import services as api_services

WSGIApp = api_auth.WSGIApp


def make_app(conf: cfg.ConfigOpts, services: api_services.ApiServices,
             auth: Callable[[WSGIApp], WSGIApp] | None, public_url: str) -> WSGIApp:
    """The identity API at ``public_url`` (e.g. ``http://127.0.0.1:5000``).

    ``auth`` is accepted for the common contract and ignored: identity
    validates tokens locally.
    """
    public_url = public_url.rstrip('/')
    router = wsgi.Router(faults.identity_fault, max_body=conf.api.max_request_body_size,
                         www_authenticate_uri=public_url)
    api = common.IdentityApi(identity=services.identity,
                             authorizer=policy.Authorizer(conf, policies.RULES),
                             public_url=public_url)
    versions.VersionController(public_url).register(router)
    for controller in (tokens.TokenController, projects.ProjectController,
                       users.UserController, roles.RoleController,
                       catalog_routes.CatalogController):
        controller(api).register(router)
    return api_auth.LocalTokenAuth(router, services.identity.validate_token)
