"""``/servers``: boot, list, show and delete servers, and their sub-collections."""

from __future__ import annotations

import collections
import secrets
from typing import Any

import webob

from nova_lite.api import controller, paging, routing, wsgi
from nova_lite.common import context as nl_context
from nova_lite.common import exception, notifications
from nova_lite.compute import pinned_zone, server_create, server_filters, server_listing
from nova_lite.compute.rest import (
    base,
    policies,
    proxy_policies,
    request_bodies,
    schemas,
    security_groups,
    version_changes,
    versioned_views,
    views,
)
from nova_lite.compute.rest.api_version import Version, api_version

# PUT /servers/{id} body keys and the build request fields they set.
_UPDATABLE_FIELDS = (('description', 'description'),
                     ('accessIPv4', server_create.ACCESS_IP_V4),
                     ('accessIPv6', server_create.ACCESS_IP_V6),
                     ('OS-DCF:diskConfig', server_create.DISK_CONFIG),
                     ('hostname', server_create.HOSTNAME))


class ServersHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._api = rest.services.compute_api
        self._volumes = rest.services.volumes

    def routes(self) -> list[routing.Route]:
        return [
            ('GET', '/servers/detail', self.detail),  # before /servers/{server_id}
            *routing.crud('/servers', 'server_id', self),
            ('GET', '/servers/{server_id}/os-security-groups', self.security_groups),
            ('GET', '/servers/{server_id}/os-volume_attachments', self.volume_attachments),
            ('GET', '/servers/{server_id}/os-volume_attachments/{volume_id}',
             self.volume_attachment),
        ]

    # Helpers.

    def _volume_ids(self, ctx: nl_context.RequestContext,
                    instance_id: str | None = None) -> dict[str, list[str]]:
        """Attached (or attaching) volume ids by instance id."""
        by_instance: dict[str, list[str]] = collections.defaultdict(list)
        for attachment in self._volumes.list_attachments(ctx, instance_id=instance_id):
            by_instance[attachment['instance_id']].append(attachment['volume_id'])
        return by_instance

    def _detail(self, ctx: nl_context.RequestContext, instance: dict[str, Any],
                volume_ids: list[str], version: Version, *, show: bool) -> dict[str, Any]:
        show_host = self.authorizer.allowed(ctx, policies.SERVERS_HOST_ATTRIBUTES,
                                            project_id=instance['project_id'])
        body = views.server_detail(instance, self._rest.links, volume_ids=volume_ids,
                                   show_host=show_host)
        return versioned_views.server(body, instance, version, show_host=show_host,
                                      show=show)

    def _owned(self, req: wsgi.Request, server_id: str, rule: str) -> dict[str, Any]:
        ctx = req.context
        instance = self._api.get_server(ctx, server_id)
        self.authorizer.authorize(ctx, rule, project_id=instance['project_id'])
        return instance

    # Routes.

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        body = controller.read_body(req, request_bodies.server_create_request(api_version(req)))
        server = body['server']
        hints = body.get('os:scheduler_hints') or body.get('OS-SCH-HNT:scheduler_hints')
        notifications.publish(notifications.ServerCreateReceived(
            request=f'POST /servers {server.get("name")!r}', over_http=True))
        notifications.publish(notifications.TokenChecked(
            service='compute', user_name=ctx.user_name, project_name=ctx.project_name,
            roles=tuple(ctx.roles), over_http=True))
        self.authorizer.authorize(ctx, policies.SERVERS_CREATE)
        created = server_create.boot_servers(self._api, ctx, server, scheduler_hints=hints)
        if server_create.returns_reservation_id(server):
            return wsgi.json_response(202, {'reservation_id': created.reservation_id})
        instance = created.instances[0]
        links = self._rest.links.of('servers', instance['id'])
        return wsgi.json_response(202, {'server': {
            'id': instance['id'], 'links': links,
            'adminPass': server.get('adminPass') or secrets.token_urlsafe(9),
            'OS-DCF:diskConfig': server_create.user_fields(server)[server_create.DISK_CONFIG],
            'security_groups': [{'name': group['name']} for group in
                                server.get('security_groups') or [{'name': 'default'}]],
        }}, headers={'Location': links[0]['href']})

    def update(self, req: wsgi.Request, server_id: str) -> webob.Response:
        """PUT /servers/{id}: name, description (2.19), access IPs, disk config."""
        version = api_version(req)
        body = controller.read_body(req, request_bodies.server_update_request(version))
        instance = self._owned(req, server_id, policies.SERVERS_UPDATE)
        changes = body['server']
        fields = server_create.normalized(
            {field: changes[key] for key, field in _UPDATABLE_FIELDS if key in changes})
        pin = (pinned_zone.change(instance, changes['pinned_availability_zone'])
               if 'pinned_availability_zone' in changes else None)
        updated = self._rest.services.instances.change_details(
            instance['id'], name=changes.get('name'), build_request=fields,
            build_request_change=pin)
        volume_ids = self._volume_ids(req.context, instance['id'])
        detail = self._detail(req.context, updated, volume_ids.get(instance['id'], []),
                              version, show=True)
        return wsgi.json_response(200, {'server': versioned_views.server_update(detail,
                                                                                version)})

    def _listed(self, req: wsgi.Request, path: str,
                ) -> tuple[nl_context.RequestContext, list[dict[str, Any]], dict[str, Any]]:
        ctx = req.context
        params = controller.read_query(req, schemas.servers_query)
        request = paging.page_request(params, paging.NOVA_PAGING)
        self.authorizer.authorize(ctx, policies.SERVERS_INDEX)
        wanted = server_filters.parse(
            req.GET, version=api_version(req), is_admin=bool(ctx.is_admin),
            own_project_id=ctx.project_id,
            may_list_all=self.authorizer.allowed(ctx, policies.SERVERS_ALL_TENANTS))
        page = server_listing.list_page(self._rest.services.instances, wanted, request)
        links = paging.links(page, f'{self._rest.links.base_url}{path}',
                             list(req.GET.items()), limit=request.limit)
        return ctx, page.items, ({'servers_links': links} if links else {})

    def index(self, req: wsgi.Request) -> webob.Response:
        _ctx, page, extra = self._listed(req, '/servers')
        return wsgi.json_response(200, {
            'servers': [views.server_brief(s, self._rest.links) for s in page], **extra})

    def detail(self, req: wsgi.Request) -> webob.Response:
        ctx, page, extra = self._listed(req, '/servers/detail')
        volume_ids = self._volume_ids(ctx) if page else {}
        bodies = [self._detail(ctx, s, volume_ids.get(s['id'], []), api_version(req),
                               show=False) for s in page]
        names = security_groups.group_names_by_server(self._rest.services.network_proxy,
                                                      ctx, [s['id'] for s in page])
        for server, body in zip(page, bodies, strict=True):
            security_groups.show_names(body, names[server['id']])
        return wsgi.json_response(200, {'servers': bodies, **extra})

    def show(self, req: wsgi.Request, server_id: str) -> webob.Response:
        instance = self._owned(req, server_id, policies.SERVERS_SHOW)
        volume_ids = self._volume_ids(req.context, instance['id'])
        body = self._detail(req.context, instance, volume_ids.get(instance['id'], []),
                            api_version(req), show=True)
        if 'security_groups' in body:  # the groups of its ports, as nova shows them
            groups = security_groups.server_groups(self._rest.services.network_proxy,
                                                   req.context, instance['id'])
            security_groups.show_names(body, [group['name'] for group in groups])
        if api_version(req) >= version_changes.SERVER_GROUPS_IN_SHOW:
            body['server_groups'] = self._rest.services.server_groups.group_ids_of(
                instance['id'])
        return wsgi.json_response(200, {'server': body})

    def delete(self, req: wsgi.Request, server_id: str) -> webob.Response:
        instance = self._owned(req, server_id, policies.SERVERS_DELETE)
        self._api.delete_server(req.context, instance['id'])
        return wsgi.json_response(204)

    def security_groups(self, req: wsgi.Request, server_id: str) -> webob.Response:
        """GET /servers/{id}/os-security-groups: its ports' groups (until 2.35)."""
        base.removed_at(req, version_changes.PROXY_APIS_REMOVED)
        instance = self._owned(req, server_id, proxy_policies.SERVER_SECURITY_GROUPS_LIST)
        networks = self._rest.services.network_proxy
        groups = security_groups.server_groups(networks, req.context, instance['id'])
        return wsgi.json_response(200, {'security_groups': [
            security_groups.group_view(group, {g['id']: g for g in groups})
            for group in groups]})

    def _attachments(self, req: wsgi.Request, server_id: str) -> list[dict[str, Any]]:
        instance = self._owned(req, server_id, policies.SERVERS_SHOW)
        return [views.volume_attachment(a) for a in
                self._volumes.list_attachments(req.context, instance_id=instance['id'])]

    def volume_attachments(self, req: wsgi.Request, server_id: str) -> webob.Response:
        return wsgi.json_response(200, {'volumeAttachments': self._attachments(req,
                                                                               server_id)})

    def volume_attachment(self, req: wsgi.Request, server_id: str,
                          volume_id: str) -> webob.Response:
        for attachment in self._attachments(req, server_id):
            if attachment['volumeId'] == volume_id:
                return wsgi.json_response(200, {'volumeAttachment': attachment})
        raise exception.NotFound(message=f'Volume {volume_id} is not attached to server '
                                         f'{server_id}.')
