"""The orphan audit's look at the boots' own bookkeeping: logbooks and jobs.

A boot is a logbook (its saved flow run, named by the instance id) and, with
a jobboard, a job naming it (``boot-<instance id>``, details ``instance_id``
and ``flow_uuid``). Orphans among them:

- ``logbook``: a boot saved unfinished whose instance is not in BUILD (gone,
  deleted, ACTIVE, ERROR...), or, with a jobboard, an unfinished boot of an
  instance in BUILD with no job on the board: no conductor will ever resume
  it. Logbooks younger than ``grace`` are left alone (a boot is saved a
  moment before its job is posted), as is any boot whose job someone holds.
- ``job``: a job nobody holds (no owner, or the claim expired) whose instance
  is gone or not in BUILD.
- ``trashed_job``: a job moved aside whose boot still holds something: its
  instance still in BUILD, its logbook still unfinished, or its instance
  (gone or in ERROR) still holding ports, claims or volume attachments.

:class:`FlowAudit` finds them; its ``repair`` destroys orphan logbooks,
claims each orphan job (briefly, as :data:`AUDITOR_IDENTITY`) and consumes
it, and puts an instance whose boot nobody will finish in ERROR (the caller
then frees what it holds). :class:`Orphan` is the record the whole audit
(:mod:`nova_lite.audit`) reports.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import logging
from collections.abc import Callable, Mapping

from taskflow import exceptions as tf_exc
from taskflow.jobs import base as jobs_base

from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import VmState
from nova_lite.compute import instance_store
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor import resource_cleanup
from nova_lite.conductor.flows import keys
from nova_lite.conductor.jobboards import base as board_base

LOG = logging.getLogger(__name__)

AUDITOR_IDENTITY = 'nova-lite-manage-audit'
# A boot's logbook is saved a moment before its job is posted.
FLOW_GRACE = datetime.timedelta(minutes=5)
# How long the auditor's claim on an orphan job lasts (it consumes it at once).
AUDIT_CLAIM_EXPIRY = 10.0
BUILDING = VmState.BUILDING
# The jobs of the server action flows (conductor.action_runner's names).
ACTION_JOB_PREFIX = 'action-'
# The block storage service's flows (wiring.volume_flows' names): its API service
# takes over the ones nobody holds.
VOLUME_FLOW_JOB_PREFIX = 'volume-flow-'
FLOW_KINDS = frozenset({'logbook', 'job', 'trashed_job'})


@dataclasses.dataclass(frozen=True, order=True)
class Orphan:
    """Something held that no live instance (or no running boot) owns."""

    kind: str
    instance_id: str
    resource_id: str
    detail: str
    host: str | None = None

    def __str__(self) -> str:
        where = f' on {self.host}' if self.host else ''
        return (f'{self.kind} {self.resource_id}{where}: {self.detail} '
                f'(instance {self.instance_id})')


def describe_state(states: Mapping[str, str], instance_id: str) -> str:
    """'instance does not exist', 'instance is deleted', 'instance is active'..."""
    state = states.get(instance_id)
    return 'instance does not exist' if state is None else f'instance is {state}'


@dataclasses.dataclass(frozen=True)
class _BoardJob:
    job: jobs_base.Job
    instance_id: str | None
    owner: str | None


class FlowAudit:
    """Finds (and repairs) boot logbooks and jobs that nothing will finish."""

    def __init__(self, resources: resource_cleanup.InstanceResources,
                 persistence: flow_persistence.DatabaseBackend,
                 jobboard: board_base.ClaimingJobBoard | None = None, *,
                 who: str = AUDITOR_IDENTITY, claim_expiry: float = AUDIT_CLAIM_EXPIRY,
                 grace: datetime.timedelta = FLOW_GRACE,
                 clock: Callable[[], datetime.datetime] = timeutils.utcnow) -> None:
        """``jobboard`` None: only logbooks are checked (against instance states).

        ``resources`` answers what an instance still holds in each service.
        """
        self._resources = resources
        self._persistence = persistence
        self._board = jobboard
        self._who = who
        self._claim_expiry = claim_expiry
        self._grace = grace
        self._clock = clock

    # Finding ---------------------------------------------------------------------

    def find(self, states: Mapping[str, str]) -> list[Orphan]:
        """Every flow orphan, given each instance's state ('deleted' when deleted)."""
        board_jobs = self._board_jobs() if self._board is not None else None
        orphans = self._logbooks(states, board_jobs)
        if board_jobs is not None:
            orphans += self._jobs(states, board_jobs)
            orphans += self._trashed_jobs(states)
        return orphans

    def _board_jobs(self) -> list[_BoardJob]:
        assert self._board is not None
        found = []
        for job in self._board.iterjobs(ensure_fresh=True):
            instance_id = (job.details or {}).get('instance_id')
            found.append(_BoardJob(job, instance_id if isinstance(instance_id, str) else None,
                                   self._board.find_owner(job)))
        return found

    def _logbooks(self, states: Mapping[str, str],
                  board_jobs: list[_BoardJob] | None) -> list[Orphan]:
        cutoff = self._clock() - self._grace
        orphans = []
        for run in flow_persistence.unfinished_runs(self._persistence):
            if run.flow_name != keys.BOOT_FLOW:
                continue
            if run.created_at is not None and run.created_at > cutoff:
                continue
            instance_id = run.book_uuid
            jobs = ([j for j in board_jobs if j.instance_id == instance_id]
                    if board_jobs is not None else [])
            if any(j.owner is not None for j in jobs):
                continue  # a conductor is running it
            saved = f'unfinished boot ({run.state or "no state"})'
            if states.get(instance_id) != BUILDING:
                why = f'{saved}; {describe_state(states, instance_id)}'
            elif board_jobs is not None and not jobs:
                why = (f'{saved} of an instance in BUILD with no job on the jobboard: '
                       'no conductor will resume it')
            else:
                continue
            orphans.append(Orphan('logbook', instance_id, run.book_uuid, why,
                                  self._scheduled_host(run.flow_uuid)))
        return orphans

    def _jobs(self, states: Mapping[str, str], board_jobs: list[_BoardJob]) -> list[Orphan]:
        orphans = []
        for found in board_jobs:
            if found.owner is not None:
                continue
            if found.job.name.startswith(VOLUME_FLOW_JOB_PREFIX):
                continue  # a volume flow an API service will take over and carry on
            if found.instance_id is None:
                why = 'names no instance'
            elif (found.job.name.startswith(ACTION_JOB_PREFIX)
                  and states.get(found.instance_id) not in (None, VmState.DELETED)):
                continue  # a server action a conductor will claim and resume
            elif states.get(found.instance_id) != BUILDING:
                why = describe_state(states, found.instance_id)
            else:
                continue  # a conductor will claim it and run the boot
            orphans.append(Orphan('job', found.instance_id or '-', found.job.uuid,
                                  f'job {found.job.name} nobody holds; {why}'))
        return orphans

    def _trashed_jobs(self, states: Mapping[str, str]) -> list[Orphan]:
        list_trashed = getattr(self._board, 'trashed_jobs', None)
        if list_trashed is None:
            return []
        unfinished = {run.book_uuid: run for run in
                      flow_persistence.unfinished_runs(self._persistence)
                      if run.flow_name == keys.BOOT_FLOW}
        orphans = []
        for job in list_trashed():
            instance_id = (job.details or {}).get('instance_id')
            if not isinstance(instance_id, str):
                continue
            holds = []
            state = states.get(instance_id)
            if state == BUILDING:
                holds.append('its instance is still in BUILD')
            run = unfinished.get(instance_id)
            if run is not None:
                holds.append(f'its logbook\'s boot is still {run.state or "unfinished"}')
            if state not in (BUILDING, VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED,
                             VmState.SUSPENDED, VmState.RESIZED):
                held = self._held_resources(instance_id)
                if held:
                    holds.append(f'{describe_state(states, instance_id)} and holds {held}')
            if holds:
                orphans.append(Orphan('trashed_job', instance_id, job.uuid,
                                      f'job {job.name} moved aside; ' + '; '.join(holds)))
        return orphans

    def _held_resources(self, instance_id: str) -> str:
        """'2 port(s), 1 claim' ... what the instance still holds ('' if nothing)."""
        ctx = nl_context.get_admin_context()
        counts = (('port(s)', len(self._resources.ports(ctx, instance_id))),
                  ('claim', len(self._resources.claims(ctx, instance_id))),
                  ('volume attachment(s)', len(self._resources.attachments(ctx, instance_id))))
        return ', '.join(f'{count} {what}' for what, count in counts if count)

    def _scheduled_host(self, flow_uuid: str) -> str | None:
        """The host the saved boot's schedule task chose, if it did."""
        with contextlib.closing(self._persistence.get_connection()) as conn:
            atoms = list(conn.get_atoms_for_flow(flow_uuid))
        results = next((atom.results for atom in atoms if atom.name == keys.SCHEDULE), None)
        if isinstance(results, (list, tuple)) and results and isinstance(results[0], str):
            return results[0]
        return None

    # Repairing -------------------------------------------------------------------

    def repair(self, orphans: list[Orphan],
               instances: instance_store.InstanceStore) -> set[str]:
        """Free the flow orphans; returns the instances put in ERROR (to be swept).

        Jobs first (claimed then consumed; one someone else claimed meanwhile
        is left to them), then logbooks; an instance still in BUILD whose boot
        nobody will finish goes to ERROR.
        """
        jobs = {o.resource_id for o in orphans if o.kind == 'job'}
        if jobs and self._board is not None:
            for job in self._board.iterjobs(ensure_fresh=True):
                if job.uuid in jobs:
                    self._consume(job)
        failed: set[str] = set()
        for orphan in orphans:
            if orphan.kind in ('logbook', 'trashed_job'):
                self._destroy_unfinished_logbook(orphan.instance_id)
                if self._fail_if_building(instances, orphan.instance_id):
                    failed.add(orphan.instance_id)
        return failed

    def _consume(self, job: jobs_base.Job) -> None:
        assert self._board is not None
        try:
            self._board.claim(job, self._who, expiry=self._claim_expiry)
        except (tf_exc.UnclaimableJob, tf_exc.NotFound) as exc:
            LOG.info('Left job %s alone: %s', job.name, exc)
            return
        try:
            self._board.consume(job, self._who)
            LOG.info('Consumed orphan job %s', job.name)
        except (tf_exc.NotFound, tf_exc.JobFailure) as exc:
            LOG.warning('Could not consume job %s: %s', job.name, exc)

    def _destroy_unfinished_logbook(self, book_uuid: str) -> None:
        runs = flow_persistence.runs_of_book(self._persistence, book_uuid)
        if not any(run.state not in flow_persistence.FINISHED_STATES for run in runs):
            return
        with contextlib.closing(self._persistence.get_connection()) as conn:
            with contextlib.suppress(tf_exc.NotFound):
                conn.destroy_logbook(book_uuid)
                LOG.info('Destroyed the unfinished boot logbook of %s', book_uuid)

    @staticmethod
    def _fail_if_building(instances: instance_store.InstanceStore, instance_id: str) -> bool:
        """Put the instance in ERROR if (and only if) it is still in BUILD."""
        try:
            instances.update(instance_id, expected_vm_states=(BUILDING,), vm_state=VmState.ERROR,
                             task_state=None)
        except (exception.NotFound, exception.InvalidState):
            return False
        instances.set_error(instance_id, code=500,
                            message='Boot abandoned: no conductor will finish it '
                                    '(found by the orphan audit)')
        return True
