"""Provider attributes (provider, multi-provider): the segments recorded for a network.

nova_lite's hosts wire ports themselves, so a segment is bookkeeping only: it
says what an operator asked for (or what a project network was given), keeps a
VLAN id per physical network and a VNI per tunnel type from being taken twice,
and changes nothing on the hosts.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db.models import network_rbac as models

NETWORK_TYPE = 'provider:network_type'
PHYSICAL_NETWORK = 'provider:physical_network'
SEGMENTATION_ID = 'provider:segmentation_id'
PROVIDER_FIELDS = (NETWORK_TYPE, PHYSICAL_NETWORK, SEGMENTATION_ID)
SEGMENTS = 'segments'

FLAT, VLAN, VXLAN, GENEVE, LOCAL = 'flat', 'vlan', 'vxlan', 'geneve', 'local'
NETWORK_TYPES = (FLAT, VLAN, VXLAN, GENEVE, LOCAL)
TUNNEL_TYPES = (VXLAN, GENEVE)
MAX_VLAN_ID = 4094
MAX_VNI = 2 ** 24 - 1
TENANT_ALLOCATION_RETRIES = 16


class NoNetworkAvailable(exception.NovaLiteError):
    """Neutron's 503 when no segmentation id is left for a project network."""

    msg_fmt = ('Unable to create the network. No tenant network is available for '
               'allocation.')
    code = 503


@dataclasses.dataclass(frozen=True)
class Segment:
    network_type: str
    physical_network: str | None = None
    segmentation_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {NETWORK_TYPE: self.network_type, PHYSICAL_NETWORK: self.physical_network,
                SEGMENTATION_ID: self.segmentation_id}


def requested(fields: Mapping[str, Any]) -> list[Segment] | None:
    """The segments a create body asks for (``provider:*`` or ``segments``), checked;
    None when it asks for none."""
    given = [name for name in PROVIDER_FIELDS if fields.get(name) is not None]
    if SEGMENTS in fields and fields[SEGMENTS] is not None:
        if given:
            raise exception.InvalidInput(field=SEGMENTS, reason='segments and provider '
                                         'values cannot both be set')
        items = fields[SEGMENTS]
        if not isinstance(items, list) or not items:
            raise exception.InvalidInput(field=SEGMENTS, reason='must be a non-empty list')
        wanted = [_segment(item, f'{SEGMENTS}[{index}].') for index, item in enumerate(items)]
        if len(set(wanted)) != len(wanted):
            raise exception.InvalidInput(field=SEGMENTS, reason='duplicate segment')
        return wanted
    if not given:
        return None
    return [_segment(fields, '')]


def _segment(item: Any, where: str) -> Segment:
    if not isinstance(item, Mapping):
        raise exception.InvalidInput(field=SEGMENTS, reason='each segment must be an object')
    unknown = sorted(set(item) - set(PROVIDER_FIELDS)) if where else []
    if unknown:
        raise exception.InvalidInput(field=f'{where}{unknown[0]}', reason='is not a '
                                     'provider attribute')
    network_type = item.get(NETWORK_TYPE)
    physical = item.get(PHYSICAL_NETWORK)
    seg_id = item.get(SEGMENTATION_ID)
    if network_type not in NETWORK_TYPES:
        raise exception.InvalidInput(field=f'{where}{NETWORK_TYPE}',
                                     reason=f'must be one of {", ".join(NETWORK_TYPES)}')
    if physical is not None and (not isinstance(physical, str) or not physical
                                 or len(physical) > 64):
        raise exception.InvalidInput(field=f'{where}{PHYSICAL_NETWORK}',
                                     reason='must be a name of 1 to 64 characters')
    seg_id = _segmentation_id(seg_id, f'{where}{SEGMENTATION_ID}')
    if network_type in (FLAT, VLAN) and physical is None:
        raise exception.InvalidInput(field=f'{where}{PHYSICAL_NETWORK}',
                                     reason=f'a {network_type} network needs one')
    if network_type not in (FLAT, VLAN) and physical is not None:
        raise exception.InvalidInput(field=f'{where}{PHYSICAL_NETWORK}',
                                     reason=f'a {network_type} network has none')
    if network_type in (FLAT, LOCAL) and seg_id is not None:
        raise exception.InvalidInput(field=f'{where}{SEGMENTATION_ID}',
                                     reason=f'a {network_type} network has none')
    if network_type == VLAN:
        if seg_id is None or not 1 <= seg_id <= MAX_VLAN_ID:
            raise exception.InvalidInput(field=f'{where}{SEGMENTATION_ID}',
                                         reason=f'a VLAN id must be 1 to {MAX_VLAN_ID}')
    if network_type in TUNNEL_TYPES and seg_id is not None and not 1 <= seg_id <= MAX_VNI:
        raise exception.InvalidInput(field=f'{where}{SEGMENTATION_ID}',
                                     reason=f'a VNI must be 1 to {MAX_VNI}')
    return Segment(network_type, physical, seg_id)


