"""``/os-instance_usage_audit_log``: how far the periodic usage audit got (admins).

nova_lite runs no instance usage audit task, so every compute host is
reported as not run for the audit period (the calendar month before the
given time, as nova's default ``instance_usage_audit_period``), with no
instances and no errors; the shape is nova's.
"""

from __future__ import annotations

import datetime
from typing import Any

import webob
from oslo_utils import timeutils

from nova_lite.api import routing, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import base
from nova_lite.compute.rest import proxy_policies as policies

_FORMATS = ('%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M:%S.%f')


def audit_period(before: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The last whole month before ``before``: (its first day, the next month's first)."""
    end = before.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    begin = (end - datetime.timedelta(days=1)).replace(day=1)
    return begin, end


def parse_before(text: str) -> datetime.datetime:
    for fmt in _FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise exception.Invalid(reason=f'Invalid timestamp for date {text}')


def audit_log(hosts: list[str], before: datetime.datetime) -> dict[str, Any]:
    begin, end = audit_period(before)
    return {
        'period_beginning': str(begin), 'period_ending': str(end),
        'num_hosts': len(hosts), 'num_hosts_done': 0, 'num_hosts_running': 0,
        'num_hosts_not_run': len(hosts), 'hosts_not_run': sorted(hosts),
        'total_instances': 0, 'total_errors': 0, 'log': {},
        'overall_status': f'0 of {len(hosts)} hosts done. 0 errors.',
    }


class UsageAuditLogHandler(base.ComputeController):
    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-instance_usage_audit_log', self.index),
                ('GET', '/os-instance_usage_audit_log/{before}', self.show)]

    def _hosts(self, req: wsgi.Request) -> list[str]:
        self.authorizer.authorize(req.context, policies.USAGE_AUDIT_LOG)
        nodes = self._rest.services.scheduler_rpcapi.get_host_usage(req.context)
        return sorted({node['host'] for node in nodes})

    def index(self, req: wsgi.Request) -> webob.Response:
        hosts = self._hosts(req)
        return wsgi.json_response(200, {
            'instance_usage_audit_logs': audit_log(hosts, timeutils.utcnow())})

    def show(self, req: wsgi.Request, before: str) -> webob.Response:
        hosts = self._hosts(req)
        return wsgi.json_response(200, {
            'instance_usage_audit_log': audit_log(hosts, parse_before(before))})
