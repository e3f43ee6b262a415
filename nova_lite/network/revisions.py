"""``revision_number`` of the standard-attribute resources (standard-attr-revisions)
and neutron's ``If-Match: revision_number=N`` constraint (revision-if-match).

A resource's number goes up by one in each transaction that changes it: the
session listener bumps a row whose own columns change, and the parent of a
row added or removed under it (a network's subnets, a port's addresses,
groups and extras, a group's rules, a router's interface and gateway ports).
What the manager changes with Core statements, it bumps with :func:`bump`.
A number created in a transaction is not bumped in it: a new resource shows 0
(security groups start at 1, their default rules counted, as in neutron).

The REST layer names the constrained resource with :func:`if_match`; the
number is compared before the resource's first bump or its delete, inside the
transaction, so a concurrent change cannot slip between check and write.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, orm

from nova_lite.common import exception
from nova_lite.db.models import network as models
from nova_lite.db.models import network_extras
from nova_lite.db.models import network_l3 as l3_models
from nova_lite.db.models import network_security as sg_models
from nova_lite.network import external

STANDARD_MODELS: tuple[type[Any], ...] = (
    models.Network, models.Subnet, models.Port, l3_models.Router, l3_models.FloatingIP,
    sg_models.SecurityGroup, sg_models.SecurityGroupRule)
# Rows whose changed columns change their parent's shown body.
_SHOWN_EXTRAS = (sg_models.PortSecurityBinding, network_extras.PortExtras)
_BUMPED = 'nova_lite.network.revisions.bumped'
_constraint: contextvars.ContextVar[tuple[str, int] | None] = contextvars.ContextVar(
    'nova_lite_revision_constraint', default=None)


class RevisionNumberConstraintFailed(exception.NovaLiteError):
    msg_fmt = 'Constrained to %(expected)s, but current revision is %(current)s'
    code = 412


@contextlib.contextmanager
def if_match(resource_id: str, expected: int | None) -> Iterator[None]:
    """Within the block, ``resource_id`` must be at revision ``expected`` (None: any)."""
    token = _constraint.set(None if expected is None else (resource_id, expected))
    try:
        yield
    finally:
        _constraint.reset(token)


def check(row: Any) -> None:
    """A 412 when ``row`` is the constrained resource and not at the expected revision."""
    wanted = _constraint.get()
    if wanted is not None and wanted[0] == row.id and row.revision_number != wanted[1]:
        raise RevisionNumberConstraintFailed(expected=wanted[1], current=row.revision_number)


def bump(session: orm.Session, row: Any) -> None:
    """Add one to ``row``'s revision, once per transaction; not for a row created in it."""
    state = sa.inspect(row)
    if state.pending or state.deleted or state.detached:
        return
    bumped: set[tuple[type[Any], str]] = session.info.setdefault(_BUMPED, set())
    key = (type(row), row.id)
    if key in bumped:
        return
    check(row)
    bumped.add(key)
    row.revision_number = (row.revision_number or 0) + 1


def created(session: orm.Session, model: type[Any], resource_id: str) -> None:
    """``resource_id`` was inserted by a Core statement of this transaction: no bumps."""
    session.info.setdefault(_BUMPED, set()).add((model, resource_id))


def bump_id(session: orm.Session, model: type[Any], resource_id: str | None) -> None:
    """:func:`bump` of the ``model`` row ``resource_id``, if it still exists."""
    if resource_id is None:
        return
    row = session.get(model, resource_id)
    if row is not None and row not in session.deleted:
        bump(session, row)


def _parent(row: Any) -> tuple[type[Any], str | None] | None:
    """The standard resource whose shown body holds ``row`` (None: none)."""
    if isinstance(row, models.Subnet):
        return models.Network, row.network_id
    if isinstance(row, l3_models.ExternalNetwork):
        return models.Network, row.network_id
    if isinstance(row, models.AllocationPool):
        return models.Subnet, row.subnet_id
    if isinstance(row, (models.IPAllocation, sg_models.SecurityGroupPortBinding,
                        sg_models.PortSecurityBinding, network_extras.PortExtras)):
        return models.Port, row.port_id
    if isinstance(row, sg_models.SecurityGroupRule):
        return sg_models.SecurityGroup, row.security_group_id
    if isinstance(row, models.Port) and row.device_owner in external.ROUTER_OWNERS:
        return l3_models.Router, row.device_id
    return None


def _before_flush(session: orm.Session, _context: Any, _instances: Any) -> None:
    for row in list(session.dirty):
        if isinstance(row, STANDARD_MODELS) and session.is_modified(row):
            bump(session, row)
    for row in list(session.deleted):
        if isinstance(row, STANDARD_MODELS):
            check(row)
    changed = [*session.new, *session.deleted,
               *(row for row in session.dirty if isinstance(row, _SHOWN_EXTRAS)
                 and session.is_modified(row))]
    for row in changed:
        parent = _parent(row)
        if parent is not None:
            bump_id(session, *parent)


def _after_flush(session: orm.Session, _context: Any) -> None:
    """Rows inserted by this flush are not bumped in their creating transaction."""
    bumped: set[tuple[type[Any], str]] = session.info.setdefault(_BUMPED, set())
    bumped.update((type(row), row.id) for row in session.new
                  if isinstance(row, STANDARD_MODELS))


def _forget(session: orm.Session, transaction: orm.SessionTransaction) -> None:
    """A new transaction bumps afresh (a savepoint's end is not the transaction's)."""
    if transaction.parent is None:
        session.info.pop(_BUMPED, None)


def install() -> None:
    """Listen on every ORM session (once): the bumps of :func:`_before_flush`."""
    if not event.contains(orm.Session, 'before_flush', _before_flush):
        event.listen(orm.Session, 'before_flush', _before_flush)
        event.listen(orm.Session, 'after_flush', _after_flush)
        event.listen(orm.Session, 'after_transaction_end', _forget)
