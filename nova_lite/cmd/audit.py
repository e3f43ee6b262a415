"""``nova-lite-manage audit [--repair]``: list (and free) orphans; exit 1 if any.

Besides what the services hold, it checks the boots' logbooks and, when the
``[jobboard]`` can be reached, its jobs; and the instance directories (the
image cache's users) under ``[compute] instances_path`` on this machine.
"""

from __future__ import annotations

from typing import Any

from oslo_config import cfg

from nova_lite.common import memory_transport

# A process-local transport reaches no other process: from nova-lite-manage, the
# compute hosts of a nova-lite-all on the in-memory transport cannot be asked.
_IN_PROCESS_SCHEMES = ('kombu+memory', f'kombu+{memory_transport.NAME}', 'memory', 'fake')


def add_parser(subparsers: Any) -> None:
    audit = subparsers.add_parser('audit', help='list ports, IPs, volume attachments, '
                                                'claims, domains and instance directories '
                                                'no live instance owns, instances stuck in '
                                                'BUILD, and boot logbooks and jobs nothing '
                                                'will finish')
    audit.add_argument('--repair', action='store_true',
                       help='free what is found; stuck builds go to ERROR, orphan jobs are '
                            'consumed and orphan logbooks destroyed')


def _connect_jobboard(conf: cfg.ConfigOpts, database: Any, persistence: Any) -> Any:
    """The conductors' jobboard, or None (said on stdout) when it cannot be reached."""
    from nova_lite.conductor import jobboards

    try:
        return jobboards.load(conf, database, persistence)
    except Exception as exc:  # any backend's connection error: audit the rest
        print(f'jobs: not checked (the {conf.jobboard.backend} jobboard could not be '
              f'reached: {exc})')
        return None


def run(conf: cfg.ConfigOpts) -> int:
    from nova_lite import audit
    from nova_lite.clients import local as local_clients
    from nova_lite.common import rpc
    from nova_lite.compute import instance_store
    from nova_lite.compute import rpcapi as compute_rpcapi
    from nova_lite.conductor import persistence as flow_persistence
    from nova_lite.conductor import resource_cleanup
    from nova_lite.db import api as db_api
    from nova_lite.network import manager as network_manager
    from nova_lite.scheduler import manager as scheduler_manager
    from nova_lite.volume import manager as volume_manager
    from nova_lite.volume.backends import base as volume_backend

    database = db_api.Database.from_conf(conf)
    transport = rpc.get_transport(conf)
    persistence = flow_persistence.DatabaseBackend(database)
    board = _connect_jobboard(conf, database, persistence)
    try:
        reach_hosts = not str(conf.transport_url).startswith(_IN_PROCESS_SCHEMES)
        compute = compute_rpcapi.ComputeAPI(transport, timeout=10)
        # The services' managers on this database: what they hold is asked of them.
        resources = resource_cleanup.InstanceResources(
            local_clients.ServiceNetworkClient(network_manager.NetworkManager(conf, database)),
            local_clients.ServiceVolumeClient(volume_manager.VolumeManager(
                conf, database, volume_backend.load_backend(conf))),
            scheduler_manager.SchedulerManager(conf, database), compute)
        auditor = audit.Auditor(database, instance_store.InstanceStore(database), compute,
                                resources, build_timeout=conf.compute.build_timeout,
                                check_domains=reach_hosts, jobboard=board,
                                persistence=persistence,
                                instances_path=conf.compute.instances_path,
                                image_cache_dir=conf.compute.image_cache_dir)
        orphans, unreachable = auditor.find()
        for orphan in orphans:
            print(orphan)
        for host in unreachable:
            print(f'host {host}: not asked about its domains (no answer over RPC)')
        if not reach_hosts:
            print('domains: not checked (the in-process transport reaches no other process)')
        print(f'{len(orphans)} orphan(s)')
        if orphans and conf.command.repair:
            handled = auditor.repair(orphans)
            remaining, _ = auditor.find()
            print(f'repaired the resources of {handled} instance(s); {len(remaining)} '
                  'orphan(s) left')
            return 1 if remaining else 0
        return 1 if orphans else 0
    finally:
        if board is not None:
            board.close()
        transport.cleanup()
        database.dispose()
