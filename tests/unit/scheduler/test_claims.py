"""Atomic claims: the conditional UPDATE, idempotency, exact release."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import scheduler as models
from nova_lite.scheduler import claims
from tests.unit.scheduler.helpers import insert_instance, node_row

ONE = claims.Resources(vcpus=1, memory_mb=512, disk_gb=10)


@pytest.fixture(params=['db', pytest.param('pg_db', marks=pytest.mark.postgresql)])
def any_db(request: pytest.FixtureRequest) -> db_api.Database:
    return request.getfixturevalue(request.param)


def _node(database: db_api.Database, host: str = 'h1', **values: object) -> str:
    fields: dict[str, object] = dict(host=host, vcpus=2, memory_mb=1024, local_gb=20,
                                     cpu_allocation_ratio=1.0)
    fields.update(values)
    with database.session() as session:
        node = models.ComputeNode(**fields)
        session.add(node)
        session.flush()
        return node.id


def _claim(database: db_api.Database, node_id: str, instance_id: str,
           resources: claims.Resources = ONE) -> dict:
    with database.session() as session:
        return claims.claim(session, node_id, instance_id, resources)


def _release(database: db_api.Database, instance_id: str) -> dict | None:
    with database.session() as session:
        return claims.release(session, instance_id)


def _claim_count(database: db_api.Database) -> int:
    with database.reader() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(models.ResourceClaim))


def test_resources_from_flavor_rounds_swap_up() -> None:
    flavor = {'vcpus': 2, 'memory_mb': 256, 'root_gb': 1, 'ephemeral_gb': 2, 'swap': 1}
    assert claims.Resources.from_flavor(flavor) == claims.Resources(2, 256, 4)
    assert claims.Resources.from_flavor({'vcpus': 1, 'memory_mb': 1}).disk_gb == 0


@pytest.mark.parametrize(('flavor', 'field'), [
    (None, 'flavor'),
    ({'memory_mb': 1}, 'flavor.vcpus'),
    ({'vcpus': 0, 'memory_mb': 1}, 'flavor.vcpus'),
    ({'vcpus': 1, 'memory_mb': '512'}, 'flavor.memory_mb'),
    ({'vcpus': 1, 'memory_mb': 1, 'root_gb': -1}, 'flavor.root_gb'),
    ({'vcpus': 1, 'memory_mb': 1, 'swap': True}, 'flavor.swap'),
])
def test_resources_from_bad_flavor(flavor: object, field: str) -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        claims.Resources.from_flavor(flavor)
    assert caught.value.kwargs['field'] == field
    assert caught.value.code == 400


def test_claim_until_full_then_release_back_to_zero(any_db: db_api.Database) -> None:
    node_id = _node(any_db)
    first = _claim(any_db, node_id, 'i1')
    assert first == {'instance_id': 'i1', 'compute_node_id': node_id, 'vcpus': 1,
                     'memory_mb': 512, 'disk_gb': 10}
    _claim(any_db, node_id, 'i2')
    assert node_row(any_db, 'h1') == {'id': node_id, 'vcpus_used': 2, 'memory_mb_used': 1024,
                                      'local_gb_used': 20}
    with pytest.raises(exception.ClaimFailed, match='h1'):
        _claim(any_db, node_id, 'i3')
    assert _claim_count(any_db) == 2  # the failed claim wrote nothing
    assert _release(any_db, 'i1')['memory_mb'] == 512
    assert _release(any_db, 'i2') is not None
    assert node_row(any_db, 'h1') == {'id': node_id, 'vcpus_used': 0, 'memory_mb_used': 0,
                                      'local_gb_used': 0}
    assert _claim_count(any_db) == 0


def test_claim_checks_each_resource_with_ratios(db: db_api.Database) -> None:
    node_id = _node(db, vcpus=1, cpu_allocation_ratio=3.0, memory_mb=2048,
                    reserved_memory_mb=1024, local_gb=10, disk_allocation_ratio=2.0)
    for index in range(2):  # 2 x 512 MiB fit into 2048 - 1024 reserved
        _claim(db, node_id, f'i{index}', claims.Resources(1, 512, 10))
    with pytest.raises(exception.ClaimFailed):  # RAM is full, vCPUs (3) and disk (20) not
        _claim(db, node_id, 'ram', claims.Resources(1, 1, 0))
    _release(db, 'i1')
    with pytest.raises(exception.ClaimFailed):  # 1 used + 3 would exceed 1 * 3.0
        _claim(db, node_id, 'cpu', claims.Resources(3, 1, 0))
    with pytest.raises(exception.ClaimFailed):  # 11 GiB would exceed 10 * 2.0 - 10
        _claim(db, node_id, 'disk', claims.Resources(1, 1, 11))
    _claim(db, node_id, 'fits', claims.Resources(2, 512, 10))
    assert node_row(db, 'h1')['vcpus_used'] == 3


def test_claim_is_idempotent_on_the_same_node(any_db: db_api.Database) -> None:
    node_id = _node(any_db)
    first = _claim(any_db, node_id, 'i1')
    assert _claim(any_db, node_id, 'i1') == first
    assert node_row(any_db, 'h1')['vcpus_used'] == 1
    assert _claim_count(any_db) == 1


def test_claim_on_another_node_moves_the_claim(db: db_api.Database) -> None:
    old = _node(db, 'old')
    new = _node(db, 'new')
    _claim(db, old, 'i1')
    moved = _claim(db, new, 'i1', claims.Resources(2, 256, 1))
    assert moved['compute_node_id'] == new
    assert node_row(db, 'old')['vcpus_used'] == 0
    assert node_row(db, 'new') == {'id': new, 'vcpus_used': 2, 'memory_mb_used': 256,
                                   'local_gb_used': 1}
    assert _claim_count(db) == 1


def test_failed_move_keeps_the_old_claim(db: db_api.Database) -> None:
    old = _node(db, 'old')
    tiny = _node(db, 'tiny', vcpus=1, memory_mb=128)
    _claim(db, old, 'i1')
    with pytest.raises(exception.ClaimFailed):
        _claim(db, tiny, 'i1')
    assert node_row(db, 'old')['vcpus_used'] == 1
    assert node_row(db, 'tiny')['vcpus_used'] == 0


def test_release_without_claim_is_a_no_op(any_db: db_api.Database) -> None:
    node_id = _node(any_db)
    _claim(any_db, node_id, 'i1')
    assert _release(any_db, 'nobody') is None
    assert _release(any_db, 'i1') is not None
    assert _release(any_db, 'i1') is None
    assert node_row(any_db, 'h1')['vcpus_used'] == 0


def test_release_leaves_other_claims_alone(db: db_api.Database) -> None:
    node_id = _node(db, vcpus=4, memory_mb=4096, local_gb=100)
    _claim(db, node_id, 'a', claims.Resources(1, 100, 3))
    _claim(db, node_id, 'b', claims.Resources(2, 200, 5))
    _release(db, 'a')
    assert node_row(db, 'h1') == {'id': node_id, 'vcpus_used': 2, 'memory_mb_used': 200,
                                  'local_gb_used': 5}


def test_claim_on_unknown_node(db: db_api.Database) -> None:
    with pytest.raises(exception.NotFound):
        _claim(db, 'no-such-node', insert_instance(db))
