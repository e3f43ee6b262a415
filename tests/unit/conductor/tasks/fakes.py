"""In-memory fakes of everything the boot and delete tasks talk to.

Each fake holds the state its service would hold (ports by id with their
device_id, volume attachments, claims, domains, instance records), records
every call, and can be told to fail one call (:meth:`Recorder.fail`), before
or after the call took effect, as a crash or a lost answer would.

They satisfy the Protocols of :mod:`nova_lite.clients.protocols` (checked by
the assignments at the end of this module). The fakes of the stores and RPC
APIs are in :mod:`fake_services`.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
from collections.abc import Iterator
from typing import Any, cast

from nova_lite.clients import payloads, protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception

TOKEN = 'gAAAAAB-the-users-token-as-identity-issued-it'


@dataclasses.dataclass
class Call:
    method: str
    args: dict[str, Any]
    # The token of the context the call was made with (None without a context).
    token: str | None = None


@dataclasses.dataclass
class _Failure:
    error: Exception
    after_effect: bool
    skip: int


class Recorder:
    """Records calls; raises an error armed with :meth:`fail` once."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._failures: dict[str, _Failure] = {}
        # Tokens this service no longer accepts (their user was deleted).
        self.refused_tokens: set[str] = set()

    def fail(self, method: str, error: Exception, *, after_effect: bool = False,
             skip: int = 0) -> None:
        """A call of ``method`` raises ``error`` once, after ``skip`` calls that pass:
        before it changes anything, or (``after_effect``) after it made its change, as
        when its answer is lost (``skip`` then counts the calls that made one)."""
        self._failures[method] = _Failure(error, after_effect, skip)

    def called(self, method: str) -> list[dict[str, Any]]:
        """The arguments of each call of ``method``, in order."""
        return [call.args for call in self.calls if call.method == method]

    def _enter(self, method: str, ctx: nl_context.RequestContext | None = None,
               **args: Any) -> None:
        token = ctx.auth_token if ctx is not None else None
        self.calls.append(Call(method, args, token))
        if token in self.refused_tokens:
            raise exception.TokenInvalid(reason='the token\'s user is gone')
        self._fail_here(method, after_effect=False)

    def _leave(self, method: str) -> None:
        """The end of a call that changed something (where a lost answer is raised)."""
        self._fail_here(method, after_effect=True)

    def _fail_here(self, method: str, *, after_effect: bool) -> None:
        failure = self._failures.get(method)
        if failure is None or failure.after_effect != after_effect:
            return
        if failure.skip > 0:
            failure.skip -= 1
            return
        del self._failures[method]
        raise failure.error


def not_found(resource: str, resource_id: str) -> exception.NotFound:
    return exception.NotFound(resource=resource, id=resource_id)


def user_request_context() -> nl_context.RequestContext:
    """The context identity gives :data:`TOKEN`: user u1 (alice) of project p1 (demo)."""
    return nl_context.RequestContext(user_id='u1', project_id='p1', roles=['member', 'reader'],
                                     auth_token=TOKEN, user_name='alice', project_name='demo')


class FakeIdentity(Recorder):
    """Knows tokens and the context each one stands for."""

    def __init__(self) -> None:
        super().__init__()
        self.contexts: dict[str, nl_context.RequestContext] = {TOKEN: user_request_context()}
        self.projects: dict[str, dict[str, Any]] = {'p1': {'id': 'p1', 'name': 'demo'}}

    def validate_token(self, token: str) -> dict[str, Any]:
        self._enter('validate_token', token=token)
        if token not in self.contexts:
            raise exception.TokenInvalid(reason='unknown token')
        ctx = self.contexts[token]
        return {'user': {'id': ctx.user_id}, 'project': {'id': ctx.project_id},
                'roles': [{'name': role} for role in ctx.roles]}

    def context_from_token(self, token: str) -> nl_context.RequestContext:
        self._enter('context_from_token', token=token)
        if token not in self.contexts:
            raise exception.TokenInvalid(reason='unknown token')
        return copy.deepcopy(self.contexts[token])

    def get_project(self, project_id: str) -> dict[str, Any]:
        self._enter('get_project', project_id=project_id)
        if project_id not in self.projects:
            raise not_found('Project', project_id)
        return dict(self.projects[project_id])


