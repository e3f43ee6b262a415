"""TaskFlow's Redis jobboard with a renewal only the claim's owner can make.

``[jobboard] backend = redis``: the board is TaskFlow's
:class:`taskflow.jobs.backends.impl_redis.RedisJobBoard` on ``[jobboard]
redis_url``, its keys prefixed by ``[jobboard] namespace``. TaskFlow's
``RedisJob.extend_expiry`` sets the expiry of the owner key whoever holds it,
so a conductor whose claim lapsed and was taken over would keep renewing the
new owner's claim; :meth:`RedisJobBoard.extend_claim` instead runs one Lua
script that renews the owner key only while it still holds ``who``.
"""

from __future__ import annotations

import contextlib
import logging
import math
from collections.abc import Iterator, Mapping
from typing import Any

from redis import connection as redis_connection
from redis import exceptions as redis_exceptions
from taskflow import exceptions as tf_exc
from taskflow.jobs import base as jobs_base
from taskflow.jobs.backends import impl_redis as tf_redis

from nova_lite.conductor.jobboards.base import ClaimingJobBoard

LOG = logging.getLogger(__name__)

#: KEYS[1] the job's owner key; ARGV[1] who (utf-8, as TaskFlow's claim stores it),
#: ARGV[2] the new expiry in milliseconds. Returns 1 if renewed, 0 if ``who``
#: does not hold the claim (it expired, was released or was taken over).
EXTEND_CLAIM_SCRIPT = """
if redis.call("get", KEYS[1]) == ARGV[1] then
    redis.call("pexpire", KEYS[1], ARGV[2])
    return 1
end
return 0
"""

#: Highest priority first.
PRIORITY_ORDER = (jobs_base.JobPriority.VERY_HIGH, jobs_base.JobPriority.HIGH,
                  jobs_base.JobPriority.NORMAL, jobs_base.JobPriority.LOW,
                  jobs_base.JobPriority.VERY_LOW)


def client_conf_from_url(redis_url: str) -> dict[str, Any]:
    """TaskFlow's client options (host, port, db, password...) from a redis:// URL."""
    if not isinstance(redis_url, str) or not redis_url:
        raise ValueError(f'[jobboard] redis_url must be a redis:// URL, not {redis_url!r}')
    try:
        parsed = redis_connection.parse_url(redis_url)
    except ValueError as exc:
        raise ValueError(f'[jobboard] redis_url {redis_url!r} is not valid: {exc}') from None
    connection_class = parsed.pop('connection_class', None)
    if connection_class is redis_connection.SSLConnection:
        parsed['ssl'] = True
    elif connection_class is redis_connection.UnixDomainSocketConnection:
        parsed['unix_socket_path'] = parsed.pop('path')
    unknown = set(parsed) - {key for key, _ in tf_redis.RedisJobBoard.CLIENT_CONF_TRANSFERS}
    if unknown:
        raise ValueError(f'[jobboard] redis_url {redis_url!r}: options '
                         f'{", ".join(sorted(unknown))} are not supported')
    return parsed


@contextlib.contextmanager
def _job_failures(what: str) -> Iterator[None]:
    """Redis errors become TaskFlow's JobFailure, as in TaskFlow's own calls."""
    try:
        yield
    except redis_exceptions.RedisError:
        tf_exc.raise_with_cause(tf_exc.JobFailure, f'Failed {what} on the Redis jobboard')


class RedisJobBoard(tf_redis.RedisJobBoard, ClaimingJobBoard):
    """TaskFlow's Redis board on ``conf['redis_url']``, plus :meth:`extend_claim`.

    ``db`` is accepted (every backend is built the same way) and not used.
    """

    def __init__(self, name: str, conf: Mapping[str, Any], persistence: Any = None,
                 db: Any = None) -> None:
        namespace = conf.get('namespace') or name
        if not isinstance(namespace, str):
            raise ValueError(f'[jobboard] namespace must be a string, not {namespace!r}')
        board_conf = {**client_conf_from_url(conf.get('redis_url', '')),
                      'namespace': namespace}
        super().__init__(name, board_conf, persistence=persistence)

    def connect(self) -> None:
        """TaskFlow's connect (ping, version check, scripts), plus the renewal script."""
        with self._open_close_lock:
            super().connect()
            with _job_failures('registering the renewal script'):
                self._scripts['extend_claim'] = self._client.register_script(
                    EXTEND_CLAIM_SCRIPT)

    @jobs_base.check_who
    def extend_claim(self, job: jobs_base.Job, who: str, expiry: float) -> bool:
        if (isinstance(expiry, bool) or not isinstance(expiry, int | float)
                or not math.isfinite(expiry) or int(expiry * 1000.0) <= 0):
            raise ValueError(f'expiry must be a positive number of seconds, not {expiry!r}')
        ms_expiry = int(expiry * 1000.0)
        script = self._get_script('extend_claim')
        with _job_failures('renewing a claim'):
            renewed = script(keys=[job.owner_key], args=[who.encode('utf-8'), ms_expiry])
        return bool(renewed)

    def _fetch_jobs(self) -> list[tf_redis.RedisJob]:
        """The listed jobs, higher priority first, then oldest first.

        TaskFlow's own order is newest first within a priority (against what
        its JobBoard interface documents); the database board and the
        conductors expect posting order.
        """
        return sorted(super()._fetch_jobs(),
                      key=lambda job: (PRIORITY_ORDER.index(job.priority), job.sequence))

    def find_owner(self, job: jobs_base.Job) -> str | None:
        """Who holds ``job`` (None if nobody: TaskFlow's own raises TypeError then)."""
        with _job_failures('finding a job\'s owner'):
            raw_owner = self._client.get(job.owner_key)
        return None if raw_owner is None else self._decode_owner(raw_owner)

    def trashed_jobs(self) -> list[tf_redis.RedisJob]:
        """The jobs trashed on this board (TaskFlow's trash hash), oldest posting first."""
        with _job_failures('listing trashed jobs'):
            raw_postings = self._client.hgetall(self.trash_key)
        jobs = []
        for raw_key, raw_posting in raw_postings.items():
            try:
                posting = self._loads(raw_posting)
                jobs.append(tf_redis.RedisJob(
                    self, posting['name'], posting['sequence'], raw_key,
                    uuid=posting['uuid'], details=posting.get('details', {}),
                    created_on=posting['created_on'], book_data=posting.get('book'),
                    backend=self._persistence,
                    priority=jobs_base.JobPriority.convert(
                        posting.get('priority', jobs_base.JobPriority.NORMAL))))
            except (KeyError, TypeError, ValueError, tf_exc.JobFailure):
                LOG.warning('Unreadable trashed job at %s[%s]', self.trash_key, raw_key,
                            exc_info=True)
        return sorted(jobs, key=lambda job: job.sequence)
