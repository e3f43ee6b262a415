"""Runs one volume flow in the request, saving the run as a TaskFlow logbook.

With a persistence backend (the conductor's :class:`DatabaseBackend` on the
same database, given by the wiring), every run is a logbook of its own named
``<flow>-<volume or snapshot id>`` holding one flow detail and the flow's
store, so its tasks' states and results are stored as the boot's are.
Without a backend the run is kept in memory only.

Crash safety, as the boot has it: the wiring also gives a :class:`HeldRuns`
(:mod:`nova_lite.wiring.volume_flows`), and then each run is posted as a job
on the conductors' jobboard, claimed by the process that runs it (the claim
renewed while it runs, the run's writes fenced by it) and consumed when the
run ends. A process that starts (the API service, which serves these
flows) and then every ``[jobboard] poll_interval`` takes the volume jobs
nobody holds, which is how a run whose process died is carried on once its
claim has expired; a claim still held (a live process) is never taken. The
jobboard was chosen over an owner recorded in the run because its claims
already answer "is the owner alive" (they expire) and "only one taker"
(a claim is atomic), on both backends (database and Redis); an owner field
would need a heartbeat of its own. The flow is rebuilt by name
(:mod:`.rebuild`) and the saved store reused: resumed, or reverted where
resuming is not safe (``write-image``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any, Protocol

from oslo_utils import uuidutils
from taskflow import engines, states
from taskflow import flow as tf_flow
from taskflow.persistence import base as persistence_base
from taskflow.persistence import models


class HeldRuns(Protocol):
    """Runs flows saved, posted as jobs and held by a claim (see the module doc)."""

    def run(self, flow: tf_flow.Flow, store: dict[str, Any], subject: str,
            faults: Mapping[str, str] | None = None) -> None:
        """Save, post, claim and run ``flow``; raises as the flow's failure."""

    def start_taking_over(self) -> None:
        """Take the volume runs nobody holds, now and from then on."""

    def stop(self) -> None:
        """Stop taking runs over (those in flight finish)."""


class VolumeFlowRunner:
    """Runs volume flows with one (optional) TaskFlow persistence backend."""

    def __init__(self, persistence: persistence_base.Backend | None = None,
                 held_runs: HeldRuns | None = None) -> None:
        """``held_runs``: crash-safe runs (saved, posted, claimed); None: saved only."""
        self.persistence = persistence
        self.held_runs = held_runs

    def run(self, flow: tf_flow.Flow, store: dict[str, Any], subject: str,
            faults: Mapping[str, str] | None = None) -> None:
        """Run ``flow`` to its end; a failure is re-raised once every task reverted.

        ``subject``: the volume or snapshot id the run acts on (in its logbook's
        name and its flow detail's meta). ``faults``: fault injection asked for
        by the volume's metadata (``nova_lite:delay_at`` ..., only with
        ``[fault_injection] enabled``), honoured by crash-safe runs.
        """
        if self.held_runs is not None:
            self.held_runs.run(flow, store, subject, faults)
            return
        if self.persistence is None:
            engines.load(flow, store=store).run()
            return
        book = models.LogBook(f'{flow.name}-{subject}')
        flow_detail = models.FlowDetail(flow.name, uuid=uuidutils.generate_uuid())
        flow_detail.state = states.PENDING
        flow_detail.meta = {'subject': subject}
        book.add(flow_detail)
        with contextlib.closing(self.persistence.get_connection()) as conn:
            conn.save_logbook(book)
        engines.load(flow, store=store, flow_detail=flow_detail, book=book,
                     backend=self.persistence).run()

    def start_taking_over(self) -> None:
        """Carry on (or revert) the runs a dead process left; nothing without held runs."""
        if self.held_runs is not None:
            self.held_runs.start_taking_over()

    def stop(self) -> None:
        if self.held_runs is not None:
            self.held_runs.stop()
