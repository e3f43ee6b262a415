"""The image v2 REST API (glance's), served at the unversioned image endpoint.

Routes: the version documents (no token), ``/v2/schemas/image(s)``,
``/v2/images`` (create, list), ``/v2/images/{id}`` (show, JSON-patch,
delete) and ``/v2/images/{id}/file`` (upload, download). Errors are glance's
plain-text faults.
"""

from __future__ import annotations

from collections.abc import Callable

import webob
from oslo_config import cfg

from nova_lite.api import faults, policy, wsgi
from nova_lite.api.auth import WSGIApp
from nova_lite.common import exception
from nova_lite.identity import catalog
from nova_lite.image.rest import image_data, images, policies, schemas_doc, versions
from nova_lite.wiring.services import ApiServices


class SchemasController:
    """``GET /v2/schemas/image`` and ``/v2/schemas/images``."""

    def __init__(self, conf: cfg.ConfigOpts) -> None:
        self._conf = conf

    def image(self, req: wsgi.Request) -> webob.Response:
        req.context  # noqa: B018  (401 without a token, as glance)
        return wsgi.json_response(200, schemas_doc.image_schema(self._conf))

    def images(self, req: wsgi.Request) -> webob.Response:
        req.context  # noqa: B018
        return wsgi.json_response(200, schemas_doc.images_schema(self._conf))


def _identity_url(conf: cfg.ConfigOpts) -> str | None:
    """Where a 401 tells the client to authenticate (the public identity endpoint)."""
    try:
        return catalog.endpoint_url(conf.identity.public_base_url, conf.api.identity_port,
                                    '/v3')
    except exception.InvalidInput:
        return None


def make_app(conf: cfg.ConfigOpts, services: ApiServices,
             auth: Callable[[WSGIApp], WSGIApp], public_url: str) -> WSGIApp:
    """The image API as a WSGI app, wrapped in ``auth``."""
    authorizer = policy.Authorizer(conf, policies.list_rules())
    router = wsgi.Router(faults.image_fault, max_body=conf.api.max_request_body_size,
                         www_authenticate_uri=_identity_url(conf))
    version_docs = versions.VersionsController(public_url)
    schemas = SchemasController(conf)
    records = images.ImagesController(conf, services.images, authorizer, public_url)
    data = image_data.ImageDataController(conf, services.images, authorizer)

    router.add('GET', '/', version_docs.root)
    router.add('GET', '/versions', version_docs.index)
    router.add('GET', '/v2', version_docs.index)
    router.add('GET', '/v2/schemas/image', schemas.image)
    router.add('GET', '/v2/schemas/images', schemas.images)
    router.add('POST', '/v2/images', records.create)
    router.add('GET', '/v2/images', records.index)
    router.add('GET', '/v2/images/{image_id}', records.show)
    router.add('PATCH', '/v2/images/{image_id}', records.update)
    router.add('DELETE', '/v2/images/{image_id}', records.delete)
    router.add('PUT', '/v2/images/{image_id}/file', data.upload)
    router.add('GET', '/v2/images/{image_id}/file', data.download)
    return auth(router)