def _segmentation_id(value: Any, field: str) -> int | None:
    """Neutron converts numeric strings."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise exception.InvalidInput(field=field, reason='must be an integer')
    return value


def vni_ranges(conf: cfg.ConfigOpts) -> list[tuple[int, int]]:
    """``[network] tenant_vni_ranges`` as (first, last) pairs."""
    ranges = []
    for part in conf.network.tenant_vni_ranges.split(','):
        first, _, last = part.strip().partition(':')
        low, high = int(first), int(last or first)
        if not 1 <= low <= high <= MAX_VNI:
            raise ValueError(f'[network] tenant_vni_ranges: bad range {part!r}')
        ranges.append((low, high))
    return ranges


def tenant_segment(session: orm.Session, conf: cfg.ConfigOpts) -> Segment:
    """The segment of a project network: ``[network] tenant_network_type``, a tunnel
    type with the lowest free VNI of ``tenant_vni_ranges``."""
    network_type = conf.network.tenant_network_type
    if network_type not in TUNNEL_TYPES:
        return Segment(network_type)
    taken = set(session.scalars(sa.select(models.NetworkSegment.segmentation_id).where(
        models.NetworkSegment.network_type == network_type)))
    for low, high in vni_ranges(conf):
        for vni in range(low, high + 1):
            if vni not in taken:
                return Segment(network_type, None, vni)
    raise NoNetworkAvailable()


def record(session: orm.Session, network_id: str, wanted: Iterable[Segment]) -> None:
    """Store ``wanted`` for the network; a VLAN id, VNI or flat physical network
    already taken is a 409 (neutron's VlanIdInUse, TunnelIdInUse, FlatNetworkInUse)."""
    for index, segment in enumerate(wanted):
        physical = segment.physical_network or ''
        taken = session.scalar(sa.select(sa.func.count()).where(
            models.NetworkSegment.network_type == segment.network_type,
            models.NetworkSegment.physical_network == physical,
            models.NetworkSegment.segmentation_id == segment.segmentation_id
            if segment.segmentation_id is not None
            else models.NetworkSegment.segmentation_id.is_(None)))
        if (taken and segment.network_type != LOCAL) \
                or not _insert(session, network_id, index, segment):
            raise exception.Conflict(reason=_in_use(segment))


def record_tenant(session: orm.Session, conf: cfg.ConfigOpts, network_id: str) -> None:
    """Give a project network the tenant type's segment, retrying a VNI that a
    concurrent request took first."""
    for _attempt in range(TENANT_ALLOCATION_RETRIES):
        if _insert(session, network_id, 0, tenant_segment(session, conf)):
            return
    raise exception.Conflict(reason='could not allocate a segmentation id against '
                                    'concurrent requests; try again')


def _insert(session: orm.Session, network_id: str, index: int, segment: Segment) -> bool:
    """Insert one segment in a savepoint; False if its id was taken meanwhile."""
    try:
        with session.begin_nested():
            session.add(models.NetworkSegment(
                network_id=network_id, segment_index=index,
                network_type=segment.network_type,
                physical_network=segment.physical_network or '',
                segmentation_id=segment.segmentation_id))
    except sa_exc.IntegrityError:
        return False
    return True


def _in_use(segment: Segment) -> str:
    if segment.network_type == VLAN:
        return (f'Unable to create the network. The VLAN {segment.segmentation_id} on '
                f'physical network {segment.physical_network} is in use.')
    if segment.network_type == FLAT:
        return (f'Unable to create the flat network. Physical network '
                f'{segment.physical_network} is in use.')
    return (f'Unable to create the network. The tunnel ID {segment.segmentation_id} is '
            'in use.')


def attributes(session: orm.Session, network_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each network's provider attributes: ``provider:*`` for one segment, ``segments``
    for several (as neutron's multi-provider shows them)."""
    found: dict[str, list[Segment]] = defaultdict(list)
    if network_ids:
        for row in session.scalars(sa.select(models.NetworkSegment)
                                   .where(models.NetworkSegment.network_id.in_(network_ids))
                                   .order_by(models.NetworkSegment.segment_index)):
            found[row.network_id].append(Segment(row.network_type, row.physical_network or None,
                                                 row.segmentation_id))
    result = {}
    for network_id in network_ids:
        listed = found.get(network_id, [])
        if len(listed) > 1:
            result[network_id] = {SEGMENTS: [segment.as_dict() for segment in listed]}
        else:
            result[network_id] = (listed[0] if listed else Segment(LOCAL)).as_dict()
    return result


def forget(session: orm.Session, network_id: str) -> None:
    session.execute(sa.delete(models.NetworkSegment)
                    .where(models.NetworkSegment.network_id == network_id))
