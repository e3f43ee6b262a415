"""The conductor's runner of server actions: each one a saved run and a job, like a boot.

An action cast by the compute API (stop, pause, reboot, ...) becomes a
logbook holding its flow's store and a job named ``action-<instance>-<run>``
on the conductors' jobboard. This conductor claims it at once and runs the
flow (:func:`nova_lite.conductor.flows.server_action.get_action_flow`); every
conductor also takes over action jobs nobody holds, so an action whose
conductor died is resumed from its last saved task by another one (or by
this one after a restart). A job claimed more than ``[jobboard] max_claims``
times is moved aside and its instance put back (or to ERROR).
"""

from __future__ import annotations

import logging
import threading
import uuid
from concurrent import futures
from typing import Any

from taskflow import engines
from taskflow import storage as tf_storage
from taskflow.jobs import base as jobs_base

from nova_lite.common import exception
from nova_lite.conductor import boot_jobs
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import keys, server_action
from nova_lite.conductor.flows import shelve as shelve_flows
from nova_lite.conductor.jobboards import lease as claim_lease

LOG = logging.getLogger(__name__)

JOB_NAME_PREFIX = 'action-'
# The actions whose flows act as the user: their runs keep the user's token, sealed.
USER_TOKEN_ACTIONS = frozenset({server_action.SNAPSHOT, server_action.BACKUP,
                                server_action.ATTACH_VOLUME,
                                server_action.DETACH_VOLUME, server_action.REBUILD}
                               ) | shelve_flows.SHELVE_ACTIONS
# The actions that need the image service (rebuild downloads on the host).
_IMAGE_ACTIONS = (frozenset({server_action.SNAPSHOT, server_action.BACKUP})
                  | shelve_flows.SHELVE_ACTIONS)


