"""Jobboards for the conductors' boots: :mod:`.base`, and ``backends/impl_*.py``.

:func:`load` picks the backend named by ``[jobboard] backend`` through
stevedore (namespace ``nova_lite.conductor.jobboards``) and connects it.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg
from stevedore import driver

from nova_lite.conductor.jobboards.base import ClaimingJobBoard
from nova_lite.db import api as db_api

NAMESPACE = 'nova_lite.conductor.jobboards'


def load(conf: cfg.ConfigOpts, db: db_api.Database, persistence: Any = None,
         ) -> ClaimingJobBoard:
    """The configured jobboard, connected. ``persistence``: the logbooks' backend."""
    board_conf = {'namespace': conf.jobboard.namespace, 'redis_url': conf.jobboard.redis_url}
    manager: driver.DriverManager = driver.DriverManager(
        NAMESPACE, conf.jobboard.backend, invoke_on_load=True,
        invoke_args=(conf.jobboard.namespace, board_conf),
        invoke_kwds={'persistence': persistence, 'db': db})
    board = manager.driver
    if not isinstance(board, ClaimingJobBoard):
        raise TypeError(f'jobboard backend {conf.jobboard.backend!r} is not a ClaimingJobBoard')
    board.connect()
    return board


__all__ = ['NAMESPACE', 'ClaimingJobBoard', 'load']
