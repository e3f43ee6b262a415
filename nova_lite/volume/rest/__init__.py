"""The block storage v3 REST API (cinder's ``/v3/{project_id}/...``), microversion 3.0.

``make_app`` routes every path to its handler; the version documents answer
without a token, everything else needs one (``auth`` wraps the router).
"""

from __future__ import annotations

from collections.abc import Callable

from oslo_config import cfg

from nova_lite.api import faults, policy, wsgi
from nova_lite.api.auth import WSGIApp
from nova_lite.identity import catalog
from nova_lite.volume.rest import (
    attachments,
    fixed_resources,
    policies,
    versions,
    views,
    volume_metadata,
    volumes,
)
from nova_lite.wiring import services as api_services

PROJECT = '/v3/{project_id}'


def make_app(conf: cfg.ConfigOpts, services: api_services.ApiServices,
             auth: Callable[[WSGIApp], WSGIApp], public_url: str) -> WSGIApp:
    """The block storage API behind ``auth``; links are built on ``public_url``."""
    identity_url = catalog.endpoint_url(conf.identity.public_base_url,
                                        conf.api.identity_port, '')
    router = wsgi.Router(faults.compute_fault, max_body=conf.api.max_request_body_size,
                         www_authenticate_uri=identity_url)
    authorizer = policy.Authorizer(conf, policies.list_rules())
    backend_host = f'{conf.host}@{conf.volume.backend}#{conf.volume.backend}'
    volume_views = views.VolumeViews(public_url, backend_host)
    vols = volumes.VolumesController(conf, services, authorizer, volume_views)
    metadata = volume_metadata.VolumeMetadataController(services, authorizer)
    fixed = fixed_resources.FixedResourcesController(conf, services, authorizer)
    attach = attachments.AttachmentsController(services, authorizer)

    root, v3 = versions.make_version_handlers(public_url)
    router.add('GET', '/', root)
    router.add('GET', '/v3', v3)

    def add(method: str, path: str, handler: wsgi.Handler) -> None:
        router.add(method, PROJECT + path, versions.microversioned(handler))

    add('POST', '/volumes', vols.create)
    add('GET', '/volumes', vols.index)
    add('GET', '/volumes/detail', vols.detail)
    add('GET', '/volumes/{volume_id}', vols.show)
    add('PUT', '/volumes/{volume_id}', vols.update)
    add('DELETE', '/volumes/{volume_id}', vols.delete)
    add('GET', '/volumes/{volume_id}/metadata', metadata.index)
    add('POST', '/volumes/{volume_id}/metadata', metadata.create)
    add('PUT', '/volumes/{volume_id}/metadata', metadata.replace)
    add('GET', '/volumes/{volume_id}/metadata/{key}', metadata.show)
    add('DELETE', '/volumes/{volume_id}/metadata/{key}', metadata.delete)
    add('GET', '/types', fixed.list_types)
    add('GET', '/types/{type_id}', fixed.show_type)
    add('GET', '/os-availability-zone', fixed.availability_zones)
    add('GET', '/limits', fixed.limits)
    add('GET', '/snapshots', fixed.list_snapshots)
    add('GET', '/snapshots/detail', fixed.list_snapshots)
    add('GET', '/backups', fixed.list_backups)
    add('GET', '/backups/detail', fixed.list_backups)
    add('POST', '/attachments', attach.create)
    add('GET', '/attachments', attach.index)
    add('PUT', '/attachments/{attachment_id}', attach.update)
    add('DELETE', '/attachments/{attachment_id}', attach.delete)
    return auth(router)
