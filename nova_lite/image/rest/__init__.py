"""The image v2 REST API (glance's), served at the unversioned image endpoint.

Routes: the version documents (no token), ``/v2/schemas/image(s)``,
``/v2/images`` (create, list), ``/v2/images/{id}`` (show, JSON-patch,
delete), ``/v2/images/{id}/file`` (upload, download), ``.../members``,
``.../tags/{tag}``, ``.../actions/(de|re)activate``, ``/v2/schemas/member(s)``,
``/v2/info/stores|usage|import``, image import and tasks,
``/v2/stores/{store}/{id}`` (delete from a store), the image cache
(``/v2/cache``, :mod:`.cache`), and the metadata definitions catalog under
``/v2/metadefs`` (:mod:`.metadefs_routes`). Errors are
glance's plain-text faults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import webob
from oslo_config import cfg

from nova_lite.api import endpoints, faults, policy, request_id, routing, wsgi
from nova_lite.api.auth import WSGIApp
from nova_lite.db import api as db_api
from nova_lite.image import manager as image_manager
from nova_lite.image.rest import (
    cache,
    cache_policies,
    image_actions,
    image_data,
    image_import,
    image_tags,
    images,
    info,
    member_schemas,
    members,
    metadefs_policies,
    metadefs_routes,
    policies,
    schemas_doc,
    stores,
    strict_paths,
    tasks,
    versions,
)


class ImageServices(Protocol):
    """What the image API acts through (the wiring's services)."""

    @property
    def images(self) -> image_manager.ImageManager: ...

    @property
    def db(self) -> db_api.Database: ...


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

    def member(self, req: wsgi.Request) -> webob.Response:
        req.context  # noqa: B018
        return wsgi.json_response(200, member_schemas.member_schema())

    def members(self, req: wsgi.Request) -> webob.Response:
        req.context  # noqa: B018
        return wsgi.json_response(200, member_schemas.members_schema())


def make_app(conf: cfg.ConfigOpts, services: ImageServices,
             auth: Callable[[WSGIApp], WSGIApp], public_url: str) -> WSGIApp:
    """The image API as a WSGI app, wrapped in ``auth``."""
    authorizer = policy.Authorizer(conf, policies.list_rules()
                                   + metadefs_policies.list_rules()
                                   + cache_policies.RULES)
    router = wsgi.Router(faults.image_fault, max_body=conf.api.max_request_body_size,
                         www_authenticate_uri=endpoints.www_authenticate_uri(conf))
    version_docs = versions.VersionsController(public_url)
    schemas = SchemasController(conf)
    routing.add_routes(router, [
        ('GET', '/', version_docs.root),
        ('GET', '/versions', version_docs.index),
        ('GET', '/v2', version_docs.index),
        ('GET', '/v2/schemas/image', schemas.image),
        ('GET', '/v2/schemas/images', schemas.images),
        *images.ImagesController(conf, services.images, authorizer, public_url).routes(),
        *image_data.ImageDataController(conf, services.images, authorizer).routes(),
        ('GET', '/v2/schemas/member', schemas.member),
        ('GET', '/v2/schemas/members', schemas.members),
        *members.MembersController(conf, services.images, authorizer).routes(),
        *image_tags.TagsController(conf, services.images, authorizer).routes(),
        *image_actions.ActionsController(conf, services.images, authorizer).routes(),
        *info.InfoController(conf, services.images, authorizer).routes(),
        *image_import.ImageImportController(conf, services.images, authorizer).routes(),
        *tasks.TasksController(conf, services.images, authorizer).routes(),
        *stores.StoresController(conf, services.images, authorizer).routes(),
        *metadefs_routes.routes(services.db, authorizer),
        *cache.CacheController(conf, services.images, authorizer).routes(),
    ])
    return request_id.with_request_id(auth(strict_paths.NoTrailingSlash(router)), conf)