class FakeImages(Recorder):
    def __init__(self) -> None:
        super().__init__()
        self.images: dict[str, payloads.Image] = {}

    def add(self, image_id: str, **fields: Any) -> payloads.Image:
        image = cast(payloads.Image, {
            'id': image_id, 'name': f'image-{image_id}', 'status': 'active',
            'disk_format': 'qcow2', 'container_format': 'bare', 'visibility': 'public',
            'size': 1024, 'virtual_size': 4096, 'checksum': 'md5sum',
            'os_hash_algo': 'sha512', 'os_hash_value': 'sha512sum', 'min_disk': 0,
            'min_ram': 0, 'owner': 'p1', **fields})
        self.images[image_id] = image
        return image

    def _image(self, image_id: str) -> payloads.Image:
        if image_id not in self.images:
            raise not_found('Image', image_id)
        return self.images[image_id]

    def get_image(self, ctx: nl_context.RequestContext, image_id: str) -> payloads.Image:
        self._enter('get_image', ctx, image_id=image_id)
        return copy.deepcopy(self._image(image_id))

    def get_location(self, ctx: nl_context.RequestContext, image_id: str) -> str:
        self._enter('get_location', ctx, image_id=image_id)
        return f'file:///var/lib/images/{self._image(image_id)["id"]}'

    def download_image(self, ctx: nl_context.RequestContext,
                       image_id: str) -> Iterator[bytes]:
        self._enter('download_image', ctx, image_id=image_id)
        self._image(image_id)
        return iter([b'QFI\xfb', b'rest of the image'])


class FakeNetwork(Recorder):
    """Networks and ports; a new port gets the network's next free address."""

    def __init__(self) -> None:
        super().__init__()
        self.networks: dict[str, payloads.Network] = {}
        self.ports: dict[str, payloads.Port] = {}
        self._created = 0

    def add_network(self, network_id: str, name: str) -> payloads.Network:
        network: payloads.Network = {'id': network_id, 'name': name, 'project_id': 'p1',
                                     'status': 'ACTIVE', 'subnets': [f'{network_id}-subnet']}
        self.networks[network_id] = network
        return network

    def ports_of(self, device_id: str) -> list[payloads.Port]:
        return [port for port in self.ports.values() if port.get('device_id') == device_id]

    def get_network(self, ctx: nl_context.RequestContext,
                    network_id: str) -> payloads.Network:
        self._enter('get_network', ctx, network_id=network_id)
        if network_id not in self.networks:
            raise not_found('Network', network_id)
        return copy.deepcopy(self.networks[network_id])

    def list_networks(self, ctx: nl_context.RequestContext) -> list[payloads.Network]:
        self._enter('list_networks', ctx)
        return copy.deepcopy(list(self.networks.values()))

    def get_port(self, ctx: nl_context.RequestContext, port_id: str) -> payloads.Port:
        self._enter('get_port', ctx, port_id=port_id)
        if port_id not in self.ports:
            raise not_found('Port', port_id)
        return copy.deepcopy(self.ports[port_id])

    def list_ports(self, ctx: nl_context.RequestContext,
                   **filters: Any) -> list[payloads.Port]:
        self._enter('list_ports', ctx, **filters)
        return copy.deepcopy([port for port in self.ports.values()
                              if all(port.get(key) == value
                                     for key, value in filters.items())])

    def create_port(self, ctx: nl_context.RequestContext, **fields: Any) -> payloads.Port:
        self._enter('create_port', ctx, **fields)
        network = self.networks.get(fields['network_id'])
        if network is None:
            raise not_found('Network', fields['network_id'])
        self._created += 1
        number = self._created
        requested = fields.get('fixed_ips') or [{'ip_address': f'10.0.0.{number + 1}'}]
        port: payloads.Port = {
            'id': f'port-{number}', 'name': '', 'network_id': network['id'],
            'project_id': ctx.project_id or '', 'mac_address': f'fa:16:3e:00:00:{number:02x}',
            'admin_state_up': True, 'status': 'DOWN',
            'device_id': fields.get('device_id', ''),
            'device_owner': fields.get('device_owner', ''),
            'fixed_ips': [{'subnet_id': network['subnets'][0], 'ip_address': ip['ip_address']}
                          for ip in requested],
            'binding:host_id': fields.get('binding_host_id', ''),
        }
        self.ports[port['id']] = port
        self._leave('create_port')
        return copy.deepcopy(port)

    def update_port(self, ctx: nl_context.RequestContext, port_id: str,
                    **changes: Any) -> payloads.Port:
        self._enter('update_port', ctx, port_id=port_id, **changes)
        if port_id not in self.ports:
            raise not_found('Port', port_id)
        port = self.ports[port_id]
        for field, value in changes.items():
            key = 'binding:host_id' if field == 'binding_host_id' else field
            port[key] = value  # type: ignore[literal-required]
        self._leave('update_port')
        return copy.deepcopy(port)

    def delete_port(self, ctx: nl_context.RequestContext, port_id: str) -> None:
        self._enter('delete_port', ctx, port_id=port_id)
        if port_id not in self.ports:
            raise not_found('Port', port_id)
        del self.ports[port_id]


