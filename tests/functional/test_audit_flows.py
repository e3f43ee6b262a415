"""The orphan audit of the boots' bookkeeping: logbooks, jobs and trashed jobs.

The jobs are posted on a DatabaseJobBoard of a namespace of their own, so the
embedded cloud's conductors (on the default namespace) never claim them.
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from taskflow import states

from nova_lite import audit, audit_flows
from nova_lite.common import timeutils
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys
from nova_lite.conductor.jobboards.backends import impl_database
from nova_lite.db.models import flow as flow_models

NO_GRACE = datetime.timedelta(0)


@pytest.fixture
def board(make_env) -> Iterator[tuple[object, impl_database.DatabaseJobBoard]]:
    env = make_env(hosts=['host1'])
    namespace = f'audit-{uuid.uuid4().hex[:8]}'
    job_board = impl_database.DatabaseJobBoard(
        namespace, {'namespace': namespace}, db=env.cloud.db,
        persistence=flow_persistence.DatabaseBackend(env.cloud.db))
    job_board.connect()
    yield env, job_board
    job_board.close()


def _auditor(env, jobboard=None, grace: datetime.timedelta = NO_GRACE) -> audit.Auditor:
    cloud = env.cloud
    return audit.Auditor(cloud.db, cloud.instances, cloud.compute_rpcapi, cloud.resources,
                         build_timeout=900, jobboard=jobboard, flow_grace=grace)


def _boot(env) -> dict:
    """Boot a server and wait for its saved boot to end (a moment after ACTIVE)."""
    server = env.boot()
    assert server['status'] == 'ACTIVE', server['fault']
    record = flow_models.FlowDetailRecord
    deadline = time.monotonic() + 30
    while True:
        with env.cloud.db.reader() as session:
            state = session.scalar(sa.select(record.state)
                                   .where(record.parent_uuid == server['id']))
        if state in flow_persistence.FINISHED_STATES:
            return server
        assert time.monotonic() < deadline, f'the boot flow is still {state}'
        time.sleep(0.02)


def _building(env) -> dict:
    return env.cloud.instances.create(
        name='building', project_id=env.ctx.project_id, user_id=env.ctx.user_id,
        flavor_id=env.flavor['id'], image_id=env.image['id'], availability_zone=None,
        metadata={}, build_request={})


def _saved_boot(env, instance_id: str) -> str:
    """A saved boot (PENDING: unfinished) of the instance, as a conductor starts one."""
    _book, detail = flow_persistence.start_run(
        flow_persistence.DatabaseBackend(env.cloud.db), keys.BOOT_FLOW,
        book_uuid=instance_id, book_name=f'boot-{instance_id}')
    return detail.uuid


def _post(job_board, instance_id: str, flow_uuid: str | None = None):
    return job_board.post(f'boot-{instance_id}',
                          details={'instance_id': instance_id,
                                   'flow_uuid': flow_uuid or str(uuid.uuid4())})


def _logbook_exists(env, instance_id: str) -> bool:
    with env.cloud.db.reader() as session:
        return session.get(flow_models.FlowLogBook, instance_id) is not None


def test_unfinished_logbook_of_an_active_instance_is_destroyed_and_the_instance_kept(
        make_env):
    env = make_env(hosts=['host1'])
    server = _boot(env)
    # A conductor that died after mark-active, before its flow's SUCCESS was saved.
    with env.cloud.db.session() as session:
        session.execute(sa.update(flow_models.FlowDetailRecord)
                        .where(flow_models.FlowDetailRecord.parent_uuid == server['id'])
                        .values(state=states.RUNNING))
    assert _auditor(env, grace=datetime.timedelta(minutes=5)).find() == ([], [])

    orphans, _ = _auditor(env).find()
    assert [(o.kind, o.instance_id, o.host) for o in orphans] == [
        ('logbook', server['id'], 'host1')]
    assert orphans[0].detail == 'unfinished boot (RUNNING); instance is active'

    assert _auditor(env).repair(orphans) == 1
    assert not _logbook_exists(env, server['id'])
    assert _auditor(env).find() == ([], [])
    # Its resources stay: it is ACTIVE.
    assert env.cloud.compute_api.get_server(env.ctx, server['id'])['status'] == 'ACTIVE'
    assert env.host_usage()['host1']['vcpus_used'] == 1
    assert env.cloud.networks.list_ports(env.ctx, device_id=server['id'])


def test_building_instance_whose_boot_has_no_job_goes_to_error(board):
    env, job_board = board
    abandoned = _building(env)
    _saved_boot(env, abandoned['id'])
    waiting = _building(env)
    _post(job_board, waiting['id'], _saved_boot(env, waiting['id']))

    # Without a jobboard nobody can tell: a BUILD instance's boot may be running.
    assert _auditor(env).find() == ([], [])
    orphans, _ = _auditor(env, job_board).find()
    assert [(o.kind, o.instance_id) for o in orphans] == [('logbook', abandoned['id'])]
    assert 'no job on the jobboard: no conductor will resume it' in orphans[0].detail

    _auditor(env, job_board).repair(orphans)
    failed = env.cloud.instances.get(abandoned['id'])
    assert failed['status'] == 'ERROR'
    assert 'Boot abandoned' in failed['fault']['message']
    assert not _logbook_exists(env, abandoned['id'])
    assert env.cloud.instances.get(waiting['id'])['status'] == 'BUILD'
    assert _logbook_exists(env, waiting['id'])
    assert _auditor(env, job_board).find() == ([], [])


def test_jobs_nobody_holds_of_dead_or_finished_instances_are_consumed(board):
    env, job_board = board
    server = _boot(env)
    building = _building(env)
    gone_id = str(uuid.uuid4())
    of_active = _post(job_board, server['id'])
    of_gone = _post(job_board, gone_id)
    of_building = _post(job_board, building['id'], _saved_boot(env, building['id']))
    held = _post(job_board, str(uuid.uuid4()))
    job_board.claim(held, 'conductor-x', expiry=300)
    # A claim whose holder's clock says it ran out an hour ago: nobody holds it.
    late = _post(job_board, str(uuid.uuid4()))
    an_hour_ago = timeutils.utcnow() - datetime.timedelta(hours=1)
    impl_database.DatabaseJobBoard(job_board.namespace, {'namespace': job_board.namespace},
                                   db=env.cloud.db, clock=lambda: an_hour_ago).claim(
        late, 'dead-conductor', expiry=30)

    orphans, _ = _auditor(env, job_board).find()
    assert sorted((o.kind, o.resource_id) for o in orphans) == sorted(
        ('job', job.uuid) for job in (of_active, of_gone, late))
    details = {o.resource_id: o.detail for o in orphans}
    assert details[of_active.uuid] == (f'job boot-{server["id"]} nobody holds; '
                                       'instance is active')
    assert details[of_gone.uuid].endswith('instance does not exist')

    _auditor(env, job_board).repair(orphans)
    assert {job.uuid for job in job_board.iterjobs()} == {of_building.uuid, held.uuid}
    assert job_board.find_owner(held) == 'conductor-x'
    assert _auditor(env, job_board).find() == ([], [])
    assert env.cloud.compute_api.get_server(env.ctx, server['id'])['status'] == 'ACTIVE'
    # The jobboard is optional: without it, jobs are not looked at.
    assert _auditor(env).find() == ([], [])


def test_trashed_job_still_holding_its_instance_is_freed(board):
    env, job_board = board
    stuck = _building(env)
    trashed = _post(job_board, stuck['id'], _saved_boot(env, stuck['id']))
    done = _boot(env)
    clean = _post(job_board, done['id'])
    for job in (trashed, clean):
        job_board.claim(job, 'conductor-x', expiry=300)
        job_board.trash(job, 'conductor-x')
    # The boot of `done` finished: its trashed job holds nothing.

    orphans, _ = _auditor(env, job_board).find()
    kinds = sorted((o.kind, o.resource_id) for o in orphans)
    assert kinds == [('logbook', stuck['id']), ('trashed_job', trashed.uuid)]
    trashed_orphan = next(o for o in orphans if o.kind == 'trashed_job')
    assert trashed_orphan.detail == (
        f'job boot-{stuck["id"]} moved aside; its instance is still in BUILD; '
        "its logbook's boot is still PENDING")

    _auditor(env, job_board).repair(orphans)
    assert env.cloud.instances.get(stuck['id'])['status'] == 'ERROR'
    assert not _logbook_exists(env, stuck['id'])
    assert _auditor(env, job_board).find() == ([], [])
    assert {job.uuid for job in job_board.trashed_jobs()} == {trashed.uuid, clean.uuid}


def test_trashed_job_of_an_error_instance_still_holding_ports_is_swept(board):
    env, job_board = board
    server = _boot(env)
    job = _post(job_board, server['id'])
    job_board.claim(job, 'conductor-x', expiry=300)
    job_board.trash(job, 'conductor-x')
    # Moved aside, set to ERROR, but the sweep never ran (its conductor died).
    env.cloud.instances.set_error(server['id'], message='Boot abandoned')

    orphans, _ = _auditor(env, job_board).find()
    trashed = [o for o in orphans if o.kind == 'trashed_job']
    assert len(trashed) == 1
    assert 'instance is error and holds 1 port(s), 1 claim, 1 volume attachment(s)' in (
        trashed[0].detail)
    assert {o.kind for o in orphans} == {'trashed_job', 'port', 'claim', 'volume_attachment',
                                         'domain'}

    _auditor(env, job_board).repair(orphans)
    assert _auditor(env, job_board).find() == ([], [])
    assert env.leftovers(server['id']).total() == 0
    assert env.volume()['status'] == 'available'


def test_the_auditor_identity_is_who_claims(board):
    env, job_board = board
    job = _post(job_board, str(uuid.uuid4()))
    seen: list[str] = []
    original_claim = job_board.claim

    def watching_claim(claimed_job, who, expiry=None):
        seen.append(who)
        assert expiry is not None and expiry <= audit_flows.AUDIT_CLAIM_EXPIRY
        return original_claim(claimed_job, who, expiry=expiry)

    job_board.claim = watching_claim  # type: ignore[method-assign]
    orphans, _ = _auditor(env, job_board).find()
    _auditor(env, job_board).repair(orphans)
    assert seen == [audit_flows.AUDITOR_IDENTITY]
    assert job.uuid not in {j.uuid for j in job_board.iterjobs()}


def test_action_jobs_of_live_instances_and_paused_instances_are_not_orphans(board):
    env, job_board = board
    server = _boot(env)
    # Paused, it still holds its domain, ports and volume: none of them is an orphan.
    env.cloud.instances.update(server['id'], vm_state='paused')
    pending = job_board.post(f'action-{server["id"]}-{uuid.uuid4()}',
                             details={'instance_id': server['id'],
                                      'flow_uuid': str(uuid.uuid4()), 'action': 'pause'})
    gone_id = str(uuid.uuid4())
    of_gone = job_board.post(f'action-{gone_id}-{uuid.uuid4()}',
                             details={'instance_id': gone_id,
                                      'flow_uuid': str(uuid.uuid4()), 'action': 'stop'})
    orphans, _ = _auditor(env, job_board).find()
    assert [(o.kind, o.resource_id) for o in orphans] == [('job', of_gone.uuid)]
    assert pending.uuid not in {o.resource_id for o in orphans}
