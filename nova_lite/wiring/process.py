"""The one process builder: the scheduler, conductor and compute parts of a process.

:mod:`nova_lite.daemons` runs each part in its own process, as the endpoint of
an oslo.service RPC service (its periodic tasks on that service's timers);
:mod:`nova_lite.embedded` runs them all in one process, on one transport and
one database. Both build every part here, from the configuration, so the two
ways of running nova_lite cannot drift apart.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import cast

import oslo_messaging
from oslo_config import cfg

from nova_lite.clients import factory as client_factory
from nova_lite.clients import local as local_clients
from nova_lite.clients import protocols
from nova_lite.common import context as nl_context
from nova_lite.common import service as nl_service
from nova_lite.compute import manager as compute_manager
from nova_lite.conductor import (
    action_runner,
    boot_jobs,
    boot_runner,
    faults,
    flow_runner,
    housekeeping,
    jobboards,
    resource_cleanup,
    token_seal,
)
from nova_lite.conductor import manager as conductor_manager
from nova_lite.conductor import persistence as flow_persistence
from nova_lite.conductor.flows import boot, server_action
from nova_lite.db import api as db_api
from nova_lite.scheduler import manager as scheduler_manager
from nova_lite.scheduler import rpcapi as scheduler_rpcapi
from nova_lite.virt import imagecache
from nova_lite.virt import loader as virt_loader
from nova_lite.wiring import services as api_services

LOG = logging.getLogger(__name__)


def build_scheduler(conf: cfg.ConfigOpts, db: db_api.Database,
                    ) -> scheduler_manager.SchedulerManager:
    """The scheduler's RPC endpoint."""
    return scheduler_manager.SchedulerManager(conf, db)


# Conductor ------------------------------------------------------------------------

@dataclasses.dataclass
class ConductorParts:
    """A conductor: its RPC endpoint, boot runner and housekeeping."""

    manager: conductor_manager.ConductorManager
    runner: boot_runner.BootRunner
    housekeeping: housekeeping.Housekeeping
    boot_deps: boot.BootDependencies
    resources: resource_cleanup.InstanceResources
    actions: action_runner.ActionRunner | None = None

    def periodic_tasks(self) -> list[nl_service.PeriodicTask]:
        return self.housekeeping.periodic_tasks()

    def start_taking_over(self) -> None:
        """Take over the boots nobody holds, now and from then on."""
        self.runner.start_taking_over()
        if self.actions is not None:
            self.actions.start_taking_over()

    def stop(self) -> None:
        """Stop taking boots and actions; those in flight finish."""
        if self.actions is not None:
            self.actions.stop()
        self.runner.stop()


def conductor_sealer(conf: cfg.ConfigOpts) -> token_seal.TokenSealer:
    """The conductor's token sealer; raises when it has no keys (it must not start)."""
    return token_seal.TokenSealer.from_repository(conf.conductor.token_key_repository)


def _boot_jobs(conf: cfg.ConfigOpts, db: db_api.Database,
               persistence: flow_persistence.DatabaseBackend) -> boot_jobs.BootJobs:
    """This conductor's side of the ``[jobboard]`` (connected)."""
    return boot_jobs.BootJobs(jobboards.load(conf, db, persistence), persistence,
                              boot_jobs.conductor_identity(str(conf.host)),
                              _job_settings(conf))


def _job_settings(conf: cfg.ConfigOpts) -> boot_jobs.JobSettings:
    return boot_jobs.JobSettings(claim_expiry=conf.jobboard.claim_expiry,
                                 poll_interval=conf.jobboard.poll_interval,
                                 max_claims=conf.jobboard.max_claims)


def _action_runner(conf: cfg.ConfigOpts, db: db_api.Database,
                   persistence: flow_persistence.DatabaseBackend,
                   services: api_services.ApiServices, who: str,
                   fault_injector: faults.FaultInjector, *,
                   images: protocols.ImageWriter | None = None,
                   volumes: protocols.VolumeClient | None = None,
                   sealer: token_seal.TokenSealer | None = None,
                   ) -> action_runner.ActionRunner:
    """The server actions' runner, on its own connection to the ``[jobboard]``."""
    jobs = boot_jobs.BootJobs(jobboards.load(conf, db, persistence), persistence, who,
                              _job_settings(conf),
                              job_name_prefix=action_runner.JOB_NAME_PREFIX)
    deps = server_action.ActionDependencies(
        instances=services.instances, events=services.instance_actions,
        compute=services.compute_rpcapi, fault_injector=fault_injector,
        images=images, volumes=volumes, sealer=sealer,
        networks=local_clients.ServiceNetworkClient(services.networks),
        scheduler=services.scheduler_rpcapi, migrations=services.migrations,
        service_volumes=local_clients.ServiceVolumeClient(services.volumes))
    return action_runner.ActionRunner(deps, jobs, persistence,
                                      workers=conf.conductor.boot_workers)


