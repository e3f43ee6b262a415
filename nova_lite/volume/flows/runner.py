"""Runs one volume flow in the request, saving the run as a TaskFlow logbook.

With a persistence backend (the conductor's :class:`DatabaseBackend` on the
same database, given by the wiring), every run is a logbook of its own named
``<flow>-<volume or snapshot id>`` holding one flow detail, so its tasks'
states and results are stored as the boot's are. The runs are not resumed
after a crash (a request that died is not carried on); the conductor's
housekeeping purges them once finished and old. Without a backend the run is
kept in memory only.
"""

from __future__ import annotations

import contextlib
from typing import Any

from oslo_utils import uuidutils
from taskflow import engines, states
from taskflow import flow as tf_flow
from taskflow.persistence import base as persistence_base
from taskflow.persistence import models


class VolumeFlowRunner:
    """Runs volume flows with one (optional) TaskFlow persistence backend."""

    def __init__(self, persistence: persistence_base.Backend | None = None) -> None:
        self.persistence = persistence

    def run(self, flow: tf_flow.Flow, store: dict[str, Any], subject: str) -> None:
        """Run ``flow`` to its end; a failure is re-raised once every task reverted.

        ``subject``: the volume or snapshot id the run acts on (in its logbook's
        name and its flow detail's meta).
        """
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
