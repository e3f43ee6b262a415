"""The five REST applications, each with its port, public URL and token check.

The identity API checks its own tokens (:class:`~nova_lite.api.auth.LocalTokenAuth`);
the compute, image, network and block storage APIs sit behind keystonemiddleware,
which validates each token with the identity API over HTTP as the nova_lite
service user. :func:`configure_keystone_authtoken` registers
``[keystone_authtoken]`` on our ConfigOpts and points its defaults at our own
identity API, so a one-machine configuration only sets the service user's
password (the one given to ``nova-lite-manage bootstrap --service-password``).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any

from keystoneauth1 import loading as ks_loading
from keystonemiddleware import auth_token
from oslo_config import cfg

from nova_lite.api import auth as api_auth
from nova_lite.api import endpoints
from nova_lite.wiring import services as api_services

AUTHTOKEN_GROUP = 'keystone_authtoken'
SERVICE_USER = 'nova_lite'
SERVICE_PROJECT = 'service'
SERVICE_DOMAIN_ID = 'default'

WSGIApp = api_auth.WSGIApp


@dataclasses.dataclass(frozen=True)
class ApiSpec:
    """One REST API: its name, package, port option and catalog service type."""

    name: str
    package: str
    port_option: str
    service_type: str


APIS: tuple[ApiSpec, ...] = (
    ApiSpec('identity', 'nova_lite.identity.rest', 'identity_port', 'identity'),
    ApiSpec('compute', 'nova_lite.compute.rest', 'compute_port', 'compute'),
    ApiSpec('image', 'nova_lite.image.rest', 'image_port', 'image'),
    ApiSpec('network', 'nova_lite.network.rest', 'network_port', 'network'),
    ApiSpec('volume', 'nova_lite.volume.rest', 'volume_port', 'block-storage'),
)


@dataclasses.dataclass(frozen=True)
class BuiltApp:
    name: str
    app: WSGIApp
    port: int
    public_url: str


def public_url(conf: cfg.ConfigOpts, spec: ApiSpec) -> str:
    """The API's public root URL: ``[identity] public_base_url`` with its port."""
    return endpoints.endpoint_url(conf.identity.public_base_url,
                                  getattr(conf.api, spec.port_option), '')



TOKEN_CACHE_TIME = 10


def configure_keystone_authtoken(conf: cfg.ConfigOpts) -> None:
    """Register ``[keystone_authtoken]`` (and the auth plugin's options) with our defaults.

    Idempotent. Defaults: password auth as user ``nova_lite`` of project
    ``service`` (Default domain) against this cloud's identity API, public
    interface, service tokens must carry a service role.
    """
    for group, opts in auth_token.list_opts():
        conf.register_opts(opts, group=group)
    identity = endpoints.identity_url(conf)
    conf.set_default('auth_type', 'password', group=AUTHTOKEN_GROUP)
    conf.set_default('www_authenticate_uri', identity, group=AUTHTOKEN_GROUP)
    conf.set_default('interface', 'public', group=AUTHTOKEN_GROUP)
    conf.set_default('region_name', conf.identity.region_id, group=AUTHTOKEN_GROUP)
    conf.set_default('service_token_roles_required', True, group=AUTHTOKEN_GROUP)
    conf.set_default('http_connect_timeout', 30, group=AUTHTOKEN_GROUP)
    # keystonemiddleware does not re-check revocations of tokens it has cached: a
    # revoked token stays accepted until its cached validation expires. 10 s
    # (instead of keystonemiddleware's 300 s) bounds that window; a validation is
    # one loopback request to the identity API.
    conf.set_default('token_cache_time', TOKEN_CACHE_TIME, group=AUTHTOKEN_GROUP)
    # No nova_lite API reads X-Service-Catalog: validations leave the catalog out
    # (smaller cached entries, no catalog header built per request).
    conf.set_default('include_service_catalog', False, group=AUTHTOKEN_GROUP)
    plugin = conf[AUTHTOKEN_GROUP].auth_type
    if not plugin:
        return
    loader: ks_loading.BaseLoader[Any] = ks_loading.get_plugin_loader(plugin)
    conf.register_opts(ks_loading.get_auth_plugin_conf_options(loader), group=AUTHTOKEN_GROUP)
    defaults = {'auth_url': f'{identity}/v3', 'username': SERVICE_USER,
                'user_domain_id': SERVICE_DOMAIN_ID, 'project_name': SERVICE_PROJECT,
                'project_domain_id': SERVICE_DOMAIN_ID}
    known = {opt.dest for opt in ks_loading.get_auth_plugin_conf_options(loader)}
    for name, value in defaults.items():
        if name in known:
            conf.set_default(name, value, group=AUTHTOKEN_GROUP)


def keystone_auth(conf: cfg.ConfigOpts) -> Callable[[WSGIApp], WSGIApp]:
    """auth_token around an API; the APIs wrapped by one call share a token cache."""
    configure_keystone_authtoken(conf)
    token_cache = api_auth.TokenValidationCache()
    return lambda app: api_auth.with_keystone_auth(app, conf, token_cache=token_cache)


def build_apps(conf: cfg.ConfigOpts, services: api_services.ApiServices, *,
               auth: Callable[[WSGIApp], WSGIApp] | None = None) -> list[BuiltApp]:
    """The five APIs. ``auth`` wraps the four service APIs (default: keystonemiddleware);
    the identity API always checks its tokens itself."""
    service_auth = auth or keystone_auth(conf)

    def identity_auth(app: WSGIApp) -> WSGIApp:
        return api_auth.LocalTokenAuth(app, services.identity.validate_token)

    built = []
    for spec in APIS:
        make_app = importlib.import_module(spec.package).make_app
        url = public_url(conf, spec)
        wrap = identity_auth if spec.name == 'identity' else service_auth
        built.append(BuiltApp(spec.name, make_app(conf, services, wrap, url),
                              getattr(conf.api, spec.port_option), url))
    return built
