"""The quota engine: limits resolved as nova's legacy driver does, usage counted,
and checks that hold under concurrent boots on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from oslo_config import cfg
from sqlalchemy import orm

from nova_lite.common import exception
from nova_lite.compute import instance_store, keypairs, quotas
from nova_lite.compute import quota_resources as res
from nova_lite.db import api as db_api
from tests.conftest import unset_quota_overrides
from tests.unit.compute.test_keypair_keys import TEMPEST_RSA


@pytest.fixture(autouse=True)
def _nova_defaults(conf: cfg.ConfigOpts) -> None:
    unset_quota_overrides(conf)


def _engine(db: db_api.Database, conf: cfg.ConfigOpts) -> quotas.QuotaEngine:
    return quotas.QuotaEngine(db, conf)


def _boot(store: instance_store.InstanceStore, engine: quotas.QuotaEngine, *,
          project: str = 'p1', user: str = 'u1', vcpus: int = 1, memory_mb: int = 512,
          check: Any = None) -> dict[str, Any]:
    flavor = {'id': 'f', 'name': 'small', 'vcpus': vcpus, 'memory_mb': memory_mb,
              'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0}
    return store.create(
        name='vm', project_id=project, user_id=user, flavor_id='f', image_id=None,
        availability_zone=None, metadata={},
        build_request={'request_spec': {'flavor': flavor}},
        quota_check=check or engine.instance_check(project, user, vcpus=vcpus,
                                                   memory_mb=memory_mb))


def test_defaults_come_from_conf_then_the_default_class(db: db_api.Database,
                                                         conf: cfg.ConfigOpts) -> None:
    engine = _engine(db, conf)
    defaults = engine.defaults()
    assert defaults[res.INSTANCES] == 10 and defaults[res.CORES] == 20
    assert defaults[res.RAM] == 51200 and defaults[res.KEY_PAIRS] == 100
    assert defaults[res.INJECTED_FILE_PATH_BYTES] == 255 and defaults['floating_ips'] == -1
    conf.set_override('instances', 4, group='quota')
    assert engine.defaults()[res.INSTANCES] == 4
    engine.update_class('default', {res.INSTANCES: 7})
    assert engine.defaults()[res.INSTANCES] == 7
    assert engine.limits('any-project')[res.INSTANCES] == 7
    engine.update_class('gold', {res.CORES: 99})
    assert engine.class_limits('gold')[res.CORES] == 99
    assert engine.class_limits('gold')[res.INSTANCES] == 7  # the rest from 'default'


def test_project_then_user_limits_and_delete(db: db_api.Database,
                                             conf: cfg.ConfigOpts) -> None:
    engine = _engine(db, conf)
    engine.update('p1', {res.INSTANCES: 5, res.CORES: 8})
    engine.update('p1', {res.INSTANCES: 2}, user_id='u1')
    assert engine.limits('p1')[res.INSTANCES] == 5
    assert engine.limits('p1', 'u1')[res.INSTANCES] == 2
    assert engine.limits('p1', 'u1')[res.CORES] == 8  # from the project
    with pytest.raises(exception.Invalid, match='less than or equal to 5'):
        engine.update('p1', {res.INSTANCES: 6}, user_id='u1')
    engine.delete('p1', 'u1')
    assert engine.limits('p1', 'u1')[res.INSTANCES] == 5
    engine.delete('p1')
    assert engine.limits('p1')[res.INSTANCES] == 10


def test_usage_counts_live_instances_and_frees_on_delete(db: db_api.Database,
                                                         conf: cfg.ConfigOpts) -> None:
    engine, store = _engine(db, conf), instance_store.InstanceStore(db)
    first = _boot(store, engine, vcpus=2, memory_mb=1024)
    _boot(store, engine, user='u2', vcpus=1, memory_mb=512)
    _boot(store, engine, project='p2')
    usage = engine.usage('p1')
    assert (usage[res.INSTANCES], usage[res.CORES], usage[res.RAM]) == (2, 3, 1536)
    assert engine.usage('p1', 'u2')[res.INSTANCES] == 1
    detail = engine.detail('p1')
    assert detail[res.CORES] == {'limit': 20, 'in_use': 3, 'reserved': 0}
    store.mark_deleted(first['id'])  # the delete flow's last step releases it
    assert engine.usage('p1')[res.INSTANCES] == 1


def test_boot_over_a_limit_is_refused_with_novas_message(db: db_api.Database,
                                                         conf: cfg.ConfigOpts) -> None:
    engine, store = _engine(db, conf), instance_store.InstanceStore(db)
    engine.update('p1', {res.INSTANCES: 1})
    _boot(store, engine)
    with pytest.raises(quotas.QuotaExceeded) as raised:
        _boot(store, engine)
    assert raised.value.code == 403
    assert raised.value.message == ('Quota exceeded for instances: Requested 1, but already '
                                    'used 1 of 1 instances')
    engine.update('p1', {res.INSTANCES: -1, res.CORES: 2})
    with pytest.raises(quotas.QuotaExceeded, match='cores: Requested 2, but already used 1 '
                                                   'of 2 cores'):
        _boot(store, engine, vcpus=2)
    engine.update('p1', {res.CORES: -1, res.RAM: 600})
    with pytest.raises(quotas.QuotaExceeded, match='for ram'):
        _boot(store, engine)
    assert engine.usage('p1')[res.INSTANCES] == 1  # nothing left behind by the refusals


def test_a_user_quota_limits_that_user_only(db: db_api.Database,
                                            conf: cfg.ConfigOpts) -> None:
    engine, store = _engine(db, conf), instance_store.InstanceStore(db)
    engine.update('p1', {res.INSTANCES: 1}, user_id='u1')
    _boot(store, engine)
    with pytest.raises(quotas.QuotaExceeded):
        _boot(store, engine)
    _boot(store, engine, user='u2')


def test_a_limit_below_usage_needs_force(db: db_api.Database, conf: cfg.ConfigOpts) -> None:
    engine, store = _engine(db, conf), instance_store.InstanceStore(db)
    _boot(store, engine)
    _boot(store, engine)
    with pytest.raises(exception.Invalid, match='Quota limit 1 for instances must be '
                                                'greater than or equal to already used and '
                                                'reserved 2'):
        engine.update('p1', {res.INSTANCES: 1})
    assert engine.update('p1', {res.INSTANCES: 1}, force=True)[res.INSTANCES] == 1
    assert engine.update('p1', {res.INSTANCES: -1})[res.INSTANCES] == -1


def test_metadata_items(db: db_api.Database, conf: cfg.ConfigOpts) -> None:
    engine = _engine(db, conf)
    engine.check_metadata_items('p1', range(128))
    with pytest.raises(quotas.MetadataLimitExceeded, match='exceeds 128'):
        engine.check_metadata_items('p1', range(129))


def test_key_pairs_per_user(db: db_api.Database, conf: cfg.ConfigOpts) -> None:
    engine, store = _engine(db, conf), keypairs.KeypairStore(db)
    engine.update('p1', {res.KEY_PAIRS: 1})
    store.create(user_id='u1', name='a', public_key=TEMPEST_RSA,
                 quota_check=engine.keypair_check('p1', 'u1'))
    with pytest.raises(quotas.KeypairQuotaExceeded, match='too many key pairs'):
        store.create(user_id='u1', name='b', public_key=TEMPEST_RSA,
                     quota_check=engine.keypair_check('p1', 'u1'))
    assert engine.usage('p1', 'u1')[res.KEY_PAIRS] == 1
    store.create(user_id='u2', name='b', public_key=TEMPEST_RSA,
                 quota_check=engine.keypair_check('p1', 'u2'))


def test_server_group_checks(db: db_api.Database, conf: cfg.ConfigOpts) -> None:
    engine = _engine(db, conf)
    engine.server_group_counter = lambda session, project, user: {res.SERVER_GROUPS: 10}
    assert engine.usage('p1')[res.SERVER_GROUPS] == 10
    with db.session() as session, pytest.raises(quotas.QuotaExceeded, match='server_groups'):
        engine.check_server_groups(session, 'p1', 'u1')
    engine.check_server_group_members('p1', members_in_group=9)
    with pytest.raises(quotas.QuotaExceeded, match='server_group_members'):
        engine.check_server_group_members('p1', members_in_group=10)


def _race(db: db_api.Database, conf: cfg.ConfigOpts, threads: int = 8) -> tuple[int, int]:
    """``threads`` boots of one project at once against instances=3; each check
    pauses between counting and inserting, so an unlocked check would let all in."""
    engine, store = _engine(db, conf), instance_store.InstanceStore(db)
    engine.update('p1', {res.INSTANCES: 3})
    barrier = threading.Barrier(threads)
    outcomes: list[str] = []
    check = engine.instance_check('p1', 'u1', vcpus=1, memory_mb=512)

    def slow_check(session: orm.Session) -> None:
        check(session)
        time.sleep(0.05)

    def boot() -> None:
        barrier.wait()
        try:
            _boot(store, engine, check=slow_check)
            outcomes.append('booted')
        except quotas.QuotaExceeded:
            outcomes.append('refused')

    workers = [threading.Thread(target=boot) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert len(outcomes) == threads
    assert engine.usage('p1')[res.INSTANCES] == outcomes.count('booted')
    return outcomes.count('booted'), outcomes.count('refused')


def test_concurrent_boots_never_over_commit_on_sqlite(db: db_api.Database,
                                                      conf: cfg.ConfigOpts) -> None:
    assert _race(db, conf) == (3, 5)


def test_concurrent_boots_never_over_commit_on_postgresql(pg_db: db_api.Database,
                                                          conf: cfg.ConfigOpts) -> None:
    assert _race(pg_db, conf) == (3, 5)
