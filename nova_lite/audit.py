"""Finds (and frees) what no live instance owns: the orphan audit.

An orphan is a port (with its IPs), a volume attachment, a resource claim or a
hypervisor domain whose instance is gone, deleted or in ERROR (an ERROR
instance holds nothing: its boot's revert gave everything back), or an
instance left in BUILD past ``[compute] build_timeout``. ``nova-lite-manage
audit`` lists them and exits non-zero if there is any; ``--repair`` frees them
through the same teardown the delete flow uses.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
from typing import Any

import oslo_messaging
import sqlalchemy as sa

from nova_lite.common import context as nl_context
from nova_lite.common import timeutils
from nova_lite.compute import instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.conductor import resource_cleanup
from nova_lite.db import api as db_api
from nova_lite.db.models import compute as compute_models
from nova_lite.db.models import network as network_models
from nova_lite.db.models import volume as volume_models

LOG = logging.getLogger(__name__)

_LIVE_STATES = ('building', 'active', 'stopped')


@dataclasses.dataclass(frozen=True, order=True)
class Orphan:
    kind: str
    instance_id: str
    resource_id: str
    detail: str
    host: str | None = None

    def __str__(self) -> str:
        where = f' on {self.host}' if self.host else ''
        return (f'{self.kind} {self.resource_id}{where}: {self.detail} '
                f'(instance {self.instance_id})')


class Auditor:
    """Compares what every service holds with the instances that may hold it."""

    def __init__(self, db: db_api.Database, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI,
                 resources: resource_cleanup.InstanceResources, *,
                 build_timeout: int, check_domains: bool = True) -> None:
        self._db = db
        self._check_domains = check_domains
        self._instances = instances
        self._compute = compute
        self._resources = resources
        self._build_timeout = build_timeout

    def _instance_states(self, session: Any) -> dict[str, str]:
        rows = session.execute(sa.select(compute_models.Instance.id,
                                         compute_models.Instance.vm_state,
                                         compute_models.Instance.deleted_at))
        return {row.id: ('deleted' if row.deleted_at is not None else row.vm_state)
                for row in rows}

    @staticmethod
    def _why(states: dict[str, str], instance_id: str) -> str | None:
        state = states.get(instance_id)
        if state is None:
            return 'instance does not exist'
        if state not in _LIVE_STATES:
            return f'instance is {state}'
        return None

    def find(self) -> tuple[list[Orphan], list[str]]:
        """Every orphan, and the hosts that could not be asked about their domains."""
        orphans: list[Orphan] = []
        with self._db.reader() as session:
            states = self._instance_states(session)
            ports = session.execute(sa.select(
                network_models.Port.id, network_models.Port.device_id,
                network_models.Port.binding_host_id).where(
                network_models.Port.device_owner.like('compute:%')))
            for port in ports:
                why = self._why(states, port.device_id)
                if why:
                    ips = session.scalars(sa.select(network_models.IPAllocation.ip_address)
                                          .where(network_models.IPAllocation.port_id
                                                 == port.id)).all()
                    orphans.append(Orphan('port', port.device_id, port.id,
                                          f'{why}; holds IP {", ".join(ips) or "none"}',
                                          port.binding_host_id or None))
            for row in session.scalars(sa.select(volume_models.VolumeAttachment)):
                why = self._why(states, row.instance_id)
                if why:
                    orphans.append(Orphan('volume_attachment', row.instance_id, row.id,
                                          f'{why}; volume {row.volume_id}',
                                          row.attached_host))
            claims = session.execute(sa.select(
                compute_models.ResourceClaim.instance_id, compute_models.ComputeNode.host)
                .join(compute_models.ComputeNode,
                      compute_models.ComputeNode.id
                      == compute_models.ResourceClaim.compute_node_id))
            for claim in claims:
                why = self._why(states, claim.instance_id)
                if why:
                    orphans.append(Orphan('claim', claim.instance_id, claim.instance_id,
                                          why, claim.host))
            hosts = session.scalars(sa.select(compute_models.ComputeNode.host)).all()
            orphans.extend(self._stuck_builds(session))
        unreachable: list[str] = []
        ctx = nl_context.get_admin_context()
        for host in hosts if self._check_domains else []:
            try:
                domain_ids = self._compute.list_instance_ids(ctx, host)
            except oslo_messaging.MessagingException:
                unreachable.append(host)
                continue
            for instance_id in domain_ids:
                why = self._why(states, instance_id)
                if why:
                    orphans.append(Orphan('domain', instance_id, f'instance-{instance_id}',
                                          why, host))
        return sorted(orphans), unreachable

    def _stuck_builds(self, session: Any) -> list[Orphan]:
        if not self._build_timeout:
            return []
        limit = timeutils.utcnow() - datetime.timedelta(seconds=self._build_timeout)
        rows = session.scalars(sa.select(compute_models.Instance).where(
            compute_models.Instance.vm_state == 'building',
            compute_models.Instance.deleted_at.is_(None),
            compute_models.Instance.created_at < limit))
        return [Orphan('stuck_build', row.id, row.id,
                       f'in BUILD since {timeutils.isotime(row.created_at)}, past '
                       f'{self._build_timeout} s', row.host) for row in rows]

    def repair(self, orphans: list[Orphan]) -> int:
        """Free every orphan; stuck builds go to ERROR first. Returns instances handled."""
        ctx = nl_context.get_admin_context()
        by_instance: dict[str, set[str]] = {}
        for orphan in orphans:
            hosts = by_instance.setdefault(orphan.instance_id, set())
            if orphan.host:
                hosts.add(orphan.host)
        for orphan in orphans:
            if orphan.kind == 'stuck_build':
                self._instances.set_error(orphan.instance_id, code=500,
                                          message='Build timed out: ' + orphan.detail)
        for instance_id, hosts in by_instance.items():
            try:
                instance = self._instances.get(instance_id, include_deleted=True)
            except Exception:
                instance = {'id': instance_id, 'build_request': {}}
            self._resources.sweep(ctx, instance, hosts)
        return len(by_instance)
