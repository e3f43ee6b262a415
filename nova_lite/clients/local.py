"""In-process service clients that check the token as a service API would.

Every call re-validates the caller's token with the identity manager and acts
with the context identity returns (never with the caller's claimed roles),
which is what the REST APIs' auth middleware does for HTTP callers.

The ``Service*`` clients are the conductor's own, for its trusted teardown:
they act with the context they are given (the conductor's), with no token.

Each client satisfies its :mod:`nova_lite.clients.protocols` Protocol (the
assignments at the end of this module have mypy check it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO, cast

from nova_lite.clients import payloads, protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception, hop_timer, notifications
from nova_lite.identity import manager as identity_manager
from nova_lite.image import manager as image_manager
from nova_lite.network import manager as network_manager
from nova_lite.volume import manager as volume_manager

UPLOAD_CHUNK_SIZE = 64 * 1024


class _TokenCheckingClient:
    service_name = ''

    def __init__(self, identity: identity_manager.IdentityManager, *,
                 report_steps: bool = True) -> None:
        self._identity = identity
        self._report_steps = report_steps

    def _authorise(self, ctx: nl_context.RequestContext) -> nl_context.RequestContext:
        if not ctx.auth_token:
            raise exception.NotAuthorized()
        with hop_timer.hop(hop_timer.TOKEN):
            validated = self._identity.context_from_token(ctx.auth_token)
        # The call stays part of the caller's request (as the ids an HTTP call sends).
        nl_context.set_request_ids(validated, nl_context.request_ids(ctx))
        if self._report_steps:
            notifications.publish(notifications.TokenChecked(
                service=self.service_name, user_name=validated.user_name,
                project_name=validated.project_name))
        return validated


class _AsService:
    """Acts with the caller's context as it is: the conductor's own (a trusted service)."""

    @staticmethod
    def _authorise(ctx: nl_context.RequestContext) -> nl_context.RequestContext:
        return ctx


class IdentityClient:
    """Token validation and project lookups (the identity API's /v3/auth/tokens, /v3/projects)."""

    def __init__(self, identity: identity_manager.IdentityManager) -> None:
        self._identity = identity

    def authenticate(self, **credentials: Any) -> dict[str, Any]:
        return self._identity.authenticate(**credentials)

    def validate_token(self, token: str) -> dict[str, Any]:
        with hop_timer.hop(hop_timer.TOKEN):
            return self._identity.validate_token(token)

    def context_from_token(self, token: str) -> nl_context.RequestContext:
        with hop_timer.hop(hop_timer.TOKEN):
            return self._identity.context_from_token(token)

    def get_project(self, project_id: str) -> dict[str, Any]:
        return self._identity.get_project(project_id)

    def list_projects(self) -> list[dict[str, Any]]:
        return self._identity.list_projects()


class ImageClient(_TokenCheckingClient):
    service_name = 'image'

    def __init__(self, identity: identity_manager.IdentityManager,
                 images: image_manager.ImageManager, *, report_steps: bool = True) -> None:
        super().__init__(identity, report_steps=report_steps)
        self._images = images

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> payloads.Image:
        return cast(payloads.Image, self._images.get_image(self._authorise(ctx), image_id))

    def get_location(self, ctx: nl_context.RequestContext, image_id: str) -> str:
        return self._images.get_location(self._authorise(ctx), image_id)

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        return self._images.download_image(self._authorise(ctx), image_id)

    def create_image(self, ctx: nl_context.RequestContext, **fields: Any) -> payloads.Image:
        return cast(payloads.Image, self._images.create_image(self._authorise(ctx), **fields))

    def upload_image(self, ctx: nl_context.RequestContext, image_id: str,
                     data: BinaryIO) -> None:
        chunks = iter(lambda: data.read(UPLOAD_CHUNK_SIZE), b'')
        self._images.upload_image(self._authorise(ctx), image_id, chunks)

    def list_images(self, ctx: nl_context.RequestContext, *, name: str | None = None,
                    status: str | None = None,
                    properties: dict[str, str] | None = None) -> list[payloads.Image]:
        return cast(list[payloads.Image], self._images.list_images(
            self._authorise(ctx), name=name, status=status, properties=properties))

    def update_image(self, ctx: nl_context.RequestContext, image_id: str,
                     **changes: Any) -> payloads.Image:
        return cast(payloads.Image,
                    self._images.update_image(self._authorise(ctx), image_id, **changes))

    def delete_image(self, ctx: nl_context.RequestContext, image_id: str) -> None:
        self._images.delete_image(self._authorise(ctx), image_id)


class _NetworkCalls:
    _networks: network_manager.NetworkManager

    def _authorise(self, ctx: nl_context.RequestContext) -> nl_context.RequestContext:
        raise NotImplementedError

    def get_network(self, ctx: nl_context.RequestContext,
                    network_id: str) -> payloads.Network:
        return cast(payloads.Network,
                    self._networks.get_network(self._authorise(ctx), network_id))

    def list_networks(self, ctx: nl_context.RequestContext) -> list[payloads.Network]:
        return cast(list[payloads.Network],
                    self._networks.list_networks(self._authorise(ctx)))

    def get_port(self, ctx: nl_context.RequestContext, port_id: str) -> payloads.Port:
        return cast(payloads.Port, self._networks.get_port(self._authorise(ctx), port_id))

    def list_ports(self, ctx: nl_context.RequestContext,
                   **filters: Any) -> list[payloads.Port]:
        return cast(list[payloads.Port],
                    self._networks.list_ports(self._authorise(ctx), **filters))

    def create_port(self, ctx: nl_context.RequestContext, **fields: Any) -> payloads.Port:
        return cast(payloads.Port, self._networks.create_port(self._authorise(ctx), **fields))

    def update_port(self, ctx: nl_context.RequestContext, port_id: str,
                    **changes: Any) -> payloads.Port:
        return cast(payloads.Port,
                    self._networks.update_port(self._authorise(ctx), port_id, **changes))

    def delete_port(self, ctx: nl_context.RequestContext, port_id: str) -> None:
        self._networks.delete_port(self._authorise(ctx), port_id)

    def list_security_groups(self, ctx: nl_context.RequestContext,
                             **filters: Any) -> list[dict[str, Any]]:
        wanted = [(key, [value]) for key, value in filters.items() if value is not None]
        return self._networks.page_security_groups(self._authorise(ctx), wanted).items

    def get_security_group(self, ctx: nl_context.RequestContext,
                           group_id: str) -> dict[str, Any]:
        return self._networks.get_security_group(self._authorise(ctx), group_id)

    def create_security_group(self, ctx: nl_context.RequestContext,
                              **fields: Any) -> dict[str, Any]:
        return self._networks.create_security_group(self._authorise(ctx), **fields)

    def update_security_group(self, ctx: nl_context.RequestContext, group_id: str,
                              **changes: Any) -> dict[str, Any]:
        return self._networks.update_security_group(self._authorise(ctx), group_id,
                                                    **changes)

    def delete_security_group(self, ctx: nl_context.RequestContext, group_id: str) -> None:
        self._networks.delete_security_group(self._authorise(ctx), group_id)

    def create_security_group_rule(self, ctx: nl_context.RequestContext,
                                   **fields: Any) -> dict[str, Any]:
        return self._networks.create_security_group_rule(self._authorise(ctx), **fields)

    def delete_security_group_rule(self, ctx: nl_context.RequestContext,
                                   rule_id: str) -> None:
        self._networks.delete_security_group_rule(self._authorise(ctx), rule_id)
    def list_floatingips(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[payloads.FloatingIP]:
        wanted = [(key, [value]) for key, value in filters.items() if value is not None]
        return cast(list[payloads.FloatingIP],
                    self._networks.page_floatingips(self._authorise(ctx), wanted).items)

    def get_floatingip(self, ctx: nl_context.RequestContext,
                       floatingip_id: str) -> payloads.FloatingIP:
        return cast(payloads.FloatingIP,
                    self._networks.get_floatingip(self._authorise(ctx), floatingip_id))

    def create_floatingip(self, ctx: nl_context.RequestContext,
                          **fields: Any) -> payloads.FloatingIP:
        return cast(payloads.FloatingIP,
                    self._networks.create_floatingip(self._authorise(ctx), **fields))

    def update_floatingip(self, ctx: nl_context.RequestContext, floatingip_id: str,
                          **changes: Any) -> payloads.FloatingIP:
        return cast(payloads.FloatingIP, self._networks.update_floatingip(
            self._authorise(ctx), floatingip_id, **changes))

    def delete_floatingip(self, ctx: nl_context.RequestContext, floatingip_id: str) -> None:
        self._networks.delete_floatingip(self._authorise(ctx), floatingip_id)


class NetworkClient(_TokenCheckingClient, _NetworkCalls):
    service_name = 'network'

    def __init__(self, identity: identity_manager.IdentityManager,
                 networks: network_manager.NetworkManager, *,
                 report_steps: bool = True) -> None:
        super().__init__(identity, report_steps=report_steps)
        self._networks = networks


class ServiceNetworkClient(_AsService, _NetworkCalls):
    """The network manager as the conductor's teardown uses it (its own context)."""

    def __init__(self, networks: network_manager.NetworkManager) -> None:
        self._networks = networks


class _VolumeCalls:
    _volumes: volume_manager.VolumeManager

    def _authorise(self, ctx: nl_context.RequestContext) -> nl_context.RequestContext:
        raise NotImplementedError

    def get_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> payloads.Volume:
        return cast(payloads.Volume, self._volumes.get_volume(self._authorise(ctx), volume_id))

    def reserve_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                       instance_id: str) -> payloads.Attachment:
        return cast(payloads.Attachment, self._volumes.reserve_volume(
            self._authorise(ctx), volume_id, instance_id))

    def attach_volume(self, ctx: nl_context.RequestContext, attachment_id: str, host: str,
                      mountpoint: str) -> payloads.ConnectionInfo:
        return cast(payloads.ConnectionInfo, self._volumes.attach_volume(
            self._authorise(ctx), attachment_id, host, mountpoint))

    def mark_attached(self, ctx: nl_context.RequestContext, attachment_id: str,
                      mountpoint: str) -> None:
        self._volumes.mark_attached(self._authorise(ctx), attachment_id, mountpoint)

    def detach_volume(self, ctx: nl_context.RequestContext, attachment_id: str) -> None:
        self._volumes.detach_volume(self._authorise(ctx), attachment_id, ignore_missing=True)

    def list_attachments(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[payloads.Attachment]:
        return cast(list[payloads.Attachment],
                    self._volumes.list_attachments(self._authorise(ctx), **filters))

    def list_volumes(self, ctx: nl_context.RequestContext) -> list[payloads.Volume]:
        return cast(list[payloads.Volume], self._volumes.list_volumes(self._authorise(ctx)))

    def create_volume(self, ctx: nl_context.RequestContext, *, size: int,
                      name: str | None = None, description: str | None = None,
                      metadata: dict[str, str] | None = None,
                      availability_zone: str | None = None,
                      volume_type: str | None = None,
                      image_id: str | None = None) -> payloads.Volume:
        return cast(payloads.Volume, self._volumes.create_volume(
            self._authorise(ctx), size, name=name, description=description,
            metadata=metadata, availability_zone=availability_zone,
            volume_type=volume_type, image_id=image_id))

    def delete_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        self._volumes.delete_volume(self._authorise(ctx), volume_id)

    def list_snapshots(self, ctx: nl_context.RequestContext) -> list[payloads.Snapshot]:
        authorised = self._authorise(ctx)
        return cast(list[payloads.Snapshot], self._volumes.snapshots.list(
            authorised, project_id=authorised.project_id))

    def get_snapshot(self, ctx: nl_context.RequestContext,
                     snapshot_id: str) -> payloads.Snapshot:
        return cast(payloads.Snapshot,
                    self._volumes.snapshots.get(self._authorise(ctx), snapshot_id))

    def create_snapshot(self, ctx: nl_context.RequestContext, volume_id: str, *,
                        name: str | None = None, description: str | None = None,
                        force: bool = False) -> payloads.Snapshot:
        return cast(payloads.Snapshot, self._volumes.snapshots.create(
            self._authorise(ctx), volume_id, name=name, description=description,
            force=force))

    def delete_snapshot(self, ctx: nl_context.RequestContext, snapshot_id: str) -> None:
        self._volumes.snapshots.delete(self._authorise(ctx), snapshot_id)

    def create_volume_from_snapshot(self, ctx: nl_context.RequestContext, snapshot_id: str, *,
                                    size: int | None = None, name: str | None = None,
                                    description: str | None = None,
                                    metadata: dict[str, str] | None = None,
                                    availability_zone: str | None = None,
                                    volume_type: str | None = None) -> payloads.Volume:
        return cast(payloads.Volume, self._volumes.copies.create_from(
            self._authorise(ctx), size=size, snapshot_id=snapshot_id, name=name,
            description=description, metadata=metadata,
            availability_zone=availability_zone, volume_type=volume_type))


class VolumeClient(_TokenCheckingClient, _VolumeCalls):
    service_name = 'block storage'

    def __init__(self, identity: identity_manager.IdentityManager,
                 volumes: volume_manager.VolumeManager, *,
                 report_steps: bool = True) -> None:
        super().__init__(identity, report_steps=report_steps)
        self._volumes = volumes


class ServiceVolumeClient(_AsService, _VolumeCalls):
    """The volume manager as the conductor's teardown uses it (its own context)."""

    def __init__(self, volumes: volume_manager.VolumeManager) -> None:
        self._volumes = volumes


# mypy checks that each client satisfies its Protocol (these are never called).
def _satisfies_protocols(identity: IdentityClient, images: ImageClient,
                         networks: NetworkClient, service_networks: ServiceNetworkClient,
                         volumes: VolumeClient,
                         service_volumes: ServiceVolumeClient) -> None:
    checked: tuple[protocols.IdentityClient, protocols.ImageClient, protocols.NetworkClient,
                   protocols.NetworkClient, protocols.VolumeClient, protocols.VolumeClient]
    checked = (identity, images, networks, service_networks, volumes, service_volumes)
    proxies: tuple[protocols.ImageProxyClient, protocols.VolumeProxyClient] = (images, volumes)
    del checked, proxies
