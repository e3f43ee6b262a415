"""The orphan audit finds what a crash left behind, and --repair frees it."""

from __future__ import annotations

import datetime
import os
import uuid

import sqlalchemy as sa

from nova_lite import audit
from nova_lite.db.models import compute as compute_models
from nova_lite.virt import disk


def _auditor(env, build_timeout: int = 900, **kwargs) -> audit.Auditor:
    cloud = env.cloud
    return audit.Auditor(cloud.db, cloud.instances, cloud.compute_rpcapi, cloud.resources,
                         build_timeout=build_timeout,
                         instances_path=cloud.conf.compute.instances_path,
                         image_cache_dir=cloud.conf.compute.image_cache_dir, **kwargs)


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
    assert sorted(o.kind for o in orphans) == ['claim', 'domain', 'image_cache_ref', 'port',
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
    assert env.cloud.conductor.housekeeping.fail_stuck_builds(60) == [stuck['id']]
    failed = env.cloud.instances.get(stuck['id'])
    assert failed['status'] == 'ERROR' and 'Build timed out' in failed['fault']['message']
    assert env.cloud.instances.get(fresh['id'])['status'] == 'BUILD'
    assert env.cloud.conductor.housekeeping.fail_stuck_builds(0) == []


def _leak_instance_dir(env, instance_id: str) -> str:
    """An instance directory whose disk is an overlay on the cached image, as a
    compute host that crashed before removing it would leave it."""
    cache = env.cloud.conf.compute.image_cache_dir
    [cached] = [name for name in os.listdir(cache) if not name.startswith('.')]
    path = os.path.join(env.cloud.conf.compute.instances_path, instance_id)
    disk.create_instance_disk(os.path.join(cache, cached), path, 0, True, base_format='raw')
    return path


def test_instance_directory_left_by_a_dead_instance_is_an_image_cache_reference(make_env):
    env = make_env(hosts=['host1'])
    live = env.boot(name='live')
    gone = env.boot(name='gone', with_volume=False)
    env.delete(gone['id'])
    assert not os.path.exists(os.path.join(env.cloud.conf.compute.instances_path,
                                           gone['id']))
    leaked = _leak_instance_dir(env, gone['id'])
    never = _leak_instance_dir(env, str(uuid.uuid4()))
    cached = sorted(n for n in os.listdir(env.cloud.conf.compute.image_cache_dir)
                    if not n.startswith('.'))

    orphans, _ = _auditor(env).find()
    assert sorted((o.kind, o.resource_id) for o in orphans) == sorted(
        [('image_cache_ref', leaked), ('image_cache_ref', never)])
    by_dir = {o.resource_id: o for o in orphans}
    assert by_dir[leaked].detail.startswith('instance is deleted; ')
    assert by_dir[never].detail.startswith('instance does not exist; ')
    if disk.qemu_img() is not None:
        assert f'backed by cached image {cached[0]}' in by_dir[leaked].detail
    # Without instances_path nothing of this machine's directories is looked at.
    plain = audit.Auditor(env.cloud.db, env.cloud.instances, env.cloud.compute_rpcapi,
                          env.cloud.resources, build_timeout=900)
    assert plain.find() == ([], [])

    assert _auditor(env).repair(orphans) == 2
    assert not os.path.exists(leaked) and not os.path.exists(never)
    assert _auditor(env).find() == ([], [])
    # The live instance, its directory and the image cache are untouched.
    assert os.path.isdir(os.path.join(env.cloud.conf.compute.instances_path, live['id']))
    assert sorted(n for n in os.listdir(env.cloud.conf.compute.image_cache_dir)
                  if not n.startswith('.')) == cached
    assert env.cloud.compute_api.get_server(env.ctx, live['id'])['status'] == 'ACTIVE'
