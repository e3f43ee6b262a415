"""A clock the conductor tests move by hand (ClaimLease and BootJobs take ``clock=``)."""

from __future__ import annotations

import datetime


class ManualClock:
    """A monotonic clock and a UTC wall clock in step, both moved by the tests."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self._epoch = datetime.datetime(2030, 1, 1)

    def __call__(self) -> float:
        return self.now

    def utc(self) -> datetime.datetime:
        return self._epoch + datetime.timedelta(seconds=self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds
