"""Service clients over HTTP: the image, network and block storage REST APIs.

Same methods and return shapes as :mod:`nova_lite.clients.local`, so the boot
flow's tasks run unchanged over either. Each call goes to the endpoint of the
caller's token catalog (``public`` interface) with the caller's own token
(keystoneauth's :class:`AccessInfoPlugin` over the validated token), and the
service API checks that token with the identity API (keystonemiddleware) as it
would for any client. HTTP errors come back as nova_lite errors (404 NotFound,
409 Conflict, 400 InvalidInput, 401 NotAuthorized, 403 Forbidden), so the
flow's reverts and retries behave the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any, BinaryIO, cast

import requests
from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exceptions
from keystoneauth1 import session as ks_session

from nova_lite.clients import http_auth, payloads, protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception, hop_timer, notifications
from nova_lite.common.states import ImageStatus

DOWNLOAD_CHUNK_SIZE = 64 * 1024
# A request that could not connect, or whose pooled keep-alive connection the
# server had just closed (the request never reached it), is sent again up to
# this many times (keystoneauth waits 0.5 s, then 1 s).
CONNECT_RETRIES = 2
VOLUME_MICROVERSION = 'volume latest'  # the attachments API needs 3.27 or later


def new_session(timeout: float = 60.0) -> ks_session.Session:
    return ks_session.Session(timeout=timeout, user_agent='nova_lite')


class _RestClient:
    service_type = ''
    service_name = ''
    default_headers: dict[str, str] = {}

    def __init__(self, validate: http_auth.TokenValidator, *,
                 session: ks_session.Session | None = None, report_steps: bool = True,
                 access_cache: http_auth.AccessCache | None = None) -> None:
        self._session = session or new_session()
        self._access = access_cache or http_auth.AccessCache(validate)
        self._report_steps = report_steps

    def _adapter(self, ctx: nl_context.RequestContext) -> ks_adapter.Adapter:
        if not ctx.auth_token:
            raise exception.NotAuthorized()
        return ks_adapter.Adapter(self._session, auth=self._access.plugin(ctx.auth_token),
                                  service_type=self.service_type, interface='public',
                                  connect_retries=CONNECT_RETRIES,
                                  # The called API keeps it as its global request id.
                                  global_request_id=ctx.global_id)

    def endpoint(self, ctx: nl_context.RequestContext) -> str:
        url = self._adapter(ctx).get_endpoint()
        if not url:
            raise exception.NotFound(resource='Endpoint', id=self.service_type)
        return str(url).rstrip('/')

    def _request(self, ctx: nl_context.RequestContext, method: str, path: str,
                 **kwargs: Any) -> requests.Response:
        headers = {**self.default_headers, **kwargs.pop('headers', {})}
        adapter = self._adapter(ctx)
        try:
            with hop_timer.hop(hop_timer.HTTP):
                response = adapter.request(path, method, raise_exc=False, headers=headers,
                                           **kwargs)
        except ks_exceptions.EndpointNotFound as exc:
            raise exception.NotFound(f'No public {self.service_type} endpoint in the '
                                     'catalog.', resource='Endpoint',
                                     id=self.service_type) from exc
        except ks_exceptions.ClientException as exc:
            raise exception.NovaLiteError(
                f'{self.service_name} API unreachable: {exc}') from exc
        if response.status_code == 401:
            self._access.forget(ctx.auth_token or '')
        elif self._report_steps:
            info = self._access.access(ctx.auth_token or '')
            notifications.publish(notifications.TokenChecked(
                service=self.service_name, user_name=info.username,
                project_name=info.project_name, over_http=True))
        http_auth.raise_for_status(response)
        return response

    def _json(self, ctx: nl_context.RequestContext, method: str, path: str,
              **kwargs: Any) -> Any:
        response = self._request(ctx, method, path, **kwargs)
        return response.json() if response.content else None


class ImageClient(_RestClient):
    service_type = 'image'
    service_name = 'image'

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> payloads.Image:
        return cast(payloads.Image, self._json(ctx, 'GET', f'/v2/images/{image_id}'))

    def get_location(self, ctx: nl_context.RequestContext, image_id: str) -> str:
        """The URL of an active image's data (InvalidState before it is active)."""
        image = self.get_image(ctx, image_id)
        if image.get('status') != ImageStatus.ACTIVE:
            raise exception.InvalidState(resource='Image', id=image_id,
                                         state=image.get('status'),
                                         action='reading its data', needed=ImageStatus.ACTIVE)
        return f'{self.endpoint(ctx)}/v2/images/{image["id"]}/file'

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        """Stream the bytes; ImageCorrupt after the last chunk if size or sha512 differ."""
        image = self.get_image(ctx, image_id)
        if image.get('status') != ImageStatus.ACTIVE:
            raise exception.InvalidState(resource='Image', id=image_id,
                                         state=image.get('status'), action='download',
                                         needed=ImageStatus.ACTIVE)
        response = self._request(ctx, 'GET', f'/v2/images/{image_id}/file', stream=True)
        return _verified(image, response)

    def create_image(self, ctx: nl_context.RequestContext, **fields: Any) -> payloads.Image:
        return cast(payloads.Image, self._json(ctx, 'POST', '/v2/images', json=fields))

    def upload_image(self, ctx: nl_context.RequestContext, image_id: str,
                     data: BinaryIO) -> None:
        """Stream ``data`` as the image's bytes (PUT /v2/images/{id}/file)."""
        self._request(ctx, 'PUT', f'/v2/images/{image_id}/file', data=data,
                      headers={'Content-Type': 'application/octet-stream'})

    def list_images(self, ctx: nl_context.RequestContext, *, name: str | None = None,
                    status: str | None = None,
                    properties: dict[str, str] | None = None) -> list[payloads.Image]:
        """Every visible image (with these extra properties), following ``next`` links."""
        params = {key: value for key, value in (('name', name), ('status', status))
                  if value is not None}
        params.update(properties or {})
        images: list[payloads.Image] = []
        path: str | None = '/v2/images'
        while path:
            body = self._json(ctx, 'GET', path, params=params)
            images.extend(body['images'])
            path, params = body.get('next'), {}  # next carries the query
        return images

    def update_image(self, ctx: nl_context.RequestContext, image_id: str,
                     **changes: Any) -> payloads.Image:
        """A JSON patch: replace or add each property, remove those set to None."""
        current = self.get_image(ctx, image_id)
        patch = [{'op': 'remove', 'path': f'/{key}'} if value is None else
                 {'op': 'replace' if key in current else 'add', 'path': f'/{key}',
                  'value': value}
                 for key, value in changes.items() if value is not None or key in current]
        return cast(payloads.Image, self._json(
            ctx, 'PATCH', f'/v2/images/{image_id}', json=patch,
            headers={'Content-Type': 'application/openstack-images-v2.1-json-patch'}))

    def delete_image(self, ctx: nl_context.RequestContext, image_id: str) -> None:
        self._request(ctx, 'DELETE', f'/v2/images/{image_id}')


