"""The scheduler service: the RPC endpoint that chooses hosts and keeps their usage.

Compute hosts never touch the database: they report their resources through
``update_compute_node``. ``select_destinations`` filters and weighs those
hosts and claims the instance's resources on the best one with an atomic
conditional UPDATE (see ``claims``); when a concurrent boot took the room
first it tries the next host, so a NoValidHost means that no host had room.

The scheduler reads and writes only its own tables (compute nodes and
claims): it returns the selection, and the caller records the host on the
instance.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import oslo_messaging
import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from nova_lite.common import context as nl_context
from nova_lite.common import exception, notifications, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import scheduler as models
from nova_lite.scheduler import admin_state, claims, host_state
from nova_lite.scheduler.filters import base as filter_base
from nova_lite.scheduler.rpcapi import RPC_API_VERSION
from nova_lite.scheduler.weighers import base as weigher_base

LOG = logging.getLogger(__name__)

_MAX_NAME = 255
_NODE_SIZES = (('vcpus', 1), ('memory_mb', 1), ('local_gb', 0))
_NODE_RATIOS = ('cpu_allocation_ratio', 'ram_allocation_ratio', 'disk_allocation_ratio')
_NODE_STRINGS = ('hypervisor_type', 'hypervisor_hostname')
_NODE_KEYS = frozenset({*(key for key, _ in _NODE_SIZES), *_NODE_RATIOS, *_NODE_STRINGS,
                        'availability_zone', 'capabilities', 'reserved_memory_mb'})


def _name(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_NAME:
        raise exception.InvalidInput(field=field,
                                     reason=f'must be a string of 1 to {_MAX_NAME} characters')
    return value


def _validate_request_spec(request_spec: Any, default_alternates: int) -> dict[str, Any]:
    """A normalised copy of the request spec (the filters read this one)."""
    if not isinstance(request_spec, Mapping):
        raise exception.InvalidInput(field='request_spec', reason='must be an object')
    spec = dict(request_spec)
    spec['instance_id'] = _name(spec.get('instance_id'), 'instance_id')
    claims.Resources.from_flavor(spec.get('flavor'))
    image = spec.get('image') or {}
    if not isinstance(image, Mapping):
        raise exception.InvalidInput(field='image', reason='must be an object')
    properties = image.get('properties') or {}
    if not isinstance(properties, Mapping):
        raise exception.InvalidInput(field='image.properties', reason='must be an object')
    spec['image'] = dict(image, properties=dict(properties))
    zone = spec.get('availability_zone')
    if zone is not None:
        spec['availability_zone'] = _name(zone, 'availability_zone')
    ignore_hosts = spec.get('ignore_hosts') or []
    if not isinstance(ignore_hosts, list | tuple) or not all(
            isinstance(host, str) for host in ignore_hosts):
        raise exception.InvalidInput(field='ignore_hosts', reason='must be a list of host names')
    spec['ignore_hosts'] = list(ignore_hosts)
    alternates = spec.get('num_alternates', default_alternates)
    if isinstance(alternates, bool) or not isinstance(alternates, int) or alternates < 0:
        raise exception.InvalidInput(field='num_alternates',
                                     reason='must be an integer >= 0')
    spec['num_alternates'] = alternates
    if spec.get('group') is not None:
        spec['group'] = _validate_group(spec['group'])
    return spec


def _validate_group(group: Any) -> dict[str, Any]:
    """The server group of a request: its policy, rules and the members' hosts."""
    if not isinstance(group, Mapping) or not isinstance(group.get('policy'), str):
        raise exception.InvalidInput(field='group', reason='must be an object with a policy')
    rules = group.get('rules') or {}
    if not isinstance(rules, Mapping):
        raise exception.InvalidInput(field='group.rules', reason='must be an object')
    limit = rules.get('max_server_per_host', 1)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise exception.InvalidInput(field='group.rules.max_server_per_host',
                                     reason='must be an integer >= 1')
    hosts = group.get('hosts') or []
    if not isinstance(hosts, list | tuple) or not all(isinstance(h, str) for h in hosts):
        raise exception.InvalidInput(field='group.hosts', reason='must be a list of host names')
    return {'id': group.get('id'), 'policy': group['policy'], 'rules': dict(rules),
            'hosts': list(hosts)}


