"""Volume flow runs saved, posted on the jobboard and held (wiring.volume_flows): a
run a dead process left is carried on (or reverted) by the next look at the
board; a finished run is left alone; a run another live process holds is not
taken."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from oslo_config import cfg
from taskflow import states
from taskflow import storage as tf_storage

from nova_lite.common import exception
from nova_lite.common.states import VolumeStatus
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.jobboards.backends import impl_database
from nova_lite.db import api as db_api
from nova_lite.db.models import volume as models
from nova_lite.volume import manager as volume_manager
from nova_lite.volume.backends import base
from nova_lite.volume.flows import keys, rebuild
from nova_lite.wiring import volume_flows
from tests.unit.volume.test_flows_failures import Images

PROJECT = 'project-a'
# The claim of the "dead" process: already expired when the next process looks.
DEAD_EXPIRY = 0.01


class Cloud:
    """One volume service with held runs, and the board a dead process shared."""

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database) -> None:
        self.conf = conf
        self.db = db
        self.persistence = flow_persistence.DatabaseBackend(db)
        namespace = f'nl_test_{uuid.uuid4().hex[:12]}'
        self.board = impl_database.DatabaseJobBoard(namespace, {'namespace': namespace},
                                                    persistence=self.persistence, db=db)
        self.board.connect()
        self.backend = base.load_backend(conf)
        self.jobs = volume_flows.VolumeFlowJobs(
            self.board, self.persistence,
            lambda name: rebuild.flow_for_resume(name, db, self.backend),
            who='volume-service-b', claim_expiry=30.0, poll_interval=0.05,
            fault_max_delay=60.0 if conf.fault_injection.enabled else None)
        self.manager = volume_manager.VolumeManager(
            conf, db, self.backend, images=Images(), flow_persistence=self.persistence,
            held_runs=self.jobs)

    def files(self) -> list[str]:
        path = self.conf.volume.volumes_dir
        return sorted(os.listdir(path)) if os.path.isdir(path) else []

    def volume(self, volume_id: str) -> models.Volume | None:
        with self.db.reader() as session:
            return session.get(models.Volume, volume_id)

    def creating_volume(self) -> str:
        volume_id = str(uuid.uuid4())
        with self.db.session() as session:
            session.add(models.Volume(id=volume_id, size=1, project_id=PROJECT, user_id='u',
                                      status=VolumeStatus.CREATING, bootable=False))
        return volume_id

    def interrupted_run(self, flow_name: str, store: dict[str, Any],
                        done: dict[str, Any], running: str | None, *,
                        flow_state: str = states.RUNNING, holder: str = 'volume-service-a',
                        expiry: float = DEAD_EXPIRY) -> str:
        """A run saved as a process left it: ``done`` tasks SUCCESS with their
        results, ``running`` RUNNING, its job claimed by ``holder``; its flow uuid."""
        subject = store[keys.VOLUME_ID]
        book, flow_detail = flow_persistence.start_run(
            self.persistence, flow_name, book_name=f'{flow_name}-{subject}',
            meta={'subject': subject})
        storage = tf_storage.Storage(flow_detail, backend=self.persistence)
        storage.inject(store)
        storage.ensure_atoms(list(rebuild.flow_for_resume(flow_name, self.db, self.backend)))
        for name, result in done.items():
            storage.save(name, result)
        if running is not None:
            storage.set_atom_state(running, states.RUNNING)
        storage.set_flow_state(flow_state)
        job = self.board.post(f'{volume_flows.JOB_NAME_PREFIX}{subject}-{flow_detail.uuid}',
                              book=book, details={'flow_uuid': flow_detail.uuid,
                                                  'flow': flow_name, 'subject': subject})
        self.board.claim(job, holder, expiry=expiry)
        if expiry == DEAD_EXPIRY:
            time.sleep(expiry * 2)  # the dead process's claim expires
        return flow_detail.uuid

    def run_state(self, flow_uuid: str) -> str | None:
        return flow_persistence.load_run(self.persistence, flow_uuid)[1].state

    def jobs_left(self) -> list[str]:
        return [job.name for job in self.board.iterjobs(ensure_fresh=True)]


@pytest.fixture
def cloud(conf: cfg.ConfigOpts, db: db_api.Database) -> Iterator[Cloud]:
    made = Cloud(conf, db)
    yield made
    made.jobs.stop()
    made.board.close()


def test_a_request_runs_held_and_leaves_no_job(cloud: Cloud) -> None:
    ctx = _ctx()
    volume = cloud.manager.create_volume(ctx, size=1, name='v')
    assert volume['status'] == 'available'
    assert cloud.files() == [f'volume-{volume["id"]}']
    assert cloud.jobs_left() == []
    runs = [run for run in _all_runs(cloud) if run.meta.get('subject') == volume['id']]
    assert [run.state for run in runs] == [states.SUCCESS]


def test_a_create_left_running_is_resumed_and_its_leftover_replaced(cloud: Cloud) -> None:
    volume_id = cloud.creating_volume()
    # The dead process made the file; its result was never saved.
    leftover = cloud.backend.create_volume(volume_id, 1)
    flow_uuid = cloud.interrupted_run(
        keys.CREATE_FLOW, {keys.VOLUME_ID: volume_id, keys.SIZE: 1, keys.BOOTABLE: False},
        {keys.VOLUME_TO_ERROR_ON_REVERT: None}, keys.ALLOCATE_STORAGE)
    assert cloud.jobs.poll_once() == 1
    volume = cloud.volume(volume_id)
    assert volume is not None and volume.status == VolumeStatus.AVAILABLE
    assert volume.provider_location == leftover
    assert cloud.files() == [f'volume-{volume_id}']
    assert cloud.run_state(flow_uuid) == states.SUCCESS
    assert cloud.jobs_left() == []


def test_a_create_from_image_left_in_write_image_is_reverted(cloud: Cloud) -> None:
    volume_id = cloud.creating_volume()
    location = cloud.backend.create_volume(volume_id, 1)
    flow_uuid = cloud.interrupted_run(
        keys.CREATE_FROM_IMAGE_FLOW,
        {keys.VOLUME_ID: volume_id, keys.SIZE: 1, keys.BOOTABLE: True,
         keys.IMAGE_REF: {'id': 'i', 'disk_format': 'raw'}},
        {keys.VOLUME_TO_ERROR_ON_REVERT: None, keys.ALLOCATE_STORAGE: location},
        keys.WRITE_IMAGE)
    assert cloud.jobs.poll_once() == 1
    volume = cloud.volume(volume_id)
    assert volume is not None and volume.status == VolumeStatus.ERROR
    assert cloud.files() == []
    assert cloud.run_state(flow_uuid) == states.REVERTED
    assert cloud.jobs_left() == []


def test_a_reimage_left_in_write_image_leaves_the_volume_error(cloud: Cloud) -> None:
    volume_id = cloud.creating_volume()
    location = cloud.backend.create_volume(volume_id, 1)
    with cloud.db.session() as session:
        row = session.get(models.Volume, volume_id)
        assert row is not None
        row.status, row.provider_location = 'downloading', location
        row.image_metadata = {'image_id': 'old'}
    flow_uuid = cloud.interrupted_run(
        keys.REIMAGE_FLOW,
        {keys.VOLUME_ID: volume_id, keys.VOLUME_LOCATION: location,
         keys.IMAGE_REF: {'id': 'new', 'disk_format': 'raw'},
         keys.IMAGE_METADATA: {'image_id': 'new'},
         keys.PREVIOUS_STATUS: VolumeStatus.AVAILABLE},
        {keys.REIMAGE_TO_ERROR_ON_REVERT: None}, keys.WRITE_IMAGE)
    assert cloud.jobs.poll_once() == 1
    volume = cloud.volume(volume_id)
    assert volume is not None and volume.status == VolumeStatus.ERROR
    assert volume.image_metadata == {'image_id': 'old'}
    assert cloud.files() == [f'volume-{volume_id}']  # its storage is kept, not orphaned
    assert cloud.run_state(flow_uuid) == states.REVERTED
    assert cloud.jobs_left() == []


def test_a_delete_left_after_freeing_storage_is_carried_to_the_end(cloud: Cloud) -> None:
    volume_id = cloud.creating_volume()
    flow_uuid = cloud.interrupted_run(
        keys.DELETE_FLOW, {keys.VOLUME_ID: volume_id, keys.VOLUME_LOCATION: None},
        {keys.VOLUME_TO_ERROR_DELETING_ON_REVERT: None, keys.FREE_STORAGE: None},
        keys.REMOVE_VOLUME)
    assert cloud.jobs.poll_once() == 1
    assert cloud.volume(volume_id) is None
    assert cloud.run_state(flow_uuid) == states.SUCCESS


def test_a_finished_run_is_left_alone_and_its_job_consumed(cloud: Cloud) -> None:
    volume_id = cloud.creating_volume()
    # It ended (its process died before consuming the job): nothing runs again.
    flow_uuid = cloud.interrupted_run(
        keys.CREATE_FLOW, {keys.VOLUME_ID: volume_id, keys.SIZE: 1, keys.BOOTABLE: False},
        {keys.VOLUME_TO_ERROR_ON_REVERT: None}, None, flow_state=states.SUCCESS)
    assert cloud.jobs.poll_once() == 1
    volume = cloud.volume(volume_id)
    assert volume is not None and volume.status == VolumeStatus.CREATING
    assert cloud.files() == []
    assert cloud.run_state(flow_uuid) == states.SUCCESS
    assert cloud.jobs_left() == []


def test_a_run_another_live_process_holds_is_not_taken(cloud: Cloud) -> None:
    volume_id = cloud.creating_volume()
    flow_uuid = cloud.interrupted_run(
        keys.CREATE_FLOW, {keys.VOLUME_ID: volume_id, keys.SIZE: 1, keys.BOOTABLE: False},
        {keys.VOLUME_TO_ERROR_ON_REVERT: None}, keys.ALLOCATE_STORAGE, expiry=30.0)
    assert cloud.jobs.poll_once() == 0
    volume = cloud.volume(volume_id)
    assert volume is not None and volume.status == VolumeStatus.CREATING
    assert cloud.run_state(flow_uuid) == states.RUNNING
    [job] = list(cloud.board.iterjobs(ensure_fresh=True))
    assert cloud.board.find_owner(job) == 'volume-service-a'


def test_a_poster_whose_job_another_process_claimed_first_waits_for_its_end(
        cloud: Cloud, db: db_api.Database, monkeypatch: pytest.MonkeyPatch) -> None:
    other_jobs = volume_flows.VolumeFlowJobs(
        cloud.board, cloud.persistence,
        lambda name: rebuild.flow_for_resume(name, db, cloud.backend),
        who='volume-service-c', claim_expiry=30.0, poll_interval=0.05)
    claim = cloud.jobs._claim

    def claimed_by_the_other_first(job: Any) -> Any:
        assert other_jobs.take_over(job)  # service c runs it to its end first
        return claim(job)  # the job is consumed: not claimed, so the poster waits

    monkeypatch.setattr(cloud.jobs, '_claim', claimed_by_the_other_first)
    volume = cloud.manager.create_volume(_ctx(), size=1, name='v')
    assert volume['status'] == 'available'
    assert cloud.files() == [f'volume-{volume["id"]}']
    assert cloud.jobs_left() == []


def test_the_service_takes_over_in_the_background_once_started(cloud: Cloud) -> None:
    volume_id = cloud.creating_volume()
    cloud.interrupted_run(
        keys.CREATE_FLOW, {keys.VOLUME_ID: volume_id, keys.SIZE: 1, keys.BOOTABLE: False},
        {keys.VOLUME_TO_ERROR_ON_REVERT: None}, keys.ALLOCATE_STORAGE)
    cloud.manager.flows.start_taking_over()
    deadline = time.monotonic() + 10
    while (volume := cloud.volume(volume_id)) is not None and volume.status != 'available':
        assert time.monotonic() < deadline, 'the run was not taken over'
        time.sleep(0.02)
    cloud.manager.flows.stop()
    assert cloud.jobs_left() == []


def test_injected_failure_reverts_a_held_create(conf: cfg.ConfigOpts,
                                                db: db_api.Database) -> None:
    conf.set_override('enabled', True, group='fault_injection')
    cloud = Cloud(conf, db)
    with pytest.raises(exception.NovaLiteError, match='create failed'):
        cloud.manager.create_volume(_ctx(), size=1, name='v',
                                    metadata={'nova_lite:fail_at': keys.MARK_VOLUME_AVAILABLE})
    [volume] = cloud.manager.list_volumes(_ctx())
    assert volume['status'] == 'error'
    assert cloud.files() == []
    assert cloud.jobs_left() == []
    cloud.board.close()


def _ctx() -> Any:
    from nova_lite.common import context as nl_context
    return nl_context.RequestContext(user_id='u', project_id=PROJECT, roles=['member'])


def _all_runs(cloud: Cloud) -> list[flow_persistence.StoredRun]:
    runs: list[flow_persistence.StoredRun] = []
    for book in cloud.persistence.get_connection().get_logbooks():
        runs += flow_persistence.runs_of_book(cloud.persistence, book.uuid)
    return runs
