"""Persistence of the conductor's flows (TaskFlow logbooks) in nova_lite's database.

- :class:`DatabaseBackend`: the TaskFlow backend (``backend=`` of
  ``taskflow.engines.load``), on the tables of migration 0002.
- :mod:`.resumption`: start a run, find unfinished runs, load one to resume it.
"""

from nova_lite.conductor.persistence.backend import DatabaseBackend, DatabaseConnection
from nova_lite.conductor.persistence.resumption import (
    FINISHED_STATES,
    StoredRun,
    atom_states,
    count_claim,
    end_run,
    load_engine,
    load_run,
    purge_finished,
    runs_of_book,
    start_run,
    unfinished_runs,
)

__all__ = ['FINISHED_STATES', 'DatabaseBackend', 'DatabaseConnection', 'StoredRun',
           'atom_states', 'count_claim', 'end_run', 'load_engine', 'load_run',
           'purge_finished', 'runs_of_book', 'start_run', 'unfinished_runs']
