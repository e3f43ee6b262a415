"""claims.adjust: a resize's claim grows to hold both flavors and shrinks back, once."""

from __future__ import annotations

import pytest

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import scheduler as models
from nova_lite.scheduler import claims
from tests.unit.scheduler.test_claims import _node

OLD = claims.Resources(vcpus=1, memory_mb=256, disk_gb=1)
NEW = claims.Resources(vcpus=1, memory_mb=512, disk_gb=2)
BOTH = claims.combined(OLD, NEW)


def _used(db: db_api.Database, node_id: str) -> tuple[int, int, int]:
    with db.reader() as session:
        node = session.get(models.ComputeNode, node_id)
        assert node is not None
        return node.vcpus_used, node.memory_mb_used, node.local_gb_used


def test_grow_then_shrink_counts_each_change_once(db: db_api.Database) -> None:
    node_id = _node(db)
    with db.session() as session:
        claims.claim(session, node_id, 'vm', OLD)
    for _ in range(2):  # idempotent: a resumed task asks again
        with db.session() as session:
            claim = claims.adjust(session, 'vm', OLD, BOTH)
        assert (claim['vcpus'], claim['memory_mb'], claim['disk_gb']) == (2, 768, 3)
        assert _used(db, node_id) == (2, 768, 3)
    for _ in range(2):
        with db.session() as session:
            claims.adjust(session, 'vm', BOTH, NEW)
        assert _used(db, node_id) == (1, 512, 2)


def test_growing_past_the_room_left_changes_nothing(db: db_api.Database) -> None:
    node_id = _node(db, vcpus=1)
    with db.session() as session:
        claims.claim(session, node_id, 'vm', OLD)
    with pytest.raises(exception.ClaimFailed), db.session() as session:
        claims.adjust(session, 'vm', OLD, BOTH)
    assert _used(db, node_id) == (1, 256, 1)


def test_a_claim_holding_neither_amount_is_a_conflict(db: db_api.Database) -> None:
    node_id = _node(db)
    with db.session() as session:
        claims.claim(session, node_id, 'vm', NEW)
    with pytest.raises(exception.Conflict), db.session() as session:
        claims.adjust(session, 'vm', OLD, BOTH)
    with pytest.raises(exception.NotFound), db.session() as session:
        claims.adjust(session, 'no-claim', OLD, BOTH)
