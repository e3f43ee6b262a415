"""The block device mappings of a boot request, checked and made plain.

``block_device_mapping_v2`` (or the legacy ``block_device_mapping``) says which
disks a server has. nova_lite supports, as nova does:

* ``image`` -> ``local`` with boot_index 0: the root disk made from the image
  on the host (what imageRef alone means; the openstack CLI sends it too);
* ``image`` -> ``volume``: a volume of ``volume_size`` GiB the boot makes from
  the image (in the user's project), then attaches;
* ``blank`` -> ``volume``: an empty volume of ``volume_size`` GiB, made and attached;
* ``volume`` -> ``volume``: an existing volume, attached.

A mapping with boot_index 0 and destination ``volume`` makes the server
*volume-backed*: it boots from that volume and has no local image disk, and
``imageRef`` may be "" or absent. Each refused mapping is a 400 naming its
field (``block_device_mapping_v2.<n>.<field>``). Snapshot sources and local
blank disks (ephemeral, swap) are refused.

:func:`parse` gives :class:`Mapping` dicts (plain, for the request spec and the
instance's build request): only the volumes, in request order.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping as AnyMapping
from typing import Any, TypedDict

from nova_lite.common import exception
from nova_lite.compute import schemas

V2 = 'block_device_mapping_v2'
LEGACY = 'block_device_mapping'
_ROOT_DEVICES = ('vda', '/dev/vda', 'sda', '/dev/sda', 'xvda', '/dev/xvda')
BAD_BOOT_SEQUENCE = ('Boot sequence for the instance and image/block device mapping '
                     'combination is not valid.')


class Mapping(TypedDict):
    """One volume of a server, as the boot flow and the server views use it."""

    source_type: str           # 'image', 'blank' or 'volume'
    uuid: str | None           # the image (image), the volume (volume), None (blank)
    boot_index: int | None     # 0: the root disk; None or -1: not bootable
    volume_size: int | None    # GiB of a volume the boot makes
    delete_on_termination: bool
    device_name: str | None
    volume_type: str | None
    tag: str | None
    disk_bus: str | None
    device_type: str | None


@dataclasses.dataclass(frozen=True)
class BlockDevices:
    """What a boot request's mappings say."""

    volumes: list[Mapping]
    # The image of an image -> local root disk mapping (None: imageRef, or no image).
    local_root_image: str | None = None

    @property
    def root(self) -> Mapping | None:
        """The boot volume (boot_index 0, destination volume), if the server has one."""
        return next((v for v in self.volumes if v['boot_index'] == 0), None)

    @property
    def volume_backed(self) -> bool:
        return self.root is not None


def _as_bool(value: Any, default: bool = False) -> bool:
    if value is None:
        return default
    return value in (True, *schemas.TRUE_STRINGS)


def _as_int(value: Any) -> int | None:
    return None if value is None or value == '' else int(value)


def _bad(field: str, reason: str) -> exception.InvalidInput:
    return exception.InvalidInput(field=field, reason=reason)