def build_conductor(conf: cfg.ConfigOpts, db: db_api.Database,
                    services: api_services.ApiServices, *, service_clients: str,
                    sealer: token_seal.TokenSealer,
                    fault_injector: faults.FaultInjector = faults.NO_FAULTS,
                    ) -> ConductorParts:
    """A conductor whose boot flow reaches the image, network and block storage
    services through ``service_clients`` ('local' or 'http') clients."""
    flow_clients = client_factory.flow_clients(service_clients, services.identity,
                                               services.images, services.networks,
                                               services.volumes)
    resources = resource_cleanup.InstanceResources(
        local_clients.ServiceNetworkClient(services.networks),
        local_clients.ServiceVolumeClient(services.volumes), services.scheduler_rpcapi,
        services.compute_rpcapi)
    deps = boot.BootDependencies(
        instances=services.instances, flavors=services.flavors,
        identity=local_clients.IdentityClient(services.identity),
        images=flow_clients.images, networks=flow_clients.networks,
        volumes=flow_clients.volumes, scheduler=services.scheduler_rpcapi,
        compute=services.compute_rpcapi, sealer=sealer, cleanup=resources,
        max_attempts=conf.scheduler.max_attempts, fault_injector=fault_injector,
        server_groups=services.server_groups)
    persistence = flow_persistence.DatabaseBackend(db)
    jobs = _boot_jobs(conf, db, persistence)
    flows = flow_runner.FlowRunner(
        db, deps, resources, persistence, flow_workers=conf.conductor.flow_workers,
        runner_name=jobs.who,
        fault_injection_max_delay=(conf.fault_injection.max_delay
                                   if conf.fault_injection.enabled else None))
    runner = boot_runner.BootRunner(flows, jobs, services.instances,
                                    boot_workers=conf.conductor.boot_workers,
                                    delete_boot_wait=conf.conductor.delete_boot_wait)
    keeper = housekeeping.Housekeeping(runner, services.instances,
                                       housekeeping.HousekeepingSettings.from_conf(conf))
    actions = _action_runner(conf, db, persistence, services, jobs.who, fault_injector,
                             images=cast(protocols.ImageWriter, flow_clients.images),
                             volumes=flow_clients.volumes,
                             sealer=sealer)
    return ConductorParts(manager=conductor_manager.ConductorManager(runner, actions),
                          runner=runner, housekeeping=keeper, boot_deps=deps,
                          resources=resources, actions=actions)


# Compute --------------------------------------------------------------------------

@dataclasses.dataclass
class ComputeParts:
    """One compute host: its RPC endpoint and its report to the scheduler."""

    host: str
    manager: compute_manager.ComputeManager
    # Tells the scheduler the host's resources (and that it is up); never raises
    # on a scheduler that does not answer (it says so and tries at the next report).
    report_resources: Callable[[], None]
    report_interval: float

    def periodic_tasks(self) -> list[nl_service.PeriodicTask]:
        return [(self.report_interval, self.report_resources)]


def compute_image_client(conf: cfg.ConfigOpts, service_clients: str,
                         services: api_services.ApiServices | None = None,
                         ) -> imagecache.ImageDownloader:
    """A compute host's image client: the image manager in this process ('local',
    with ``services``), or the image API (a compute host has no database)."""
    client_factory.check_kind(service_clients)
    if service_clients == 'local':
        if services is None:
            raise ValueError("service_clients 'local' needs the services in this process")
        return local_clients.ImageClient(services.identity, services.images)
    return client_factory.compute_image_client(conf)


def _resource_reporter(scheduler: scheduler_rpcapi.SchedulerAPI, host: str,
                       manager: compute_manager.ComputeManager,
                       interval: float) -> Callable[[], None]:
    def report_resources() -> None:
        ctx = nl_context.get_admin_context()
        try:
            scheduler.update_compute_node(ctx, host, manager.get_host_resources(ctx))
        except oslo_messaging.MessagingTimeout:
            LOG.warning('The scheduler did not answer the resource report of %s; '
                        'retrying in %ds', host, interval)
            return
        LOG.info('Reported the resources of compute host %s to the scheduler', host)

    return report_resources


def build_compute_host(conf: cfg.ConfigOpts, host: str,
                       image_client: imagecache.ImageDownloader,
                       scheduler: scheduler_rpcapi.SchedulerAPI) -> ComputeParts:
    """The compute service of ``host`` (its virt driver from ``[compute] virt_driver``)."""
    cache = imagecache.ImageCache(conf.compute.image_cache_dir, image_client)
    # Both image clients (local and HTTP) also write images: the host uploads snapshots.
    writer = (cast(protocols.ImageWriter, image_client)
              if hasattr(image_client, 'upload_image') else None)
    manager = compute_manager.ComputeManager(conf, virt_loader.load_driver(conf), cache,
                                             host=host, images=writer)
    # Well inside [scheduler] service_down_time, so a live host never looks down.
    interval = compute_manager.report_interval(conf)
    return ComputeParts(host=host, manager=manager,
                        report_resources=_resource_reporter(scheduler, host, manager, interval),
                        report_interval=interval)
