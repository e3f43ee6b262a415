"""What one service may ask of another: one Protocol per service.

A service never imports another service's manager, REST package or models; it
is given an object that satisfies one of these Protocols. Two families of
implementations exist: :mod:`nova_lite.clients.local` (the managers in the same
process, after a token check) and :mod:`nova_lite.clients.http` (the REST APIs
with keystoneauth1 sessions). Tests use small in-memory fakes.

The payloads are :mod:`nova_lite.clients.payloads` TypedDicts: plain dicts at
run time (they cross RPC and HTTP as JSON), typed for the checker.

Services call these with the *user's* request context (the token travels with
it), except the trusted teardown methods marked "as a service", which the
conductor calls with its own context.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO, Protocol

from nova_lite.clients import payloads
from nova_lite.common import context as nl_context


class TokenValidator(Protocol):
    """Identity's token check: the token's body (roles, project, catalog) or an error."""

    def __call__(self, token: str) -> dict[str, Any]:
        ...


class IdentityClient(Protocol):
    """The identity service as other services use it."""

    def validate_token(self, token: str) -> dict[str, Any]:
        """The token body (``token`` of GET /v3/auth/tokens); NotAuthorized when invalid."""
        ...

    def context_from_token(self, token: str) -> nl_context.RequestContext:
        """A request context with the roles identity grants the token (not claimed ones)."""
        ...

    def get_project(self, project_id: str) -> dict[str, Any]:
        """The project; NotFound when there is none (REST scope checks use this)."""
        ...

    def list_projects(self) -> list[dict[str, Any]]:
        """Every project (the network API lists each one's default security group)."""
        ...


class ImageClient(Protocol):
    """The image service (Glance v2) as the boot flow and compute hosts use it."""

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> payloads.Image:
        ...

    def get_location(self, ctx: nl_context.RequestContext, image_id: str) -> str:
        ...

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        ...


class ImageWriter(Protocol):
    """The image service calls that make an image: a server snapshot's record and data."""

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> payloads.Image:
        ...

    def create_image(self, ctx: nl_context.RequestContext, **fields: Any) -> payloads.Image:
        ...

    def upload_image(self, ctx: nl_context.RequestContext, image_id: str,
                     data: BinaryIO) -> None:
        ...

    def delete_image(self, ctx: nl_context.RequestContext, image_id: str) -> None:
        ...

    def list_images(self, ctx: nl_context.RequestContext, *, name: str | None = None,
                    status: str | None = None,
                    properties: dict[str, str] | None = None) -> list[payloads.Image]:
        """The visible images with these extra properties (createBackup's rotation)."""
        ...


class NetworkClient(Protocol):
    """The network service (Neutron v2.0 ports and networks) as the boot flow uses it."""

    def get_network(self, ctx: nl_context.RequestContext,
                    network_id: str) -> payloads.Network:
        ...

    def list_networks(self, ctx: nl_context.RequestContext) -> list[payloads.Network]:
        ...

    def get_port(self, ctx: nl_context.RequestContext, port_id: str) -> payloads.Port:
        ...

    def list_ports(self, ctx: nl_context.RequestContext,
                   **filters: Any) -> list[payloads.Port]:
        ...

    def create_port(self, ctx: nl_context.RequestContext, **fields: Any) -> payloads.Port:
        ...

    def update_port(self, ctx: nl_context.RequestContext, port_id: str,
                    **changes: Any) -> payloads.Port:
        ...

    def delete_port(self, ctx: nl_context.RequestContext, port_id: str) -> None:
        ...

    # Security groups (neutron's bodies): the compute API's os-security-groups proxy,
    # server security groups, and the rules a host renders as a port's nwfilter.

    def list_security_groups(self, ctx: nl_context.RequestContext,
                             **filters: Any) -> list[dict[str, Any]]:
        ...

    def get_security_group(self, ctx: nl_context.RequestContext,
                           group_id: str) -> dict[str, Any]:
        ...

    def create_security_group(self, ctx: nl_context.RequestContext,
                              **fields: Any) -> dict[str, Any]:
        ...

    def update_security_group(self, ctx: nl_context.RequestContext, group_id: str,
                              **changes: Any) -> dict[str, Any]:
        ...

    def delete_security_group(self, ctx: nl_context.RequestContext, group_id: str) -> None:
        ...

    def create_security_group_rule(self, ctx: nl_context.RequestContext,
                                   **fields: Any) -> dict[str, Any]:
        ...

    def delete_security_group_rule(self, ctx: nl_context.RequestContext,
                                   rule_id: str) -> None:
        ...

    # Floating IPs (neutron's bodies): the compute API's os-floating-ips proxy and
    # the addFloatingIp/removeFloatingIp actions.

    def list_floatingips(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[payloads.FloatingIP]:
        ...

    def get_floatingip(self, ctx: nl_context.RequestContext,
                       floatingip_id: str) -> payloads.FloatingIP:
        ...

    def create_floatingip(self, ctx: nl_context.RequestContext,
                          **fields: Any) -> payloads.FloatingIP:
        ...

    def update_floatingip(self, ctx: nl_context.RequestContext, floatingip_id: str,
                          **changes: Any) -> payloads.FloatingIP:
        """``port_id=None`` disassociates."""
        ...

    def delete_floatingip(self, ctx: nl_context.RequestContext, floatingip_id: str) -> None:
        ...


class VolumeClient(Protocol):
    """The block storage service (Cinder v3 attachments) as the boot flow uses it."""

    def get_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> payloads.Volume:
        ...

    def reserve_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                       instance_id: str) -> payloads.Attachment:
        ...

    def attach_volume(self, ctx: nl_context.RequestContext, attachment_id: str, host: str,
                      mountpoint: str) -> payloads.ConnectionInfo:
        """Export the reserved volume to ``host``; how the host connects to it."""
        ...

    def mark_attached(self, ctx: nl_context.RequestContext, attachment_id: str,
                      mountpoint: str) -> None:
        """Mark the reserved volume attached at ``mountpoint`` with no host (in-use)."""
        ...

    def detach_volume(self, ctx: nl_context.RequestContext, attachment_id: str) -> None:
        """Delete the attachment; an attachment already gone is not an error."""
        ...

    def list_attachments(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[payloads.Attachment]:
        ...

    # Boot from volume: the volumes a boot makes (from an image, or blank) and,
    # for delete_on_termination, deletes.
    def create_volume(self, ctx: nl_context.RequestContext, *, size: int,
                      name: str | None = None, description: str | None = None,
                      metadata: dict[str, str] | None = None,
                      availability_zone: str | None = None,
                      volume_type: str | None = None,
                      image_id: str | None = None) -> payloads.Volume:
        ...

    def delete_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        ...


class ImageProxyClient(Protocol):
    """The image service as the compute API's image proxy (``/v2.1/images``) uses it."""

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> payloads.Image:
        ...

    def list_images(self, ctx: nl_context.RequestContext, *, name: str | None = None,
                    status: str | None = None,
                    properties: dict[str, str] | None = None) -> list[payloads.Image]:
        """Every image the caller sees (glance's flat v2 view), newest first."""
        ...

    def update_image(self, ctx: nl_context.RequestContext, image_id: str,
                     **changes: Any) -> payloads.Image:
        """Set extra properties; a property set to None is removed."""
        ...

    def delete_image(self, ctx: nl_context.RequestContext, image_id: str) -> None:
        ...


class VolumeProxyClient(Protocol):
    """The block storage service as the compute API's ``/os-volumes`` proxy uses it."""

    def get_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> payloads.Volume:
        ...

    def list_volumes(self, ctx: nl_context.RequestContext) -> list[payloads.Volume]:
        ...

    def create_volume(self, ctx: nl_context.RequestContext, *, size: int,
                      name: str | None = None, description: str | None = None,
                      metadata: dict[str, str] | None = None,
                      availability_zone: str | None = None,
                      volume_type: str | None = None) -> payloads.Volume:
        ...

    def delete_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        ...

    # Snapshots (the compute API's /os-snapshots proxy) and volumes made from them.

    def list_snapshots(self, ctx: nl_context.RequestContext) -> list[payloads.Snapshot]:
        ...

    def get_snapshot(self, ctx: nl_context.RequestContext,
                     snapshot_id: str) -> payloads.Snapshot:
        ...

    def create_snapshot(self, ctx: nl_context.RequestContext, volume_id: str, *,
                        name: str | None = None, description: str | None = None,
                        force: bool = False) -> payloads.Snapshot:
        ...

    def delete_snapshot(self, ctx: nl_context.RequestContext, snapshot_id: str) -> None:
        ...

    def create_volume_from_snapshot(self, ctx: nl_context.RequestContext, snapshot_id: str, *,
                                    size: int | None = None, name: str | None = None,
                                    description: str | None = None,
                                    metadata: dict[str, str] | None = None,
                                    availability_zone: str | None = None,
                                    volume_type: str | None = None) -> payloads.Volume:
        ...
