"""Finds (and frees) what no live instance owns: the orphan audit.

An orphan is a port (with its IPs), a volume attachment, a resource claim, a
hypervisor domain or an instance directory whose instance is gone, deleted or
in ERROR (an ERROR instance holds nothing: its boot's revert gave everything
back), or an instance left in BUILD past ``[compute] build_timeout``; and the
boots' own bookkeeping nothing will finish: logbooks, jobs and trashed jobs
(:mod:`nova_lite.audit_flows`). ``nova-lite-manage audit`` lists them and exits
non-zero if there is any; ``--repair`` frees them through the same teardown
the delete flow uses.

The image cache keeps no per-instance reference: it is a directory of
images, one file per image, shared by every instance of the host. What ties
an instance to a cached image is its instance directory, whose root disk is
a qcow2 overlay backed by the cached file (or a copy of it); so a leaked
reference to the image cache is an instance directory whose instance is gone
or in ERROR (kind ``image_cache_ref``). Only the instance directories under
``instances_path`` on the machine the audit runs on are seen.
"""

from __future__ import annotations

import datetime
import logging
import os
import shutil

import oslo_messaging

from nova_lite import audit_flows
from nova_lite.common import context as nl_context
from nova_lite.common import exception, timeutils
from nova_lite.common.states import VmState
from nova_lite.compute import instance_store
from nova_lite.compute import rpcapi as compute_rpcapi
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor import resource_cleanup
from nova_lite.conductor.jobboards import base as board_base
from nova_lite.db import api as db_api
from nova_lite.virt import disk
from nova_lite.virt import driver as virt_driver

LOG = logging.getLogger(__name__)

_LIVE_STATES = (VmState.BUILDING, VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED,
                VmState.SUSPENDED, VmState.RESIZED,
                # A shelved server keeps its ports (and, until offloaded, its domain).
                VmState.SHELVED, VmState.SHELVED_OFFLOADED)
Orphan = audit_flows.Orphan