def _from_legacy(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The v2 form of legacy mappings (a volume on a device; vda is the root)."""
    converted = []
    for index, item in enumerate(items):
        if item.get('snapshot_id'):
            raise _bad(f'{LEGACY}.{index}.snapshot_id',
                       'booting from a volume snapshot is not supported')
        if item.get('no_device') or not item.get('volume_id'):
            continue
        root = str(item.get('device_name') or '') in _ROOT_DEVICES
        converted.append({'source_type': 'volume', 'destination_type': 'volume',
                          'uuid': item['volume_id'], 'boot_index': 0 if root else None,
                          'device_name': item.get('device_name'),
                          'volume_size': item.get('volume_size'),
                          'delete_on_termination': item.get('delete_on_termination')})
    return converted


def _one(item: dict[str, Any], field: str, image_ref: str) -> tuple[Mapping | None, str | None]:
    """(a volume mapping, or the image of the local root disk) of one v2 item."""
    source = item['source_type']
    destination = item.get('destination_type') or ('local' if source == 'image'
                                                   and not item.get('volume_size')
                                                   else 'volume')
    boot_index = _as_int(item.get('boot_index'))
    uuid = item.get('uuid')
    if source == 'snapshot':
        raise _bad(f'{field}.source_type', 'booting from a volume snapshot is not supported')
    if source in ('image', 'volume') and not uuid:
        raise _bad(f'{field}.uuid', f'a {source} mapping needs the uuid of its {source}')
    if source == 'blank' and uuid:
        raise _bad(f'{field}.uuid', 'a blank mapping has no uuid')
    if destination == 'local':
        if source == 'image' and boot_index == 0:
            if image_ref and uuid != image_ref:
                raise _bad(f'{field}.uuid', 'the local root disk must be made from imageRef')
            return None, uuid
        raise _bad(f'{field}.destination_type',
                   f"a {source} mapping to 'local' is not supported (ephemeral, swap and "
                   f"local disks other than the image root disk)")
    size = _as_int(item.get('volume_size'))
    if source in ('image', 'blank') and not size:
        raise _bad(f'{field}.volume_size',
                   "Images with destination_type 'volume' need to have a non-zero size "
                   "specified" if source == 'image' else
                   'a blank volume needs a non-zero volume_size')
    if item.get('no_device'):
        raise _bad(f'{field}.no_device', 'no_device mappings are not supported')
    mapping: Mapping = {
        'source_type': source, 'uuid': uuid,
        'boot_index': boot_index if boot_index is not None and boot_index >= 0 else None,
        'volume_size': size,
        # nova's default: volumes the boot makes are deleted with the server only if asked.
        'delete_on_termination': _as_bool(item.get('delete_on_termination')),
        'device_name': item.get('device_name') or None,
        'volume_type': item.get('volume_type') or None, 'tag': item.get('tag'),
        'disk_bus': item.get('disk_bus'), 'device_type': item.get('device_type')}
    return mapping, None


def parse(server: AnyMapping[str, Any]) -> BlockDevices:
    """The mappings of a boot body the schema accepted; a 400 naming the field
    when one cannot be booted. ``imageRef`` ("" when absent) is checked with them."""
    image_ref = str(server.get('imageRef') or '')
    if server.get(V2) and server.get(LEGACY):
        raise _bad(LEGACY, 'Using different block_device_mapping syntaxes is not allowed')
    field_base = V2 if server.get(V2) is not None else LEGACY
    items = (list(server.get(V2) or []) if field_base == V2
             else _from_legacy(list(server.get(LEGACY) or [])))
    volumes: list[Mapping] = []
    local_root: str | None = None
    boot_indexes: list[int] = []
    for index, item in enumerate(items):
        mapping, root_image = _one(item, f'{field_base}.{index}', image_ref)
        if root_image is not None:
            local_root = root_image
            boot_indexes.append(0)
            continue
        assert mapping is not None
        if mapping['boot_index'] is not None:
            boot_indexes.append(mapping['boot_index'])
        if mapping['source_type'] == 'volume' and any(
                v['uuid'] == mapping['uuid'] for v in volumes if v['source_type'] == 'volume'):
            raise _bad(f'{field_base}.{index}.uuid', 'volume given twice')
        volumes.append(mapping)
    if sorted(boot_indexes) != list(range(len(boot_indexes))):
        raise _bad(field_base, BAD_BOOT_SEQUENCE)
    devices = BlockDevices(volumes=volumes, local_root_image=local_root)
    if not image_ref and not devices.volume_backed and local_root is None:
        raise _bad('imageRef', 'Missing imageRef attribute: give an image, or a '
                               'block_device_mapping_v2 volume with boot_index 0')
    if image_ref and devices.volume_backed and devices.root is not None \
            and devices.root['source_type'] == 'image' and devices.root['uuid'] != image_ref:
        raise _bad(f'{field_base}', 'the boot volume image differs from imageRef')
    return devices


def boot_image_id(server: AnyMapping[str, Any], devices: BlockDevices) -> str:
    """The image the server boots from: imageRef, the local root's image, or the image
    of an image boot volume; "" for a volume (or blank) root."""
    root = devices.root
    if root is not None:
        return root['uuid'] or '' if root['source_type'] == 'image' else ''
    return str(server.get('imageRef') or '') or (devices.local_root_image or '')


def image_size_gb(image: AnyMapping[str, Any]) -> int:
    """The GiB a volume made from ``image`` needs: its virtual size (else its size)."""
    for key in ('virtual_size', 'size'):
        value = image.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return math.ceil(value / 1024 ** 3)
    return 0


def boot_volume_id(instance: AnyMapping[str, Any]) -> str | None:
    """The boot volume of a volume-backed instance (recorded with its build request).

    The boot records the mappings with their volume ids when it made volumes;
    a server booted only from existing volumes has them in its request spec."""
    build_request = instance.get('build_request') or {}
    recorded = build_request.get('block_device_mapping')
    if recorded is None:
        requested = (build_request.get('request_spec') or {}).get('block_device_mapping')
        recorded = [{**m, 'volume_id': m.get('uuid')} for m in requested or []
                    if m.get('source_type') == 'volume']
    return next((m.get('volume_id') for m in recorded if m.get('boot_index') == 0), None)