class FakeVolumes(Recorder):
    """Volumes and their attachments: reserve (idempotent per instance), attach, detach.

    Attachments are kept, and returned, in the shape the volume service gives them
    (``attach_status``, ``attached_host``, ``mountpoint``, ``connection_info``).
    """

    def __init__(self) -> None:
        super().__init__()
        self.volumes: dict[str, payloads.Volume] = {}
        self.attachments: dict[str, dict[str, Any]] = {}
        self._created = 0

    def add_volume(self, volume_id: str) -> payloads.Volume:
        volume: payloads.Volume = {'id': volume_id, 'name': f'vol-{volume_id}', 'size': 1,
                                   'status': 'available', 'project_id': 'p1'}
        self.volumes[volume_id] = volume
        return volume

    def attachments_of(self, instance_id: str) -> list[dict[str, Any]]:
        return [a for a in self.attachments.values() if a['instance_id'] == instance_id]

    def _volume(self, volume_id: str) -> payloads.Volume:
        if volume_id not in self.volumes:
            raise not_found('Volume', volume_id)
        return self.volumes[volume_id]

    def get_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> payloads.Volume:
        self._enter('get_volume', ctx, volume_id=volume_id)
        volume = self._volume(volume_id)
        reads = self.__dict__.get('_pending_reads', {})
        if volume_id in reads:
            reads[volume_id] -= 1
            if reads[volume_id] < 0:
                volume['status'] = self.final_status
                del reads[volume_id]
        return copy.deepcopy(volume)

    def reserve_volume(self, ctx: nl_context.RequestContext, volume_id: str,
                       instance_id: str) -> payloads.Attachment:
        self._enter('reserve_volume', ctx, volume_id=volume_id, instance_id=instance_id)
        volume = self._volume(volume_id)
        for held in self.attachments_of(instance_id):
            if held['volume_id'] == volume_id:
                return cast(payloads.Attachment, copy.deepcopy(held))
        if volume['status'] != 'available':
            raise exception.InvalidState(resource='Volume', id=volume_id,
                                         state=volume['status'], action='reserve',
                                         needed='available')
        self._created += 1
        attachment: dict[str, Any] = {
            'id': f'attachment-{self._created}', 'volume_id': volume_id,
            'instance_id': instance_id, 'attach_status': 'reserved', 'attached_host': None,
            'mountpoint': None, 'connection_info': None}
        self.attachments[attachment['id']] = attachment
        volume['status'] = 'reserved'
        self._leave('reserve_volume')
        return cast(payloads.Attachment, copy.deepcopy(attachment))

    def attach_volume(self, ctx: nl_context.RequestContext, attachment_id: str, host: str,
                      mountpoint: str) -> Any:
        """The connection info ``{driver_volume_type, data}``, as every implementation
        answers (typed Any: that is not the Attachment the Protocol names today)."""
        self._enter('attach_volume', ctx, attachment_id=attachment_id, host=host,
                    mountpoint=mountpoint)
        if attachment_id not in self.attachments:
            raise not_found('Volume attachment', attachment_id)
        attachment = self.attachments[attachment_id]
        same_place = (attachment['attached_host'], attachment['mountpoint']) == (host,
                                                                                 mountpoint)
        if not (attachment['attach_status'] == 'attached' and same_place):
            if attachment['attach_status'] != 'reserved':
                raise exception.InvalidState(
                    resource='Volume attachment', id=attachment_id,
                    state=attachment['attach_status'], action='attach', needed='reserved')
            attachment.update(
                attach_status='attached', attached_host=host, mountpoint=mountpoint,
                connection_info={
                    'driver_volume_type': 'iscsi',
                    'data': {'device_path': f'/dev/disk/by-id/{attachment["volume_id"]}',
                             'target_lun': 1}})
            self.volumes[attachment['volume_id']]['status'] = 'in-use'
        self._leave('attach_volume')
        return copy.deepcopy(attachment['connection_info'])

    def detach_volume(self, ctx: nl_context.RequestContext, attachment_id: str,
                      ignore_missing: bool = True) -> None:
        """A missing attachment is not an error, as the Protocol says (``ignore_missing``
        is what the teardown passes to the volume manager today)."""
        self._enter('detach_volume', ctx, attachment_id=attachment_id)
        attachment = self.attachments.pop(attachment_id, None)
        if attachment is not None:
            self.volumes[attachment['volume_id']]['status'] = 'available'

    def list_attachments(self, ctx: nl_context.RequestContext,
                         **filters: Any) -> list[payloads.Attachment]:
        self._enter('list_attachments', ctx, **filters)
        return [cast(payloads.Attachment, copy.deepcopy(a)) for a in self.attachments.values()
                if all(a.get(key) == value for key, value in filters.items())]

    def create_volume(self, ctx: nl_context.RequestContext, *, size: int,
                      name: str | None = None, description: str | None = None,
                      metadata: dict[str, str] | None = None,
                      availability_zone: str | None = None,
                      volume_type: str | None = None,
                      image_id: str | None = None) -> payloads.Volume:
        """A new volume, 'creating' until it is read ``creating_reads`` times."""
        self._enter('create_volume', ctx, size=size, image_id=image_id)
        self._created += 1
        volume = self.add_volume(f'made-{self._created}')
        volume.update(size=size, name=name or '', status='creating')
        self._pending[volume['id']] = self.creating_reads
        self._leave('create_volume')
        return copy.deepcopy(volume)

    creating_reads = 1
    final_status = 'available'

    @property
    def _pending(self) -> dict[str, int]:
        return self.__dict__.setdefault('_pending_reads', {})

    def delete_volume(self, ctx: nl_context.RequestContext, volume_id: str) -> None:
        self._enter('delete_volume', ctx, volume_id=volume_id)
        volume = self._volume(volume_id)
        if volume['status'] not in ('available', 'error'):
            raise exception.InvalidState(resource='Volume', id=volume_id,
                                         state=volume['status'], action='delete',
                                         needed='available')
        del self.volumes[volume_id]


def revert_failures(records: list[logging.LogRecord]) -> list[tuple[str, BaseException | None]]:
    """The message and exception of each error logged (as a failed revert is)."""
    return [(record.getMessage(), record.exc_info[1] if record.exc_info else None)
            for record in records if record.levelno >= logging.ERROR]


# The fakes satisfy the Protocols (mypy checks these assignments).
_: protocols.IdentityClient = FakeIdentity()
_images: protocols.ImageClient = FakeImages()
_networks: protocols.NetworkClient = FakeNetwork()
_volumes: protocols.VolumeClient = FakeVolumes()
