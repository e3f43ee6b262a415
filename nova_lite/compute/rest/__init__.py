"""The compute v2.1 REST API (nova-api's analogue): servers, actions, flavors and more.

Every resource answers at ``/v2.1/<path>`` (the catalog's endpoint) and at the
legacy ``/v2.1/{project_id}/<path>``. Version documents answer without a
token; everything else goes through ``auth`` and the policy rules of
:mod:`nova_lite.compute.rest.policies`.
"""

from __future__ import annotations

from collections.abc import Callable

from oslo_config import cfg

from nova_lite.api import endpoints, faults, policy, request_id, routing, wsgi
from nova_lite.api.auth import WSGIApp
from nova_lite.compute import (
    resize_api,
    server_actions_api,
    snapshot_api,
    tenant_usage,
    volume_attach_api,
    volume_backed_snapshot,
)
from nova_lite.compute.rest import (
    aggregates,
    assisted_volume_snapshots,
    availability_zones,
    base,
    external_events,
    flavor_access,
    flavor_extra_specs,
    flavors,
    floating_ips,
    hosts,
    hypervisors,
    image_metadata,
    images,
    instance_actions,
    interfaces,
    keypairs,
    limits,
    microversion,
    migrations,
    network_proxy,
    policies,
    quota_sets,
    security_groups,
    server_actions,
    server_diagnostics,
    server_groups,
    server_ips,
    server_metadata,
    server_password,
    server_tags,
    servers,
    services,
    simple_tenant_usage,
    usage_audit_log,
    versions,
    views,
    volume_attachments,
    volume_proxies,
)
from nova_lite.compute.rest import extensions as compute_extensions

PREFIX = '/v2.1'
# Project ids are hex (with or without dashes): never a collection name.
PROJECT_PREFIX = '/v2.1/{project_id:[0-9a-fA-F-]+}'

def _routes(conf: cfg.ConfigOpts, rest: base.ComputeRest) -> list[routing.Route]:
    """(method, path under /v2.1, handler); fixed paths before their {id} siblings."""
    return [
        *servers.ServersHandler(rest).routes(),
        *server_actions.ServerActionsHandler(rest).routes(),
        *server_metadata.ServerMetadataHandler(rest).routes(),
        *server_ips.ServerIpsHandler(rest).routes(),
        *server_tags.ServerTagsHandler(rest).routes(),
        *flavors.FlavorsHandler(rest).routes(),
        *flavor_extra_specs.FlavorExtraSpecsHandler(rest).routes(),
        *flavor_access.FlavorAccessHandler(rest).routes(),
        *hypervisors.HypervisorsHandler(rest).routes(),
        *availability_zones.AvailabilityZonesHandler(conf, rest).routes(),
        *services.ServicesHandler(rest).routes(),
        *hosts.HostsHandler(rest).routes(),
        *aggregates.AggregatesHandler(rest).routes(),
        *limits.LimitsHandler(rest).routes(),
        *keypairs.KeypairsHandler(rest).routes(),
        *quota_sets.QuotaSetsHandler(rest).routes(),
        *simple_tenant_usage.TenantUsageHandler(
            rest, tenant_usage.TenantUsage(rest.services.quotas.db)).routes(),
        *images.ImagesHandler(rest).routes(),
        *image_metadata.ImageMetadataHandler(rest).routes(),
        *volume_proxies.VolumeProxiesHandler(rest).routes(),
        *assisted_volume_snapshots.AssistedVolumeSnapshotsHandler(rest).routes(),
        *network_proxy.NetworkProxyHandler(rest).routes(),
        *security_groups.SecurityGroupsProxyHandler(rest).routes(),
        *floating_ips.FloatingIPsHandler(rest).routes(),
        *external_events.ExternalEventsHandler(rest).routes(),
        *usage_audit_log.UsageAuditLogHandler(rest).routes(),
        *server_diagnostics.ServerDiagnosticsHandler(rest).routes(),
        *server_groups.ServerGroupsHandler(rest).routes(),
        *instance_actions.InstanceActionsHandler(rest).routes(),
        *volume_attachments.VolumeAttachmentsHandler(rest).routes(),
        *compute_extensions.ExtensionsHandler(rest).routes(),
        *server_password.ServerPasswordHandler(rest).routes(),
        *interfaces.InterfacesHandler(rest).routes(),
        *migrations.MigrationsHandler(rest).routes(),
    ]


def make_app(conf: cfg.ConfigOpts, services: base.ComputeServices,
             auth: Callable[[WSGIApp], WSGIApp], public_url: str) -> WSGIApp:
    """The compute API at ``public_url`` (e.g. http://127.0.0.1:8774)."""
    links = views.Links(public_url)
    snapshots = snapshot_api.SnapshotImages(services.compute_api.images,
                                            services.compute_api.get_flavor,
                                            conf.libvirt.snapshot_image_format)
    actions = server_actions_api.ServerActionsAPI(
        instances=services.instances, compute=services.compute_rpcapi,
        get_server=services.compute_api.get_server, conductor=services.conductor_rpcapi,
        events=services.instance_actions, snapshots=snapshots,
        volume_attachments=volume_attach_api.VolumeAttachments(services.volumes),
        shelved_offload_time=conf.shelved_offload_time,
        volume_backed=volume_backed_snapshot.VolumeBackedSnapshots(
            services.compute_api.images, services.volume_proxy, snapshots))
    resizes = None
    if services.migrations is not None:
        resizes = resize_api.ResizeActions(
            actions=actions, api=services.compute_api, instances=services.instances,
            images=resize_api.image_client(services.image_proxy),
            migrations=services.migrations, quotas=services.quotas)
    rest = base.ComputeRest(services=services,
                            authorizer=policy.Authorizer(conf, policies.list_rules()),
                            actions=actions, links=links, resizes=resizes)
    router = wsgi.Router(faults.compute_fault, max_body=conf.api.max_request_body_size,
                         www_authenticate_uri=endpoints.www_authenticate_uri(conf))
    version_docs = versions.VersionsHandler(links.public_url)
    router.add('GET', '/', version_docs.versions)
    router.add('GET', PREFIX, version_docs.version)
    router.add('GET', '/v2', version_docs.legacy_version)
    routes = _routes(conf, rest)
    routing.add_routes(router, routes, prefix=PREFIX)
    routing.add_routes(router, routes, prefix=PROJECT_PREFIX, wrap=base.project_scoped)
    return request_id.with_request_id(microversion.MicroversionMiddleware(auth(router)),
                                      conf, compute=True)
