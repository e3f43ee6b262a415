"""The block storage v3 REST API (cinder's ``/v3/{project_id}/...``), microversions 3.0-3.70.

``make_app`` routes every path to its handler; the version documents answer
without a token, everything else needs one (``auth`` wraps the router).
"""

from __future__ import annotations

from collections.abc import Callable

from oslo_config import cfg

from nova_lite.api import endpoints, faults, policy, request_id, routing, wsgi
from nova_lite.api.auth import WSGIApp
from nova_lite.volume.rest import (
    attachments,
    extensions,
    fixed_resources,
    group_snapshots,
    group_types,
    groups,
    messages,
    policies,
    qos_specs,
    quota_sets,
    scheduler_stats,
    scope,
    snapshot_actions,
    snapshots,
    transfers,
    type_encryption,
    version_changes,
    versions,
    views,
    volume_actions,
    volume_filters,
    volume_metadata,
    volume_services,
    volume_types,
    volumes,
)

PROJECT = '/v3/{project_id}'


def _routes(vols: volumes.VolumesController,
            metadata: volume_metadata.VolumeMetadataController,
            fixed: fixed_resources.FixedResourcesController,
            attach: attachments.AttachmentsController) -> list[routing.Route]:
    return [
        ('GET', '/volumes/detail', vols.detail),  # before its /volumes/{volume_id} sibling
        ('GET', '/volumes/summary', versions.since(version_changes.VOLUME_SUMMARY,
                                                   vols.summary)),
        *routing.crud('/volumes', 'volume_id', vols),
        ('GET', '/volumes/{volume_id}/metadata', metadata.index),
        ('POST', '/volumes/{volume_id}/metadata', metadata.create),
        ('PUT', '/volumes/{volume_id}/metadata', metadata.replace),
        ('GET', '/volumes/{volume_id}/metadata/{key}', metadata.show),
        ('PUT', '/volumes/{volume_id}/metadata/{key}', metadata.update_item),
        ('DELETE', '/volumes/{volume_id}/metadata/{key}', metadata.delete),
        ('GET', '/os-availability-zone', fixed.availability_zones),
        ('GET', '/limits', fixed.limits),
        ('GET', '/backups', fixed.list_backups),
        ('GET', '/backups/detail', fixed.list_backups),
        *((method, path, versions.since(version_changes.ATTACHMENTS_API, handler))
          for method, path, handler in routing.crud('/attachments', 'attachment_id', attach)),
        ('POST', '/attachments/{attachment_id}/action',
         versions.since(version_changes.ATTACHMENT_COMPLETE, attach.complete)),
    ]


def _project_less(handler: wsgi.Handler) -> wsgi.Handler:
    return versions.microversioned(versions.since(
        version_changes.PROJECT_ID_OPTIONAL, versions.in_token_project(handler)))


def make_app(conf: cfg.ConfigOpts, services: scope.VolumeServices,
             auth: Callable[[WSGIApp], WSGIApp], public_url: str) -> WSGIApp:
    """The block storage API behind ``auth``; links are built on ``public_url``."""
    router = wsgi.Router(faults.compute_fault, max_body=conf.api.max_request_body_size,
                         www_authenticate_uri=endpoints.www_authenticate_uri(conf))
    authorizer = policy.Authorizer(conf, policies.list_rules())
    backend_host = f'{conf.host}@{conf.volume.backend}#{conf.volume.backend}'
    volume_views = views.VolumeViews(public_url, backend_host)
    root, v3 = versions.make_version_handlers(public_url)
    router.add('GET', '/', root)
    router.add('GET', '/v3', v3)
    all_routes = [
        *_routes(volumes.VolumesController(conf, services, authorizer, volume_views),
                 volume_metadata.VolumeMetadataController(services, authorizer),
                 fixed_resources.FixedResourcesController(conf, services, authorizer),
                 attachments.AttachmentsController(services, authorizer)),
        *snapshots.routes(snapshots.SnapshotsController(services, authorizer, public_url)),
        *volume_actions.routes(volume_actions.VolumeActionsController(services, authorizer)),
        *snapshot_actions.routes(
            snapshot_actions.SnapshotActionsController(services, authorizer)),
        *volume_types.routes(volume_types.VolumeTypesController(services, authorizer)),
        *qos_specs.routes(qos_specs.QosSpecsController(services, authorizer, public_url)),
        *type_encryption.routes(
            type_encryption.TypeEncryptionController(services, authorizer)),
        *volume_services.routes(
            volume_services.VolumeServicesController(services, authorizer)),
        *scheduler_stats.routes(
            scheduler_stats.SchedulerStatsController(services, authorizer)),
        ('GET', '/resource_filters', versions.since(version_changes.RESOURCE_FILTERS,
                                                    volume_filters.resource_filters)),
        ('GET', '/extensions', extensions.ExtensionsController(services, authorizer).index),
        *transfers.routes(transfers.TransfersController(services, authorizer, public_url)),
        *messages.routes(messages.MessagesController(services, authorizer, public_url)),
        *quota_sets.routes(quota_sets.QuotaSetsController(services, authorizer)),
        *group_types.routes(group_types.GroupTypesController(services, authorizer)),
        *groups.routes(groups.GroupsController(services, authorizer)),
        *group_snapshots.routes(
            group_snapshots.GroupSnapshotsController(services, authorizer)),
    ]
    routing.add_routes(router, all_routes, prefix=PROJECT, wrap=versions.microversioned)
    # 3.67: the same routes without the project id (the token's project acts).
    routing.add_routes(router, all_routes, prefix='/v3', wrap=_project_less)
    return request_id.with_request_id(auth(router), conf)