class Auditor:
    """Compares what every service holds with the instances that may hold it."""

    def __init__(self, db: db_api.Database, instances: instance_store.InstanceStore,
                 compute: compute_rpcapi.ComputeAPI,
                 resources: resource_cleanup.InstanceResources, *,
                 build_timeout: int, check_domains: bool = True,
                 jobboard: board_base.ClaimingJobBoard | None = None,
                 persistence: flow_persistence.DatabaseBackend | None = None,
                 instances_path: str | None = None,
                 image_cache_dir: str | None = None,
                 flow_grace: datetime.timedelta = audit_flows.FLOW_GRACE) -> None:
        """``jobboard`` None: jobs are not checked (logbooks only against instances).

        ``instances_path`` None: instance directories (the image cache's users)
        are not checked; ``image_cache_dir`` names the cache their disks use.
        ``persistence``: the logbooks' backend (by default, on ``db``).
        """
        self._check_domains = check_domains
        self._instances = instances
        self._compute = compute
        self._resources = resources
        self._build_timeout = build_timeout
        self._instances_path = instances_path
        self._image_cache_dir = image_cache_dir
        self._flows = audit_flows.FlowAudit(
            resources, persistence or flow_persistence.DatabaseBackend(db), jobboard,
            grace=flow_grace)

    def _instance_states(self) -> tuple[dict[str, str], dict[str, str]]:
        """Each instance's state ('deleted' once deleted), and the hosts they are on."""
        rows = self._instances.list(include_deleted=True)
        states = {row['id']: (VmState.DELETED if row['deleted_at'] is not None
                              else row['vm_state']) for row in rows}
        return states, {row['id']: row['host'] for row in rows if row['host']}

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
        ctx = nl_context.get_admin_context()
        states, hosts_of = self._instance_states()
        orphans = self._held_by_dead_instances(ctx, states)
        hosts = [node['host'] for node in self._resources.host_usage(ctx)]
        orphans.extend(self._stuck_builds())
        unreachable: list[str] = []
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
        orphans.extend(self._instance_dirs(states, hosts_of))
        orphans.extend(self._flows.find(states))
        return sorted(orphans), unreachable

    def _held_by_dead_instances(self, ctx: nl_context.RequestContext,
                                states: dict[str, str]) -> list[Orphan]:
        """Ports (with IPs), attachments and claims whose instance may not hold them."""
        orphans = []
        for port in self._resources.ports(ctx):
            why = self._why(states, port.get('device_id', ''))
            if why:
                ips = ', '.join(ip['ip_address'] for ip in port.get('fixed_ips', []))
                orphans.append(Orphan('port', port.get('device_id', ''), port['id'],
                                      f'{why}; holds IP {ips or "none"}',
                                      port.get('binding:host_id') or None))
        for attachment in self._resources.attachments(ctx):
            instance_id = attachment.get('instance_id', '')
            why = self._why(states, instance_id)
            if why:
                orphans.append(Orphan('volume_attachment', instance_id, attachment['id'],
                                      f'{why}; volume {attachment.get("volume_id")}',
                                      attachment.get('attached_host')))
        for claim in self._resources.claims(ctx):
            why = self._why(states, claim['instance_id'])
            if why:
                orphans.append(Orphan('claim', claim['instance_id'], claim['instance_id'],
                                      why, claim['host']))
        return orphans

    def _instance_dirs(self, states: dict[str, str],
                       hosts_of: dict[str, str]) -> list[Orphan]:
        """Instance directories (users of the image cache) of dead instances."""
        path = self._instances_path
        if not path or not os.path.isdir(path):
            return []
        orphans = []
        for name in sorted(os.listdir(path)):
            full = os.path.join(path, name)
            if not _is_instance_dir(full, name):
                continue
            why = self._why(states, name)
            if why:
                orphans.append(Orphan('image_cache_ref', name, full,
                                      f'{why}; {self._cache_use(full)}', hosts_of.get(name)))
        return orphans

    def _cache_use(self, instance_dir: str) -> str:
        """What the directory's root disk takes from the image cache."""
        disk_path = os.path.join(instance_dir, disk.DISK_NAME)
        if not os.path.isfile(disk_path):
            return 'holds no root disk'
        try:
            info = disk.image_info(disk_path)
        except exception.VirtDriverError:
            return 'holds a root disk qemu-img cannot read'
        backing = str(info.get('full-backing-filename') or info.get('backing-filename') or '')
        if not backing:
            return 'holds a root disk copied from the image cache (or qemu-img is absent)'
        cache = self._image_cache_dir
        if cache and os.path.dirname(os.path.abspath(backing)) == os.path.abspath(cache):
            return f'holds a root disk backed by cached image {os.path.basename(backing)}'
        return f'holds a root disk backed by {backing}'

    def _stuck_builds(self) -> list[Orphan]:
        if not self._build_timeout:
            return []
        limit = timeutils.utcnow() - datetime.timedelta(seconds=self._build_timeout)
        return [Orphan('stuck_build', row['id'], row['id'],
                       f'in BUILD since {row["created_at"]}, past {self._build_timeout} s',
                       row['host'])
                for row in self._instances.list(vm_states=[VmState.BUILDING])
                if datetime.datetime.fromisoformat(row['created_at'].rstrip('Z')) < limit]

    def repair(self, orphans: list[Orphan]) -> int:
        """Free every orphan; returns the instances handled.

        Stuck builds, and builds nobody will finish, go to ERROR first; orphan
        jobs are consumed and orphan logbooks destroyed. Then every instance
        that is gone, deleted or in ERROR is swept (an ACTIVE instance whose
        boot's logbook or job was an orphan keeps what it holds), and its
        instance directories left on this machine are removed.
        """
        ctx = nl_context.get_admin_context()
        by_instance: dict[str, set[str]] = {}
        for orphan in orphans:
            if orphan.kind == 'job':
                continue  # a job holds nothing of its instance's
            hosts = by_instance.setdefault(orphan.instance_id, set())
            if orphan.host:
                hosts.add(orphan.host)
        failed: set[str] = set()
        for orphan in orphans:
            if orphan.kind == 'stuck_build':
                self._instances.set_error(orphan.instance_id, code=500,
                                          message='Build timed out: ' + orphan.detail)
                failed.add(orphan.instance_id)
        failed |= self._flows.repair(
            [o for o in orphans if o.kind in audit_flows.FLOW_KINDS], self._instances)
        states, _hosts = self._instance_states()
        for instance_id, hosts in by_instance.items():
            if self._why(states, instance_id) is None and instance_id not in failed:
                continue  # live: only its bookkeeping was repaired
            try:
                instance = self._instances.get(instance_id, include_deleted=True)
            except exception.NotFound:
                instance = {'id': instance_id, 'build_request': {}}
            self._resources.sweep(ctx, instance, hosts)
        for orphan in orphans:
            if orphan.kind == 'image_cache_ref':
                self._remove_instance_dir(orphan.resource_id)
        return len({orphan.instance_id for orphan in orphans})

    def _remove_instance_dir(self, path: str) -> None:
        """Remove an orphan instance directory the sweep's hosts did not remove."""
        parent = os.path.dirname(path)
        if (not self._instances_path or not os.path.isdir(path)
                or not _is_instance_dir(path, os.path.basename(path))
                or os.path.realpath(parent) != os.path.realpath(self._instances_path)):
            return
        try:
            shutil.rmtree(path)
            LOG.info('Removed orphan instance directory %s', path)
        except OSError:
            LOG.exception('Could not remove orphan instance directory %s', path)


def _is_instance_dir(path: str, name: str) -> bool:
    """A real directory named by an instance uuid (not the image cache, not a link)."""
    if os.path.islink(path) or not os.path.isdir(path):
        return False
    try:
        virt_driver.check_instance_id(name)
    except exception.InvalidInput:
        return False
    return True