class ActionRunner:
    """Posts, claims, runs and takes over the server action flows."""

    def __init__(self, deps: server_action.ActionDependencies, jobs: boot_jobs.BootJobs,
                 persistence: flow_persistence.DatabaseBackend, *, workers: int) -> None:
        """``jobs``: this conductor's side of the board, with the action job prefix."""
        self._deps = deps
        self.jobs = jobs
        self.persistence = persistence
        self._pool = futures.ThreadPoolExecutor(max_workers=workers,
                                                thread_name_prefix='action')
        self._queued: set[str] = set()
        self._queued_guard = threading.Lock()

    # What the RPC endpoint hands over ---------------------------------------------

    def submit(self, instance_id: str, action: str, host: str | None,
               action_request: dict[str, Any], auth_token: str | None = None) -> None:
        """Post the action and run it on the action pool (not the caller's thread).

        ``auth_token``: the caller's, kept sealed in the run for the actions
        that act as the user (snapshot); the others do not keep it."""
        self._pool.submit(self._post_and_run, instance_id, action, host, action_request,
                          auth_token)

    def _post_and_run(self, instance_id: str, action: str, host: str | None,
                      action_request: dict[str, Any], auth_token: str | None = None) -> None:
        try:
            job = self.post(instance_id, action, host, action_request, auth_token)
        except Exception:
            LOG.exception('Action %s of %s could not be saved; giving it up', action,
                          instance_id)
            self._give_up(instance_id, action_request)
            return
        try:
            self.claim_and_run(job)
        except Exception:
            # Saved and posted: a conductor takes it over from the board.
            LOG.exception('Action %s of %s could not be run here', action, instance_id)

    def _give_up(self, instance_id: str, action_request: dict[str, Any]) -> None:
        """An action never saved: clear its task state (if still its own), fail it."""
        try:
            instance = self._deps.instances.get(instance_id)
            if instance['task_state'] == action_request.get('task_state'):
                self._deps.instances.update(instance_id, task_state=None)
            self._deps.events.finish_action(instance_id, action_request['request_id'],
                                            message='Error')
        except Exception:
            LOG.exception('Could not give up action %s of %s', action_request.get('action'),
                          instance_id)

    def run_here(self, instance_id: str, action: str,
                 action_request: dict[str, Any]) -> None:
        """Run a record-only action (no host call: lock, unlock, reset-state) at once,
        unsaved: it is one short transaction, with nothing to resume."""
        spec = server_action.ACTIONS.get(action)
        if spec is None or spec.host_method is not None:
            raise exception.InvalidInput(field='action',
                                         reason=f'{action!r} is not a record-only action')
        flow = server_action.get_action_flow(action, self._deps)
        engines.load(flow, store={keys.INSTANCE_ID: instance_id,
                                  keys.ACTION_REQUEST: action_request}).run()

    def post(self, instance_id: str, action: str, host: str | None,
             action_request: dict[str, Any],
             auth_token: str | None = None) -> jobs_base.Job:
        """Save the action's logbook (with its store) and post its job."""
        if action not in server_action.ACTIONS:
            raise exception.InvalidInput(field='action', reason=f'unknown action {action!r}')
        store: dict[str, Any] = {keys.INSTANCE_ID: instance_id,
                                 keys.ACTION_REQUEST: action_request}
        if host is not None:
            store[keys.HOST] = host
        if action in USER_TOKEN_ACTIONS:
            if not auth_token or self._deps.sealer is None or self._lacks_service(action):
                raise exception.Conflict(reason=f'{action} needs the caller\'s token and '
                                         'its service')
            store[keys.SEALED_TOKEN] = self._deps.sealer.seal(auth_token)
        if (action in (server_action.ATTACH_INTERFACE, server_action.DETACH_INTERFACE)
                and self._deps.networks is None):
            raise exception.Conflict(reason=f'{action} needs the network service')
        book, flow_detail = flow_persistence.start_run(
            self.persistence, server_action.action_flow_name(action),
            book_uuid=str(uuid.uuid4()), book_name=f'{JOB_NAME_PREFIX}{instance_id}')
        tf_storage.Storage(flow_detail, backend=self.persistence).inject(store)
        return self.jobs.board.post(
            f'{JOB_NAME_PREFIX}{instance_id}-{flow_detail.uuid}', book=book,
            details={'instance_id': instance_id, 'flow_uuid': flow_detail.uuid,
                     'action': action})

    def _lacks_service(self, action: str) -> bool:
        """Whether this runner lacks the service a user-token action calls."""
        if action in _IMAGE_ACTIONS:
            return self._deps.images is None
        if action in (server_action.ATTACH_VOLUME, server_action.DETACH_VOLUME):
            return self._deps.volumes is None
        return False

    def claim_and_run(self, job: jobs_base.Job) -> bool | None:
        """Claim an action job and run (or resume) it; None if not claimed here,
        else whether the action succeeded."""
        claimed = self.jobs.claim(job)
        if claimed is None:
            return None
        action = (job.details or {}).get('action')
        if action not in server_action.ACTIONS:
            LOG.error('Job %s names no known action; moving it aside', job.name)
            self.jobs.trash(job)
            return False
        if claimed.claims > self.jobs.settings.max_claims:
            self._move_aside(claimed, action)
            self.jobs.trash(job)
            return False
        if claimed.claims > 1:
            LOG.warning('Taking over action %s of %s (claim %d)', action,
                        claimed.instance_id, claimed.claims)
        with claimed.lease:
            try:
                succeeded = self.run(action, claimed.flow_uuid, claimed.lease)
            except Exception as exc:
                if boot_jobs.is_claim_lost(exc):
                    LOG.warning('Action %s handed over: this conductor lost its job', job.name)
                    return None
                raise
        self.jobs.finish(job)
        return succeeded

    def run(self, action: str, flow_uuid: str,
            lease: claim_lease.ClaimLease | None = None) -> bool:
        """Run (or resume) the saved run ``flow_uuid`` of ``action``; True on success.

        A failure is reverted by the flow itself (the instance put back); only a
        lost claim raises.
        """
        backend = self.persistence if lease is None else self.persistence.fenced(lease.ensure)
        book, flow_detail = flow_persistence.load_run(backend, flow_uuid)
        flow = server_action.get_action_flow(action, self._deps)
        engine = flow_persistence.load_engine(flow, backend, flow_detail, book=book)
        try:
            engine.run()
        except Exception as exc:
            if boot_jobs.is_claim_lost(exc):
                raise
            LOG.warning('Action %s (run %s) failed and was reverted: %s', action, flow_uuid,
                        exc)
            return False
        return True

    def _move_aside(self, claimed: boot_jobs.ClaimedBoot, action: str) -> None:
        """End an action claimed too often: its instance to ERROR, its run ended."""
        LOG.error('Action %s of %s was claimed %d times without finishing: moving it aside',
                  action, claimed.instance_id, claimed.claims)
        flow_persistence.end_run(self.persistence, claimed.flow_uuid)
        self._deps.instances.set_error(
            claimed.instance_id, code=500,
            message=f'{action} abandoned: its conductor stopped {claimed.claims - 1} times')

    # Taking over -------------------------------------------------------------------

    def _queue_job(self, job: jobs_base.Job) -> None:
        with self._queued_guard:
            if job.uuid in self._queued:
                return
            self._queued.add(job.uuid)

        def run() -> None:
            try:
                self.claim_and_run(job)
            except Exception:
                LOG.exception('Resuming action job %s failed', job.name)
            finally:
                with self._queued_guard:
                    self._queued.discard(job.uuid)

        self._pool.submit(run)

    def start_taking_over(self) -> None:
        """Look at the board now, then every poll interval, for actions nobody holds."""
        self.jobs.poll_once(self._queue_job)
        self.jobs.start_polling(self._queue_job)

    def stop(self) -> None:
        """Stop looking at the board; the actions in flight finish."""
        self.jobs.stop()
        self._pool.shutdown(wait=True)

