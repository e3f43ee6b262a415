"""The retry controller over hosts: a failed spawn moves the boot to another host."""

from __future__ import annotations

import logging
from typing import Any

from taskflow import retry

from nova_lite.common import exception
from nova_lite.conductor.flows import keys

LOG = logging.getLogger(__name__)


def _failed_host(failures: dict[str, Any]) -> str | None:
    for failure in failures.values():
        exc = failure.exception
        if isinstance(exc, exception.RetryableBuildError):
            return exc.kwargs.get('host')
    return None


class HostRetry(retry.Retry):
    """Retries the reschedule subflow on another host, at most max_attempts times.

    Only failures another host may not have (RetryableBuildError: spawn failed
    or the host did not answer) are retried; bad images, no free IP or no
    valid host revert the whole boot at once. Provides the hosts that failed,
    which the schedule task excludes.
    """

    def __init__(self, max_attempts: int) -> None:
        super().__init__(name=keys.HOST_RETRY, provides=keys.FAILED_HOSTS)
        self.max_attempts = max_attempts

    def on_failure(self, history: retry.History, *args: Any, **kwargs: Any) -> str:
        latest = dict(history[-1][1]) if len(history) else {}
        host = _failed_host(latest)
        if host is None:
            return retry.REVERT_ALL
        if len(history) >= self.max_attempts:
            LOG.warning('Boot failed on %s; %d of %d attempts used, giving up', host,
                        len(history), self.max_attempts)
            return retry.REVERT_ALL
        LOG.warning('Boot failed on %s; rescheduling (attempt %d of %d)', host,
                    len(history) + 1, self.max_attempts)
        return retry.RETRY

    def execute(self, history: retry.History, *args: Any, **kwargs: Any) -> list[str]:
        """The hosts every earlier attempt failed on.

        Each attempt's result (the hosts failed before it) is saved as plain
        data and read back after a conductor dies; a failure read back has lost
        its exception (and so its host), so the earlier results are kept too.
        """
        failed: list[str] = []
        for result, failures in history:
            for host in [*(result or []), _failed_host(failures)]:
                if host is not None and host not in failed:
                    failed.append(host)
        return failed

    def revert(self, history: retry.History, *args: Any, **kwargs: Any) -> None:
        """Reversion strategy: nothing to undo (it only counts attempts)."""
