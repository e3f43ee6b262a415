"""The orphan audit finds what a crash left behind, and --repair frees it."""

from __future__ import annotations

import datetime

import sqlalchemy as sa

from nova_lite import audit
from nova_lite.db.models import compute as compute_models


def _auditor(env, build_timeout: int = 900) -> audit.Auditor:
    cloud = env.cloud
    return audit.Auditor(cloud.db, cloud.instances, cloud.compute_rpcapi, cloud.resources,
                         build_timeout=build_timeout)


def test_clean_cloud_has_no_orphans(make_env):
    env = make_env(hosts=['host1'])
    server = env.boot()
    assert server['status'] == 'ACTIVE'
    assert _auditor(env).find() == ([], [])


def test_instance_gone_without_cleanup_is_found_and_repaired(make_env):
    env = make_env(hosts=['host1'], virt_driver='libvirt')
    server = env.boot()
    assert server['status'] == 'ACTIVE', server['fault']
    # A crash between "mark deleted" and the teardown: everything is still held.
    env.cloud.instances.mark_deleted(server['id'])
    orphans, unreachable = _auditor(env).find()
    assert unreachable == []
    assert sorted(o.kind for o in orphans) == ['claim', 'domain', 'port',
                                               'volume_attachment']
    assert all(o.instance_id == server['id'] for o in orphans)
    assert 'holds IP 10.0.0.' in next(o.detail for o in orphans if o.kind == 'port')

    assert _auditor(env).repair(orphans) == 1
    assert _auditor(env).find() == ([], [])
    assert env.leftovers(server['id']).total() == 0
    assert env.volume()['status'] == 'available'
    assert env.host_usage()['host1']['vcpus_used'] == 0


def test_build_past_the_timeout_is_stuck_and_repair_puts_it_in_error(make_env):
    env = make_env(hosts=['host1'])
    instance = env.cloud.instances.create(
        name='stuck', project_id=env.ctx.project_id, user_id=env.ctx.user_id,
        flavor_id=env.flavor['id'], image_id=env.image['id'], availability_zone=None,
        metadata={}, build_request={})
    with env.cloud.db.session() as session:
        session.execute(sa.update(compute_models.Instance)
                        .where(compute_models.Instance.id == instance['id'])
                        .values(created_at=datetime.datetime(2020, 1, 1)))
    orphans, _ = _auditor(env, build_timeout=60).find()
    assert [(o.kind, o.instance_id) for o in orphans] == [('stuck_build', instance['id'])]
    _auditor(env, build_timeout=60).repair(orphans)
    stuck = env.cloud.instances.get(instance['id'])
    assert stuck['status'] == 'ERROR' and 'Build timed out' in stuck['fault']['message']
    assert _auditor(env, build_timeout=60).find() == ([], [])


def test_conductor_puts_a_stuck_build_in_error_by_itself(make_env):
    env = make_env(hosts=['host1'])
    stuck = env.cloud.instances.create(
        name='stuck', project_id=env.ctx.project_id, user_id=env.ctx.user_id,
        flavor_id=env.flavor['id'], image_id=env.image['id'], availability_zone=None,
        metadata={}, build_request={})
    fresh = env.cloud.instances.create(
        name='fresh', project_id=env.ctx.project_id, user_id=env.ctx.user_id,
        flavor_id=env.flavor['id'], image_id=env.image['id'], availability_zone=None,
        metadata={}, build_request={})
    with env.cloud.db.session() as session:
        session.execute(sa.update(compute_models.Instance)
                        .where(compute_models.Instance.id == stuck['id'])
                        .values(created_at=datetime.datetime(2020, 1, 1)))
    assert env.cloud.conductor.fail_stuck_builds(60) == [stuck['id']]
    failed = env.cloud.instances.get(stuck['id'])
    assert failed['status'] == 'ERROR' and 'Build timed out' in failed['fault']['message']
    assert env.cloud.instances.get(fresh['id'])['status'] == 'BUILD'
    assert env.cloud.conductor.fail_stuck_builds(0) == []
