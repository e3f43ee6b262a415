"""The jobboard the conductors share: TaskFlow's JobBoard, plus a safe renewal.

Both backends (``backends/impl_*.py``, loaded by :func:`..load` through
stevedore) are TaskFlow jobboards: ``post``, ``iterjobs``, ``claim(job, who,
expiry=...)``, ``find_owner``, ``consume``, ``abandon``, ``trash``. What TaskFlow
leaves out is a renewal that is atomic with the ownership check (its Redis
job's ``extend_expiry`` renews whoever holds the claim), so every board here
adds :meth:`ClaimingJobBoard.extend_claim`.

A boot's job: name ``boot-<instance id>``, book the boot's logbook, details
``{'instance_id': ..., 'flow_uuid': ...}`` (see :mod:`..boot_jobs`).
"""

from __future__ import annotations

import abc

from taskflow.jobs import base as jobs_base


class ClaimingJobBoard(jobs_base.JobBoard, metaclass=abc.ABCMeta):
    """A TaskFlow jobboard whose claims expire unless their owner renews them."""

    @abc.abstractmethod
    def claim(self, job: jobs_base.Job, who: str, expiry: float | None = None) -> None:
        """Claim ``job`` for ``who``, for ``expiry`` seconds (None: until released).

        Raises ``taskflow.exceptions.UnclaimableJob`` if someone holds a claim
        on it that has not expired, ``NotFound`` if the job is gone.
        """

    @abc.abstractmethod
    def extend_claim(self, job: jobs_base.Job, who: str, expiry: float) -> bool:
        """Make ``who``'s claim on ``job`` last ``expiry`` seconds from now.

        Atomic: True only if ``who`` held the claim (not expired) when it was
        renewed; False (and nothing changed) otherwise.
        """
