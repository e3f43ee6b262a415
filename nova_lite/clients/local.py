"""In-process service clients that check the token as a service API would.

Every call re-validates the caller's token with the identity manager and acts
with the context identity returns (never with the caller's claimed roles),
which is what the REST APIs' auth middleware does for HTTP callers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from nova_lite.common import context as nl_context
from nova_lite.common import exception, notifications
from nova_lite.identity import manager as identity_manager
from nova_lite.image import manager as image_manager
from nova_lite.network import manager as network_manager
from nova_lite.volume import manager as volume_manager


class _TokenCheckingClient:
    service_name = ''

    def __init__(self, identity: identity_manager.IdentityManager, *,
                 report_steps: bool = True) -> None:
        self._identity = identity
        self._report_steps = report_steps

    def _authorise(self, ctx: nl_context.RequestContext) -> nl_context.RequestContext:
        if not ctx.auth_token:
            raise exception.NotAuthorized()
        validated = self._identity.context_from_token(ctx.auth_token)
        if self._report_steps:
            notifications.publish(notifications.TokenChecked(
                service=self.service_name, user_name=validated.user_name,
                project_name=validated.project_name))
        return validated


class IdentityClient:
    """Token issue and validation (the identity API's /v3/auth/tokens)."""

    def __init__(self, identity: identity_manager.IdentityManager) -> None:
        self._identity = identity

    def authenticate(self, **credentials: Any) -> dict[str, Any]:
        return self._identity.authenticate(**credentials)

    def context_from_token(self, token: str) -> nl_context.RequestContext:
        return self._identity.context_from_token(token)


class ImageClient(_TokenCheckingClient):
    service_name = 'image'

    def __init__(self, identity: identity_manager.IdentityManager,
                 images: image_manager.ImageManager, *, report_steps: bool = True) -> None:
        super().__init__(identity, report_steps=report_steps)
        self._images = images

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> dict[str, Any]:
        return self._images.get_image(self._authorise(ctx), image_id)

    def get_location(self, ctx: nl_context.RequestContext, image_id: str) -> str:
        return self._images.get_location(self._authorise(ctx), image_id)

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        return self._images.download_image(self._authorise(ctx), image_id)


class NetworkClient(_TokenCheckingClient):
    service_name = 'network'

    def __init__(self, identity: identity_manager.IdentityManager,
                 networks: network_manager.NetworkManager, *,
                 report_steps: bool = True) -> None:
        super().__init__(identity, report_steps=report_steps)
        self._networks = networks

    def get_network(self, ctx: nl_context.RequestContext, network_id: str) -> dict[str, Any]:
        return self._networks.get_network(self._authorise(ctx), network_id)

    def list_networks(self, ctx: nl_context.RequestContext) -> list[dict[str, Any]]:
        return self._networks.list_networks(self._authorise(ctx))

    def get_port(self, ctx: nl_context.RequestContext, port_id: str) -> dict[str, Any]:
        return self._networks.get_port(self._authorise(ctx), port_id)

    def list_ports(self, ctx: nl_context.RequestContext, **filters: Any) -> list[dict[str, Any]]:
        return self._networks.list_ports(self._authorise(ctx), **filters)

    def create_port(self, ctx: nl_context.RequestContext, **fields: Any) -> dict[str, Any]:
        return self._networks.create_port(self._authorise(ctx), **fields)

    def update_port(self, ctx: nl_context.RequestContext, port_id: str,
                    **changes: Any) -> dict[str, Any]:
        return self._networks.update_port(self._authorise(ctx), port_id, **changes)

    def delete_port(self, ctx: nl_context.RequestContext, port_id: str) -> None:
        self._networks.delete_port(self._authorise(ctx), port_id)


class VolumeClient(_TokenCheckingClient):
    service_name = 'block storage'

    def __init__(self, identity: identity_manager.IdentityManager,
                 volumes: volume_manager.VolumeManager, *,
                 report_steps: bool = True) -> None:
        super().__init__(identity, report_steps=report_steps)
        self._volumes = volumes

    def get_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> dict[str, Any]:
        return self._volumes.get_volume(self._authorise(ctx), volume_id)

    def reserve_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                       instance_id: str) -> dict[str, Any]:
        return self._volumes.reserve_volume(self._authorise(ctx), volume_id, instance_id)

    def attach_volume(self, ctx: nl_context.RequestContext, attachment_id: str, host: str,
                      mountpoint: str) -> dict[str, Any]:
        return self._volumes.attach_volume(self._authorise(ctx), attachment_id, host,
                                           mountpoint)

    def detach_volume(self, ctx: nl_context.RequestContext, attachment_id: str) -> None:
        self._volumes.detach_volume(self._authorise(ctx), attachment_id, ignore_missing=True)

    def list_attachments(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[dict[str, Any]]:
        return self._volumes.list_attachments(self._authorise(ctx), **filters)