def _validate_node_resources(resources: Any) -> dict[str, Any]:
    """The compute_nodes columns a host report sets (never the *_used ones)."""
    if not isinstance(resources, Mapping):
        raise exception.InvalidInput(field='resources', reason='must be an object')
    unknown = sorted(set(resources) - _NODE_KEYS)
    if unknown:
        raise exception.InvalidInput(field=f'resources.{unknown[0]}', reason='unknown field')
    values: dict[str, Any] = {}
    for key, minimum in _NODE_SIZES:
        value = resources.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise exception.InvalidInput(field=f'resources.{key}',
                                         reason=f'must be an integer >= {minimum}')
        values[key] = value
    for key in _NODE_RATIOS:
        if key in resources:
            value = resources[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise exception.InvalidInput(field=f'resources.{key}',
                                             reason='must be a number > 0')
            values[key] = float(value)
    if 'reserved_memory_mb' in resources:
        value = resources['reserved_memory_mb']
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise exception.InvalidInput(field='resources.reserved_memory_mb',
                                         reason='must be an integer >= 0')
        values['reserved_memory_mb'] = value
    for key in _NODE_STRINGS:
        if key in resources:
            if not isinstance(resources[key], str) or len(resources[key]) > _MAX_NAME:
                raise exception.InvalidInput(field=f'resources.{key}',
                                             reason=f'must be a string of <= {_MAX_NAME} '
                                                    'characters')
            values[key] = resources[key]
    if resources.get('availability_zone') is not None:
        values['availability_zone'] = _name(resources['availability_zone'],
                                            'resources.availability_zone')
    if 'capabilities' in resources:
        if not isinstance(resources['capabilities'], Mapping):
            raise exception.InvalidInput(field='resources.capabilities',
                                         reason='must be an object')
        values['capabilities'] = dict(resources['capabilities'])
    return values


class SchedulerManager:
    """RPC endpoint of the scheduler (every method takes and returns plain data)."""

    target = oslo_messaging.Target(version=RPC_API_VERSION)

    def __init__(self, conf: cfg.ConfigOpts, db: db_api.Database) -> None:
        self._conf = conf
        self._db = db
        self._filters = filter_base.FilterHandler(conf)
        self._weighers = weigher_base.WeigherHandler(conf)

    # Choosing a host ---------------------------------------------------------------

    def select_destinations(self, ctx: nl_context.RequestContext,
                            request_spec: dict[str, Any]) -> dict[str, Any]:
        """Choose a host and claim the instance's resources there.

        Returns ``{'host', 'compute_node_id', 'availability_zone',
        'alternates'}`` (the zone is the chosen host's); the alternates are
        the next best hosts (no resources are held on them). A request for an
        instance that already holds a claim keeps it when its host still
        passes. Recording the host on the instance is the caller's.
        """
        received_id = (request_spec.get('instance_id')
                       if isinstance(request_spec, Mapping) else None)
        notifications.publish(notifications.DestinationsRequested(
            instance_id=received_id if isinstance(received_id, str) else None))
        spec = _validate_request_spec(request_spec, self._conf.scheduler.max_attempts - 1)
        instance_id = spec['instance_id']
        resources = claims.Resources.from_flavor(spec['flavor'])
        states, held = self._read_hosts(instance_id)
        notifications.publish(notifications.HostsConsidered(
            instance_id=instance_id, hosts=len(states), filters=tuple(self._filters.names)))
        ranked, results = self._rank_hosts(states, held, spec)
        failed: list[str] = []
        for index, state in enumerate(ranked):
            try:
                self._claim(instance_id, state, resources)
            except exception.ClaimFailed as error:
                LOG.info('Instance %s: %s; trying the next host', instance_id, error)
                failed.append(state.host)
                continue
            alternates = [other.host for other in ranked[index + 1:]]
            notifications.publish(notifications.HostChosen(
                instance_id=instance_id, host=state.host, resources=resources.as_dict()))
            return {'host': state.host, 'compute_node_id': state.compute_node_id,
                    'availability_zone': state.availability_zone,
                    'alternates': alternates[:spec['num_alternates']]}
        raise exception.NoValidHost(reason=self._no_valid_host_reason(
            states, spec['ignore_hosts'], results, failed))

    def _read_hosts(self, instance_id: str,
                    ) -> tuple[list[host_state.HostState], dict[str, Any] | None]:
        """Every compute node's state, and the claim the instance already holds."""
        down_time = self._conf.scheduler.service_down_time
        now = timeutils.utcnow()
        with self._db.reader() as session:
            nodes = session.scalars(sa.select(models.ComputeNode)
                                    .order_by(models.ComputeNode.host)).all()
            states = [host_state.HostState.from_compute_node(
                node, service_down_time=down_time, now=now) for node in nodes]
            held = claims.get_claim(session, instance_id)
        return states, held

    def _rank_hosts(self, states: list[host_state.HostState], held: dict[str, Any] | None,
                    spec: dict[str, Any],
                    ) -> tuple[list[host_state.HostState], list[filter_base.FilterResult]]:
        """Filtered hosts, best first; a host the instance already holds a claim on
        (a retried request) counts that claim as free and comes first when it passes."""
        if held is not None:
            states = [state.credited(vcpus=held['vcpus'], memory_mb=held['memory_mb'],
                                     disk_gb=held['disk_gb'])
                      if state.compute_node_id == held['compute_node_id'] else state
                      for state in states]
        ignored = set(spec['ignore_hosts'])
        candidates = [state for state in states if state.host not in ignored]
        passed, results = self._filters.filter_hosts(candidates, spec)
        ranked = [item.state for item in self._weighers.weigh_hosts(passed, spec)]
        if held is not None:
            ranked.sort(key=lambda state: state.compute_node_id != held['compute_node_id'])
        return ranked, results

    def _claim(self, instance_id: str, state: host_state.HostState,
               resources: claims.Resources) -> None:
        """Claim on the host (idempotent: a claim already held there is kept)."""
        with self._db.session() as session:
            claims.claim(session, state.compute_node_id, instance_id, resources)

    @staticmethod
    def _no_valid_host_reason(states: list[host_state.HostState], ignore_hosts: list[str],
                              results: list[filter_base.FilterResult],
                              failed: list[str]) -> str:
        if not states:
            return 'No compute hosts are registered.'
        parts = []
        ignored = sorted({state.host for state in states} & set(ignore_hosts))
        if ignored:
            parts.append(f'Ignored hosts (already tried): {", ".join(ignored)}.')
        parts.append(filter_base.describe_results(results))
        if failed:
            parts.append(f'Claims failed (room taken by concurrent boots) on: '
                         f'{", ".join(failed)}.')
        return ' '.join(parts)

    # Claims --------------------------------------------------------------------------

    def release_claim(self, ctx: nl_context.RequestContext, instance_id: str) -> None:
        """Give back what the instance holds (nothing to do when it holds nothing).

        The scheduler does not know instances' hosts; clearing one is the caller's.
        """
        _name(instance_id, 'instance_id')
        with self._db.session() as session:
            released = claims.release(session, instance_id)
        if released is not None:
            LOG.info('Released claim of instance %s: %s', instance_id, released)

    def adjust_claim(self, ctx: nl_context.RequestContext, instance_id: str,
                     expected_flavors: list[dict[str, Any]],
                     target_flavors: list[dict[str, Any]]) -> dict[str, Any]:
        """Move the instance's claim on its node from what ``expected_flavors`` take
        together to what ``target_flavors`` take (a resize: [old] to [old, new] to
        [new] or back to [old]); the claim after."""
        _name(instance_id, 'instance_id')
        wanted = []
        for flavors in (expected_flavors, target_flavors):
            total = claims.Resources(0, 0, 0)
            for flavor in flavors:
                total = claims.combined(total, claims.Resources.from_flavor(flavor))
            wanted.append(total)
        with self._db.session() as session:
            claim = claims.adjust(session, instance_id, wanted[0], wanted[1])
        LOG.info('Claim of instance %s is now %s', instance_id, claim)
        return claim

    def list_claims(self, ctx: nl_context.RequestContext,
                    instance_id: str | None = None) -> list[dict[str, Any]]:
        """The claims held (all, or one instance's), each with its host's name.

        The audit and the leftover checks ask this instead of reading the
        scheduler's tables.
        """
        query = (sa.select(models.ResourceClaim, models.ComputeNode.host)
                 .join(models.ComputeNode,
                       models.ComputeNode.id == models.ResourceClaim.compute_node_id)
                 .order_by(models.ResourceClaim.instance_id))
        if instance_id is not None:
            query = query.where(models.ResourceClaim.instance_id == _name(instance_id,
                                                                           'instance_id'))
        with self._db.reader() as session:
            return [dict(claims.claim_to_dict(row), host=host)
                    for row, host in session.execute(query)]

    # Compute hosts ---------------------------------------------------------------------

    def update_compute_node(self, ctx: nl_context.RequestContext, host: str,
                            resources: dict[str, Any]) -> dict[str, Any]:
        """Create or update the host's compute node from its report; never touches usage.

        ``resources`` may repeat the host name under ``host``. Allocation ratios
        and reserved RAM the report leaves out are taken from this service's
        ``[compute]`` options; the availability zone from ``[DEFAULT]
        default_availability_zone``.
        """
        host = _name(host, 'host')
        if isinstance(resources, Mapping) and 'host' in resources:
            if resources['host'] != host:
                raise exception.InvalidInput(field='resources.host',
                                             reason=f'does not match host {host!r}')
            resources = {key: value for key, value in resources.items() if key != 'host'}
        values = _validate_node_resources(resources)
        values.setdefault('hypervisor_hostname', host)
        values.setdefault('availability_zone', self._conf.default_availability_zone)
        # What the report leaves out comes from this service's [compute] options.
        compute = self._conf.compute
        values.setdefault('cpu_allocation_ratio', compute.cpu_allocation_ratio)
        values.setdefault('ram_allocation_ratio', compute.ram_allocation_ratio)
        values.setdefault('disk_allocation_ratio', compute.disk_allocation_ratio)
        values.setdefault('reserved_memory_mb', compute.reserved_host_memory_mb)
        try:
            return self._upsert_node(host, values)
        except sa_exc.IntegrityError:
            # Two first reports of one host raced on the unique host; update instead.
            return self._upsert_node(host, values)

    def _upsert_node(self, host: str, values: dict[str, Any]) -> dict[str, Any]:
        with self._db.session() as session:
            node = self._node_by_host(session, host)
            if node is None:
                node = models.ComputeNode(host=host, **values)
                session.add(node)
            else:
                for key, value in values.items():
                    setattr(node, key, value)
            node.last_seen_at = timeutils.utcnow()
            session.flush()
            return self._node_dict(node)

    def get_host_usage(self, ctx: nl_context.RequestContext,
                       host: str | None = None) -> list[dict[str, Any]]:
        """Compute nodes (one, or all by host name) with their totals and usage."""
        with self._db.reader() as session:
            if host is not None:
                node = self._node_by_host(session, _name(host, 'host'))
                if node is None:
                    raise exception.NotFound(resource='Compute host', id=host)
                return [self._node_dict(node)]
            nodes = session.scalars(sa.select(models.ComputeNode)
                                    .order_by(models.ComputeNode.host)).all()
            return [self._node_dict(node) for node in nodes]

    def set_host_admin_state(self, ctx: nl_context.RequestContext, host: str,
                             values: dict[str, Any]) -> dict[str, Any]:
        """Apply an admin's decision about a compute host (the compute API's os-services
        and aggregates); the host's reports never change these."""
        checked = admin_state.validate(values)
        with self._db.session() as session:
            node = self._node_by_host(session, _name(host, 'host'))
            if node is None:
                raise exception.NotFound(resource='Compute host', id=host)
            for key, value in checked.items():
                setattr(node, key, value)
            session.flush()
            return self._node_dict(node)

    def delete_compute_node(self, ctx: nl_context.RequestContext, host: str) -> None:
        """Forget a compute host that holds no claims (409 while it does)."""
        with self._db.session() as session:
            node = self._node_by_host(session, _name(host, 'host'))
            if node is None:
                raise exception.NotFound(resource='Compute host', id=host)
            held = session.scalar(sa.select(sa.func.count()).select_from(models.ResourceClaim)
                                  .where(models.ResourceClaim.compute_node_id == node.id))
            if held:
                raise exception.Conflict(
                    message=f'Compute host {host} still holds {held} claim(s).')
            session.delete(node)

    @staticmethod
    def _node_by_host(session: orm.Session, host: str) -> models.ComputeNode | None:
        return session.scalar(sa.select(models.ComputeNode)
                              .where(models.ComputeNode.host == host))

    def _node_dict(self, node: models.ComputeNode) -> dict[str, Any]:
        return host_state.node_to_dict(
            node, service_down_time=self._conf.scheduler.service_down_time)
