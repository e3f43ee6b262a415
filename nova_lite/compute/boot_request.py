"""The boot request: a server body checked against the other services, as a request spec.

Everything a ``POST /servers`` names is looked up here before the instance is
recorded: the flavor, the image (or the boot volume's), the networks and ports,
the block device mappings and the security groups. Each miss is a 400 that
names the field, never a 202 that ends in ERROR.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus, VolumeStatus
from nova_lite.compute import block_devices

FlavorLookup = Callable[[nl_context.RequestContext, str], dict[str, Any]]


def image_properties(image: Mapping[str, object]) -> dict[str, str]:
    """The image properties the scheduler's filters read (hw_*, img_*, os_*)."""
    return {key: value for key, value in image.items()
            if key.startswith(('hw_', 'img_', 'os_')) and isinstance(value, str)
            and key not in ('os_hash_algo', 'os_hash_value')}


class BootRequestBuilder:
    """Checks a server body against the image, network and volume services."""

    def __init__(self, *, images: protocols.ImageClient, networks: protocols.NetworkClient,
                 volumes: protocols.VolumeClient, get_flavor: FlavorLookup,
                 max_attempts: int) -> None:
        self._images = images
        self._networks = networks
        self._volumes = volumes
        self._get_flavor = get_flavor
        self._max_attempts = max_attempts

    def request_spec(self, ctx: nl_context.RequestContext,
                            server: dict[str, Any]) -> dict[str, Any]:
        try:
            flavor = self._get_flavor(ctx, str(server['flavorRef']))
        except exception.NotFound:
            raise exception.InvalidInput(field='flavorRef',
                                         reason=f'flavor {server["flavorRef"]} not found',
                                         ) from None
        devices = block_devices.parse(server)
        mapping = self._checked_mappings(ctx, devices)  # a 400 naming each bad mapping
        image_id = block_devices.boot_image_id(server, devices)
        image = self._checked_image(ctx, image_id, 'imageRef' if server.get('imageRef') else
                                    block_devices.V2) if image_id else {}
        if image.get('min_ram', 0) > flavor['memory_mb']:
            raise exception.InvalidInput(field='flavorRef',
                                         reason='flavor RAM is below the image min_ram')
        if not devices.volume_backed and image.get('min_disk', 0) > flavor['root_gb'] > 0:
            raise exception.InvalidInput(field='flavorRef',
                                         reason='flavor disk is below the image min_disk')
        return {
            'flavor': {key: flavor[key] for key in ('id', 'name', 'vcpus', 'memory_mb',
                                                    'root_gb', 'ephemeral_gb', 'swap')},
            # The scheduler's AggregateInstanceExtraSpecsFilter compares these.
            'flavor_extra_specs': dict(flavor.get('extra_specs') or {}),
            'image': {'id': image.get('id', ''), 'min_disk': image.get('min_disk', 0),
                      'min_ram': image.get('min_ram', 0),
                      'properties': image_properties(image)},
            'availability_zone': server.get('availability_zone'),
            'networks': self._requested_networks(ctx, server.get('networks', 'auto')),
            # The existing volumes to attach (the boot's own are made by its flow).
            'volume_ids': [m['uuid'] for m in mapping if m['source_type'] == 'volume'],
            'block_device_mapping': mapping,
            'block_device_mapping_root': devices.volume_backed,
            'num_alternates': self._max_attempts - 1,
            **self._requested_security_groups(ctx, server),
        }

    def _requested_security_groups(self, ctx: nl_context.RequestContext,
                                   server: Mapping[str, Any]) -> dict[str, list[str]]:
        """``{'security_groups': [ids]}`` for the named groups of the caller's project
        (a 400 naming one that does not exist); ``{}`` when none are named (the ports
        then get the project's default group)."""
        group_ids: list[str] = []
        for index, group in enumerate(server.get('security_groups') or []):
            name = str(group['name']).strip()
            found = self._networks.list_security_groups(ctx, name=name,
                                                        project_id=ctx.project_id)
            if not found:
                try:
                    found = [self._networks.get_security_group(ctx, name)]
                except (exception.NotFound, exception.Invalid):
                    found = []
            if len(found) != 1:
                raise exception.InvalidInput(
                    field=f'security_groups.{index}.name',
                    reason=(f'Security group {name} not found for project '
                            f'{ctx.project_id}.' if not found else
                            f'more than one security group is named {name}'))
            if found[0]['id'] not in group_ids:
                group_ids.append(found[0]['id'])
        return {'security_groups': group_ids} if group_ids else {}

    def _requested_networks(self, ctx: nl_context.RequestContext,
                            networks: str | list[dict[str, str]]) -> list[dict[str, str]]:
        if isinstance(networks, str):  # 'none' or 'auto' (the schema allows no other)
            return [] if networks == 'none' else self._auto_network(ctx)
        requested = []
        for index, item in enumerate(networks):
            try:
                if item.get('port'):
                    port = self._networks.get_port(ctx, item['port'])
                    if port['device_id']:
                        raise exception.Conflict(
                            reason=f'port {item["port"]} is in use by {port["device_id"]}')
                    requested.append({'port': port['id'], 'uuid': port['network_id']})
                else:
                    self._networks.get_network(ctx, item['uuid'])
                    requested.append(dict(item))
            except exception.NotFound as exc:
                raise exception.InvalidInput(field=f'networks.{index}',
                                             reason=exc.message) from None
        return requested

    def _auto_network(self, ctx: nl_context.RequestContext) -> list[dict[str, str]]:
        visible = self._networks.list_networks(ctx)
        if len(visible) != 1:
            raise exception.Conflict(
                reason=f'{len(visible)} networks are available; name one in networks')
        return [{'uuid': visible[0]['id']}]

    def _checked_image(self, ctx: nl_context.RequestContext, image_id: str,
                       field: str) -> dict[str, Any]:
        """An active image, or a 400 naming ``field``."""
        try:
            image = dict(self._images.get_image(ctx, image_id))
        except exception.NotFound:
            raise exception.InvalidInput(field=field, reason=f'image {image_id} not found',
                                         ) from None
        if image['status'] != ImageStatus.ACTIVE:
            raise exception.InvalidInput(field=field,
                                         reason=f'image is {image["status"]}, not active')
        return image

    def _checked_mappings(self, ctx: nl_context.RequestContext,
                          devices: block_devices.BlockDevices) -> list[dict[str, Any]]:
        """The volume mappings, each image and volume named checked (400 naming it)."""
        checked: list[dict[str, Any]] = []
        for index, mapping in enumerate(devices.volumes):
            field = f'{block_devices.V2}.{index}.uuid'
            uuid = mapping['uuid']
            if mapping['source_type'] == 'image' and uuid:
                image = self._checked_image(ctx, uuid, field)
                needed = max(int(image.get('min_disk') or 0), block_devices.image_size_gb(image))
                if mapping['volume_size'] is not None and mapping['volume_size'] < needed:
                    raise exception.InvalidInput(
                        field=f'{block_devices.V2}.{index}.volume_size',
                        reason=f'the image needs a volume of at least {needed} GiB')
            elif mapping['source_type'] == 'volume' and uuid:
                try:
                    volume = self._volumes.get_volume(ctx, uuid)
                except exception.NotFound as exc:
                    raise exception.InvalidInput(field=field, reason=exc.message) from None
                if volume['status'] != VolumeStatus.AVAILABLE:
                    raise exception.InvalidInput(
                        field=field,
                        reason=f'volume {volume["id"]} is {volume["status"]}, not available')
                if mapping['boot_index'] == 0 and str(volume.get('bootable')) not in (
                        'true', 'True'):
                    raise exception.InvalidInput(
                        field=field, reason=f'Block Device {volume["id"]} is not bootable.')
                mapping = {**mapping, 'uuid': volume['id']}
            checked.append(dict(mapping))
        return checked
