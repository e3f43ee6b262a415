"""Atomic resource claims on compute nodes.

A claim adds an instance's vCPUs, RAM and disk to a node's ``*_used`` columns
with ONE conditional UPDATE whose WHERE clause re-checks the room left, so two
concurrent boots can never both take the last slot: the database serialises
the row update and the loser's UPDATE matches no row. The ``resource_claims``
row written in the same transaction records exactly what was added, so that a
release subtracts exactly that.

Both operations are idempotent, because a retried or resumed boot task may run
them twice:

- ``claim`` for an instance that already holds a claim on the same node
  returns that claim and counts nothing again. If the instance holds a claim
  on ANOTHER node, that claim is released first, in the same transaction: the
  claim moves (this is what a reschedule to an alternate host needs, and it
  keeps the invariant "at most one claim per instance").
- ``release`` of an instance without a claim does nothing.

Callers pass the session of the transaction the claim belongs to. Only the
scheduler's tables are touched: recording the host on the instance is the
caller's (the boot flow's schedule task, through the instance store).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.db.models import scheduler as models

_FLAVOR_FIELDS = (('vcpus', 1), ('memory_mb', 1), ('root_gb', 0), ('ephemeral_gb', 0),
                  ('swap', 0))


def _size(values: Mapping[str, Any], key: str, minimum: int, *, prefix: str) -> int:
    value = values.get(key, 0 if minimum == 0 else None)
    if value is None:
        raise exception.InvalidInput(field=f'{prefix}{key}', reason='is required')
    if isinstance(value, bool) or not isinstance(value, int):
        raise exception.InvalidInput(field=f'{prefix}{key}',
                                     reason=f'must be an integer, not {value!r}')
    if value < minimum:
        raise exception.InvalidInput(field=f'{prefix}{key}', reason=f'must be >= {minimum}')
    return value


@dataclasses.dataclass(frozen=True)
class Resources:
    """What one instance takes from a host."""

    vcpus: int
    memory_mb: int
    disk_gb: int

    @classmethod
    def from_flavor(cls, flavor: Any) -> Resources:
        """From a flavor dict: disk is root + ephemeral + swap (MiB) rounded up to GiB."""
        if not isinstance(flavor, Mapping):
            raise exception.InvalidInput(field='flavor', reason='must be an object')
        sizes = {key: _size(flavor, key, minimum, prefix='flavor.')
                 for key, minimum in _FLAVOR_FIELDS}
        disk_gb = sizes['root_gb'] + sizes['ephemeral_gb'] + math.ceil(sizes['swap'] / 1024)
        return cls(vcpus=sizes['vcpus'], memory_mb=sizes['memory_mb'], disk_gb=disk_gb)

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def claim_to_dict(row: models.ResourceClaim) -> dict[str, Any]:
    return {'instance_id': row.instance_id, 'compute_node_id': row.compute_node_id,
            'vcpus': row.vcpus, 'memory_mb': row.memory_mb, 'disk_gb': row.disk_gb}


def get_claim(session: orm.Session, instance_id: str) -> dict[str, Any] | None:
    row = session.get(models.ResourceClaim, instance_id)
    return claim_to_dict(row) if row is not None else None


def _room_condition(resources: Resources) -> sa.ColumnElement[bool]:
    node = models.ComputeNode
    return sa.and_(
        node.vcpus_used + resources.vcpus <= node.vcpus * node.cpu_allocation_ratio,
        node.memory_mb_used + resources.memory_mb
        <= node.memory_mb * node.ram_allocation_ratio - node.reserved_memory_mb,
        node.local_gb_used + resources.disk_gb <= node.local_gb * node.disk_allocation_ratio,
    )


def _add_usage(session: orm.Session, compute_node_id: str, vcpus: int, memory_mb: int,
               disk_gb: int, condition: sa.ColumnElement[bool] | None = None) -> int:
    node = models.ComputeNode
    stmt = (sa.update(node).where(node.id == compute_node_id)
            .values(vcpus_used=node.vcpus_used + vcpus,
                    memory_mb_used=node.memory_mb_used + memory_mb,
                    local_gb_used=node.local_gb_used + disk_gb)
            .execution_options(synchronize_session=False))
    if condition is not None:
        stmt = stmt.where(condition)
    # A Core UPDATE's result is a CursorResult (Session.execute is typed for SELECTs).
    result = cast('sa.CursorResult[Any]', session.execute(stmt))
    return result.rowcount


def claim(session: orm.Session, compute_node_id: str, instance_id: str,
          resources: Resources) -> dict[str, Any]:
    """Take ``resources`` on the node for the instance; the claim as a dict.

    Raises ClaimFailed when the node has no room left (nothing is changed),
    NotFound when the node does not exist.
    """
    existing = session.get(models.ResourceClaim, instance_id)
    if existing is not None:
        if existing.compute_node_id == compute_node_id:
            return claim_to_dict(existing)
        session.expunge(existing)
        release(session, instance_id)
    if not _add_usage(session, compute_node_id, resources.vcpus, resources.memory_mb,
                      resources.disk_gb, _room_condition(resources)):
        host = session.scalar(sa.select(models.ComputeNode.host).where(
            models.ComputeNode.id == compute_node_id))
        if host is None:
            raise exception.NotFound(resource='Compute node', id=compute_node_id)
        raise exception.ClaimFailed(
            host=host, reason=f'not enough room left for {resources.vcpus} vCPU, '
                              f'{resources.memory_mb} MiB RAM, {resources.disk_gb} GiB disk')
    row = models.ResourceClaim(instance_id=instance_id, compute_node_id=compute_node_id,
                               vcpus=resources.vcpus, memory_mb=resources.memory_mb,
                               disk_gb=resources.disk_gb)
    session.add(row)
    try:
        session.flush()
    except sa_exc.IntegrityError:
        # A concurrent claim for the same instance won; this transaction is void.
        raise exception.ClaimFailed(
            host=f'of node {compute_node_id}',
            reason=f'instance {instance_id} was claimed concurrently') from None
    return claim_to_dict(row)


def release(session: orm.Session, instance_id: str) -> dict[str, Any] | None:
    """Give back exactly what the instance's claim took; the released claim, or None.

    The claim row is deleted with RETURNING, so of two concurrent releases only
    the one that actually deleted the row subtracts the usage.
    """
    claims = models.ResourceClaim
    deleted = session.execute(
        sa.delete(claims).where(claims.instance_id == instance_id)
        .returning(claims.instance_id, claims.compute_node_id, claims.vcpus,
                   claims.memory_mb, claims.disk_gb)
        .execution_options(synchronize_session=False)).one_or_none()
    if deleted is None:
        return None
    _add_usage(session, deleted.compute_node_id, -deleted.vcpus, -deleted.memory_mb,
               -deleted.disk_gb)
    return {'instance_id': deleted.instance_id, 'compute_node_id': deleted.compute_node_id,
            'vcpus': deleted.vcpus, 'memory_mb': deleted.memory_mb, 'disk_gb': deleted.disk_gb}


def adjust(session: orm.Session, instance_id: str, expected: Resources,
           target: Resources) -> dict[str, Any]:
    """Change the instance's claim from ``expected`` to ``target`` on its node.

    What a resize does on one host: the claim grows to hold the old and the
    new flavor while the resize waits for its confirm, then shrinks to the
    one that stays. Idempotent: a claim already at ``target`` is returned as
    it is. Growing re-checks the room left in the same conditional UPDATE as
    a claim (ClaimFailed, nothing changed, when there is none); NotFound when
    the instance holds no claim, Conflict when it holds neither amount.
    """
    row = session.get(models.ResourceClaim, instance_id, with_for_update=True)
    if row is None:
        raise exception.NotFound(resource='Resource claim of instance', id=instance_id)
    held = Resources(vcpus=row.vcpus, memory_mb=row.memory_mb, disk_gb=row.disk_gb)
    if held == target:
        return claim_to_dict(row)
    if held != expected:
        raise exception.Conflict(reason=f'the claim of instance {instance_id} holds '
                                 f'{held.as_dict()}, not {expected.as_dict()}')
    delta = Resources(vcpus=target.vcpus - held.vcpus,
                      memory_mb=target.memory_mb - held.memory_mb,
                      disk_gb=target.disk_gb - held.disk_gb)
    growth = Resources(vcpus=max(delta.vcpus, 0), memory_mb=max(delta.memory_mb, 0),
                       disk_gb=max(delta.disk_gb, 0))
    condition = _room_condition(growth) if growth != Resources(0, 0, 0) else None
    if not _add_usage(session, row.compute_node_id, delta.vcpus, delta.memory_mb,
                      delta.disk_gb, condition):
        host = session.scalar(sa.select(models.ComputeNode.host).where(
            models.ComputeNode.id == row.compute_node_id))
        raise exception.ClaimFailed(
            host=host or row.compute_node_id,
            reason=f'not enough room left for {growth.vcpus} more vCPU, '
                   f'{growth.memory_mb} MiB RAM, {growth.disk_gb} GiB disk')
    row.vcpus, row.memory_mb, row.disk_gb = target.vcpus, target.memory_mb, target.disk_gb
    session.flush()
    return claim_to_dict(row)


def combined(first: Resources, second: Resources) -> Resources:
    """What two flavors take together (an instance between resize and confirm)."""
    return Resources(vcpus=first.vcpus + second.vcpus,
                     memory_mb=first.memory_mb + second.memory_mb,
                     disk_gb=first.disk_gb + second.disk_gb)