def _verified(image: payloads.Image, response: requests.Response) -> Iterator[bytes]:
    expected_hash = image.get('os_hash_value')
    hasher = hashlib.sha512() if expected_hash else None
    size = 0
    try:
        for chunk in response.iter_content(DOWNLOAD_CHUNK_SIZE):
            if not chunk:
                continue
            size += len(chunk)
            if hasher is not None:
                hasher.update(chunk)
            yield chunk
    except requests.RequestException as exc:
        raise exception.ImageCorrupt(image_id=image['id'],
                                     reason=f'the download broke off: {exc}') from exc
    finally:
        response.close()
    if isinstance(image.get('size'), int) and image['size'] != size:
        raise exception.ImageCorrupt(image_id=image['id'],
                                     reason=f'received {size} bytes, expected {image["size"]}')
    if hasher is not None and hasher.hexdigest() != str(expected_hash).lower():
        raise exception.ImageCorrupt(image_id=image['id'],
                                     reason='sha512 of the data does not match os_hash_value')


class NetworkClient(_RestClient):
    service_type = 'network'
    service_name = 'network'

    @staticmethod
    def _port_body(fields: dict[str, Any]) -> dict[str, Any]:
        body = {key: value for key, value in fields.items() if value is not None}
        if 'binding_host_id' in body:
            body['binding:host_id'] = body.pop('binding_host_id')
        return {'port': body}

    def get_network(self, ctx: nl_context.RequestContext,
                    network_id: str) -> payloads.Network:
        return cast(payloads.Network,
                    self._json(ctx, 'GET', f'/v2.0/networks/{network_id}')['network'])

    def list_networks(self, ctx: nl_context.RequestContext) -> list[payloads.Network]:
        return cast(list[payloads.Network], self._json(ctx, 'GET', '/v2.0/networks')['networks'])

    def get_port(self, ctx: nl_context.RequestContext, port_id: str) -> payloads.Port:
        return cast(payloads.Port, self._json(ctx, 'GET', f'/v2.0/ports/{port_id}')['port'])

    def list_ports(self, ctx: nl_context.RequestContext,
                   **filters: Any) -> list[payloads.Port]:
        params = {key: value for key, value in filters.items() if value is not None}
        return cast(list[payloads.Port],
                    self._json(ctx, 'GET', '/v2.0/ports', params=params)['ports'])

    def create_port(self, ctx: nl_context.RequestContext, **fields: Any) -> payloads.Port:
        return cast(payloads.Port, self._json(ctx, 'POST', '/v2.0/ports',
                                              json=self._port_body(fields))['port'])

    def update_port(self, ctx: nl_context.RequestContext, port_id: str,
                    **changes: Any) -> payloads.Port:
        return cast(payloads.Port, self._json(ctx, 'PUT', f'/v2.0/ports/{port_id}',
                                              json=self._port_body(changes))['port'])

    def delete_port(self, ctx: nl_context.RequestContext, port_id: str) -> None:
        self._request(ctx, 'DELETE', f'/v2.0/ports/{port_id}')

    def list_security_groups(self, ctx: nl_context.RequestContext,
                             **filters: Any) -> list[dict[str, Any]]:
        params = {key: value for key, value in filters.items() if value is not None}
        return cast(list[dict[str, Any]], self._json(
            ctx, 'GET', '/v2.0/security-groups', params=params)['security_groups'])

    def get_security_group(self, ctx: nl_context.RequestContext,
                           group_id: str) -> dict[str, Any]:
        return cast(dict[str, Any], self._json(
            ctx, 'GET', f'/v2.0/security-groups/{group_id}')['security_group'])

    def create_security_group(self, ctx: nl_context.RequestContext,
                              **fields: Any) -> dict[str, Any]:
        return cast(dict[str, Any], self._json(
            ctx, 'POST', '/v2.0/security-groups',
            json={'security_group': fields})['security_group'])

    def update_security_group(self, ctx: nl_context.RequestContext, group_id: str,
                              **changes: Any) -> dict[str, Any]:
        return cast(dict[str, Any], self._json(
            ctx, 'PUT', f'/v2.0/security-groups/{group_id}',
            json={'security_group': changes})['security_group'])

    def delete_security_group(self, ctx: nl_context.RequestContext, group_id: str) -> None:
        self._request(ctx, 'DELETE', f'/v2.0/security-groups/{group_id}')

    def create_security_group_rule(self, ctx: nl_context.RequestContext,
                                   **fields: Any) -> dict[str, Any]:
        return cast(dict[str, Any], self._json(
            ctx, 'POST', '/v2.0/security-group-rules',
            json={'security_group_rule': fields})['security_group_rule'])

    def delete_security_group_rule(self, ctx: nl_context.RequestContext,
                                   rule_id: str) -> None:
        self._request(ctx, 'DELETE', f'/v2.0/security-group-rules/{rule_id}')
    def list_floatingips(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[payloads.FloatingIP]:
        params = {key: value for key, value in filters.items() if value is not None}
        return cast(list[payloads.FloatingIP], self._json(
            ctx, 'GET', '/v2.0/floatingips', params=params)['floatingips'])

    def get_floatingip(self, ctx: nl_context.RequestContext,
                       floatingip_id: str) -> payloads.FloatingIP:
        return cast(payloads.FloatingIP, self._json(
            ctx, 'GET', f'/v2.0/floatingips/{floatingip_id}')['floatingip'])

    def create_floatingip(self, ctx: nl_context.RequestContext,
                          **fields: Any) -> payloads.FloatingIP:
        return cast(payloads.FloatingIP, self._json(
            ctx, 'POST', '/v2.0/floatingips', json={'floatingip': fields})['floatingip'])

    def update_floatingip(self, ctx: nl_context.RequestContext, floatingip_id: str,
                          **changes: Any) -> payloads.FloatingIP:
        return cast(payloads.FloatingIP, self._json(
            ctx, 'PUT', f'/v2.0/floatingips/{floatingip_id}',
            json={'floatingip': changes})['floatingip'])

    def delete_floatingip(self, ctx: nl_context.RequestContext, floatingip_id: str) -> None:
        self._request(ctx, 'DELETE', f'/v2.0/floatingips/{floatingip_id}')


def _attachment(body: dict[str, Any]) -> payloads.Attachment:
    """A cinder attachment body in the shape the volume manager returns."""
    return cast(payloads.Attachment, {
        'id': body['id'], 'volume_id': body.get('volume_id'),
        'instance_id': body.get('instance_id', body.get('instance')),
        'attach_status': body.get('attach_status', body.get('status')),
        'attached_host': body.get('attached_host'), 'mountpoint': body.get('mountpoint'),
        'connection_info': body.get('connection_info')})


class VolumeClient(_RestClient):
    service_type = 'block-storage'
    service_name = 'block storage'
    default_headers = {'OpenStack-API-Version': VOLUME_MICROVERSION}

    def get_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> payloads.Volume:
        return cast(payloads.Volume, self._json(ctx, 'GET', f'/volumes/{volume_id}')['volume'])

    def reserve_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                       instance_id: str) -> payloads.Attachment:
        body = {'attachment': {'volume_uuid': volume_id, 'instance_uuid': instance_id}}
        return _attachment(self._json(ctx, 'POST', '/attachments', json=body)['attachment'])

    def attach_volume(self, ctx: nl_context.RequestContext, attachment_id: str, host: str,
                      mountpoint: str) -> payloads.ConnectionInfo:
        """Export the reserved volume to ``host``; returns its connection info."""
        body = {'attachment': {'connector': {'host': host, 'mountpoint': mountpoint}}}
        attachment = self._json(ctx, 'PUT', f'/attachments/{attachment_id}',
                                json=body)['attachment']
        info = attachment.get('connection_info')
        if not isinstance(info, dict):
            raise exception.NovaLiteError(
                f'attachment {attachment_id} came back without connection info')
        return cast(payloads.ConnectionInfo, info)

    def mark_attached(self, ctx: nl_context.RequestContext, attachment_id: str,
                      mountpoint: str) -> None:
        """A connector without a host: attached, no export (a shelved server's volume)."""
        body = {'attachment': {'connector': {'mountpoint': mountpoint}}}
        self._json(ctx, 'PUT', f'/attachments/{attachment_id}', json=body)

    def detach_volume(self, ctx: nl_context.RequestContext, attachment_id: str) -> None:
        try:
            self._request(ctx, 'DELETE', f'/attachments/{attachment_id}')
        except exception.NotFound:
            pass

    def list_attachments(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[payloads.Attachment]:
        params = {key: value for key, value in filters.items() if value is not None}
        body = self._json(ctx, 'GET', '/attachments', params=params)
        return [_attachment(item) for item in body['attachments']]

    def list_volumes(self, ctx: nl_context.RequestContext) -> list[payloads.Volume]:
        return cast(list[payloads.Volume], self._json(ctx, 'GET', '/volumes/detail')['volumes'])

    def create_volume(self, ctx: nl_context.RequestContext, *, size: int,
                      name: str | None = None, description: str | None = None,
                      metadata: dict[str, str] | None = None,
                      availability_zone: str | None = None,
                      volume_type: str | None = None,
                      image_id: str | None = None) -> payloads.Volume:
        fields = {'size': size, 'name': name, 'description': description,
                  'metadata': metadata, 'availability_zone': availability_zone,
                  'volume_type': volume_type, 'imageRef': image_id}
        body = {'volume': {key: value for key, value in fields.items() if value is not None}}
        return cast(payloads.Volume, self._json(ctx, 'POST', '/volumes', json=body)['volume'])

    def delete_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        self._request(ctx, 'DELETE', f'/volumes/{volume_id}')

    def list_snapshots(self, ctx: nl_context.RequestContext) -> list[payloads.Snapshot]:
        return cast(list[payloads.Snapshot],
                    self._json(ctx, 'GET', '/snapshots/detail')['snapshots'])

    def get_snapshot(self, ctx: nl_context.RequestContext,
                     snapshot_id: str) -> payloads.Snapshot:
        return cast(payloads.Snapshot,
                    self._json(ctx, 'GET', f'/snapshots/{snapshot_id}')['snapshot'])

    def create_snapshot(self, ctx: nl_context.RequestContext, volume_id: str, *,
                        name: str | None = None, description: str | None = None,
                        force: bool = False) -> payloads.Snapshot:
        body = {'snapshot': {'volume_id': volume_id, 'name': name,
                             'description': description, 'force': force}}
        return cast(payloads.Snapshot,
                    self._json(ctx, 'POST', '/snapshots', json=body)['snapshot'])

    def delete_snapshot(self, ctx: nl_context.RequestContext, snapshot_id: str) -> None:
        self._request(ctx, 'DELETE', f'/snapshots/{snapshot_id}')

    def create_volume_from_snapshot(self, ctx: nl_context.RequestContext, snapshot_id: str, *,
                                    size: int | None = None, name: str | None = None,
                                    description: str | None = None,
                                    metadata: dict[str, str] | None = None,
                                    availability_zone: str | None = None,
                                    volume_type: str | None = None) -> payloads.Volume:
        fields = {'snapshot_id': snapshot_id, 'size': size, 'name': name,
                  'description': description, 'metadata': metadata,
                  'availability_zone': availability_zone, 'volume_type': volume_type}
        body = {'volume': {key: value for key, value in fields.items() if value is not None}}
        return cast(payloads.Volume, self._json(ctx, 'POST', '/volumes', json=body)['volume'])


def context_from_token_body(token: str, body: dict[str, Any]) -> nl_context.RequestContext:
    """The request context of a validated token body (the roles identity granted)."""
    roles = [role['name'] for role in body.get('roles', [])]
    user, project = body['user'], body.get('project') or {}
    return nl_context.RequestContext(
        user_id=user['id'], project_id=project.get('id'), roles=roles, auth_token=token,
        user_name=user.get('name'), project_name=project.get('name'),
        is_admin='admin' in roles, user_domain_id=user.get('domain', {}).get('id'),
        project_domain_id=project.get('domain', {}).get('id'),
        system_scope='all' if body.get('system', {}).get('all') else None,
        overwrite=False)  # a check of a token is no new request to log under


class IdentityClient:
    """The identity API: tokens are checked as the token itself (``GET /v3/auth/tokens``).

    Project lookups act with the session's own credentials (its keystoneauth
    auth plugin); a session without one gets NotAuthorized.
    """

    def __init__(self, identity_url: str, session: ks_session.Session | None = None) -> None:
        self._url = identity_url.rstrip('/')
        self._session = session or new_session()
        self._validator = http_auth.HTTPTokenValidator(self._url, self._session)

    def validate_token(self, token: str) -> dict[str, Any]:
        return self._validator(token)

    def context_from_token(self, token: str) -> nl_context.RequestContext:
        return context_from_token_body(token, self._validator(token))

    def get_project(self, project_id: str) -> dict[str, Any]:
        return dict(self._get(f'/v3/projects/{project_id}')['project'])

    def list_projects(self) -> list[dict[str, Any]]:
        return [dict(project) for project in self._get('/v3/projects')['projects']]

    def _get(self, path: str) -> dict[str, Any]:
        """GET with the session's own credentials."""
        try:
            with hop_timer.hop(hop_timer.HTTP):
                response = self._session.get(f'{self._url}{path}', raise_exc=False)
        except ks_exceptions.MissingAuthPlugin as exc:
            raise exception.NotAuthorized(
                'the identity client has no credentials to read projects with') from exc
        except (ks_exceptions.ClientException, requests.RequestException) as exc:
            raise exception.NovaLiteError(f'identity API unreachable: {exc}') from exc
        http_auth.raise_for_status(response)
        return dict(response.json())


# mypy checks that each client satisfies its Protocol (these are never called).
def _satisfies_protocols(identity: IdentityClient, images: ImageClient,
                         networks: NetworkClient, volumes: VolumeClient) -> None:
    checked: tuple[protocols.IdentityClient, protocols.ImageClient, protocols.NetworkClient,
                   protocols.VolumeClient] = (identity, images, networks, volumes)
    proxies: tuple[protocols.ImageProxyClient, protocols.VolumeProxyClient] = (images, volumes)
    del checked, proxies
