"""SchedulerManager: choosing a host and claiming on it; compute node reports."""

from __future__ import annotations

import datetime

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.common import exception, notifications, timeutils
from nova_lite.db import api as db_api
from nova_lite.db.models import compute as compute_models
from nova_lite.db.models import scheduler as models
from nova_lite.scheduler import manager
from tests.unit.scheduler.helpers import (
    AddHost,
    MakeInstance,
    instance_row,
    node_row,
    set_last_seen,
    spec,
)

Ctx = nl_context.RequestContext
Scheduler = manager.SchedulerManager


def test_chooses_the_emptiest_host_and_returns_its_zone(scheduler: Scheduler, ctx: Ctx,
                                                        db: db_api.Database,
                                                        add_host: AddHost,
                                                        make_instance: MakeInstance) -> None:
    add_host('busy', memory_mb=2048)
    empty = add_host('empty', availability_zone='az1')
    instance_id = make_instance()
    selection = scheduler.select_destinations(ctx, spec(instance_id))
    assert selection == {'host': 'empty', 'compute_node_id': empty['id'],
                         'availability_zone': 'az1', 'alternates': ['busy']}
    # The instance is the compute service's: the scheduler leaves its row alone.
    assert instance_row(db, instance_id) == (None, None)
    assert [(c['instance_id'], c['host']) for c in scheduler.list_claims(ctx)] == [
        (instance_id, 'empty')]
    assert node_row(db, 'empty')['memory_mb_used'] == 512
    assert node_row(db, 'busy')['memory_mb_used'] == 0


def test_publishes_what_it_received_read_and_chose(
        scheduler: Scheduler, ctx: Ctx, add_host: AddHost, make_instance: MakeInstance,
        published: list[notifications.Notification]) -> None:
    add_host('h1')
    instance_id = make_instance()
    scheduler.select_destinations(ctx, spec(instance_id))
    received, considered, chosen = published
    assert received == notifications.DestinationsRequested(instance_id=instance_id)
    assert isinstance(considered, notifications.HostsConsidered)
    assert (considered.instance_id, considered.hosts) == (instance_id, 1)
    assert 'ComputeFilter' in considered.filters
    assert isinstance(chosen, notifications.HostChosen)
    assert (chosen.instance_id, chosen.host) == (instance_id, 'h1')
    assert chosen.resources == {'vcpus': 1, 'memory_mb': 512, 'disk_gb': 1}


def test_ignore_hosts_and_num_alternates(scheduler: Scheduler, ctx: Ctx, add_host: AddHost,
                                         make_instance: MakeInstance) -> None:
    for host in ('a', 'b', 'c', 'd'):
        add_host(host)
    selection = scheduler.select_destinations(
        ctx, spec(make_instance(), ignore_hosts=['a', 'c'], num_alternates=3))
    assert selection['host'] == 'b'
    assert selection['alternates'] == ['d']
    selection = scheduler.select_destinations(ctx, spec(make_instance(), num_alternates=1))
    assert selection['host'] == 'a'  # b now holds an instance
    assert selection['alternates'] == ['c']


def test_everything_ignored_is_no_valid_host(scheduler: Scheduler, ctx: Ctx,
                                             add_host: AddHost,
                                             make_instance: MakeInstance) -> None:
    add_host('a')
    with pytest.raises(exception.NoValidHost, match=r'Ignored hosts \(already tried\): a'):
        scheduler.select_destinations(ctx, spec(make_instance(), ignore_hosts=['a']))


def test_no_valid_host_reason_lists_filter_results(scheduler: Scheduler, ctx: Ctx,
                                                   db: db_api.Database, add_host: AddHost,
                                                   make_instance: MakeInstance) -> None:
    add_host('small', memory_mb=256)
    add_host('down')
    add_host('other-az', availability_zone='az9')
    set_last_seen(db, 'down', timeutils.utcnow() - datetime.timedelta(seconds=3600))
    instance_id = make_instance()
    with pytest.raises(exception.NoValidHost) as caught:
        scheduler.select_destinations(ctx, spec(instance_id, availability_zone='nova'))
    assert caught.value.message == (
        'No valid host was found. Filter results: ComputeFilter: 3 -> 2 (removed 1); '
        'AvailabilityZoneFilter: 2 -> 1 (removed 1); RamFilter: 1 -> 0 (removed 1).')
    assert scheduler.list_claims(ctx, instance_id) == []


def test_no_hosts_at_all(scheduler: Scheduler, ctx: Ctx,
                         make_instance: MakeInstance) -> None:
    with pytest.raises(exception.NoValidHost, match='No compute hosts are registered'):
        scheduler.select_destinations(ctx, spec(make_instance()))


def test_image_properties_and_zone_choose_the_host(scheduler: Scheduler, ctx: Ctx,
                                                   add_host: AddHost,
                                                   make_instance: MakeInstance) -> None:
    add_host('arm', capabilities={'architecture': 'aarch64', 'hypervisor_type': 'test'})
    add_host('x86', memory_mb=1024)
    add_host('x86-az2', availability_zone='az2')
    image = {'id': 'img', 'properties': {'hw_architecture': 'aarch64'}}
    assert scheduler.select_destinations(
        ctx, spec(make_instance(), image=image))['host'] == 'arm'
    assert scheduler.select_destinations(
        ctx, spec(make_instance(), availability_zone='nova'))['host'] == 'x86'


def test_a_retried_request_keeps_its_claim(scheduler: Scheduler, ctx: Ctx,
                                           db: db_api.Database, add_host: AddHost,
                                           make_instance: MakeInstance) -> None:
    add_host('a', vcpus=1)
    add_host('b', vcpus=2)
    instance_id = make_instance()
    first = scheduler.select_destinations(ctx, spec(instance_id))
    assert first['host'] == 'b'
    # Now 'a' and 'b' are equally free; the retry must stay on b and count once.
    again = scheduler.select_destinations(ctx, spec(instance_id))
    assert again['host'] == 'b'
    assert node_row(db, 'b')['vcpus_used'] == 1
    assert node_row(db, 'a')['vcpus_used'] == 0


def test_a_retried_request_fits_on_a_full_host_it_holds(scheduler: Scheduler, ctx: Ctx,
                                                        db: db_api.Database,
                                                        add_host: AddHost,
                                                        make_instance: MakeInstance) -> None:
    add_host('only', vcpus=1)
    instance_id = make_instance()
    scheduler.select_destinations(ctx, spec(instance_id))
    assert scheduler.select_destinations(ctx, spec(instance_id))['host'] == 'only'
    assert node_row(db, 'only')['vcpus_used'] == 1


def test_reschedule_moves_the_claim(scheduler: Scheduler, ctx: Ctx, db: db_api.Database,
                                    add_host: AddHost, make_instance: MakeInstance) -> None:
    add_host('a')
    add_host('b')
    instance_id = make_instance()
    assert scheduler.select_destinations(ctx, spec(instance_id))['host'] == 'a'
    moved = scheduler.select_destinations(ctx, spec(instance_id, ignore_hosts=['a']))
    assert moved['host'] == 'b'
    assert node_row(db, 'a')['vcpus_used'] == 0
    assert node_row(db, 'b')['vcpus_used'] == 1
    assert [claim['host'] for claim in scheduler.list_claims(ctx, instance_id)] == ['b']


def test_release_claim_is_idempotent(scheduler: Scheduler, ctx: Ctx, db: db_api.Database,
                                     add_host: AddHost, make_instance: MakeInstance) -> None:
    add_host('a')
    instance_id = make_instance()
    scheduler.select_destinations(ctx, spec(instance_id))
    scheduler.release_claim(ctx, instance_id)
    scheduler.release_claim(ctx, instance_id)
    assert node_row(db, 'a') | {'id': None} == {'id': None, 'vcpus_used': 0,
                                                'memory_mb_used': 0, 'local_gb_used': 0}
    assert scheduler.list_claims(ctx, instance_id) == []
    with pytest.raises(exception.InvalidInput, match='instance_id'):
        scheduler.release_claim(ctx, '')


def test_instances_are_not_read(scheduler: Scheduler, ctx: Ctx, db: db_api.Database,
                                add_host: AddHost) -> None:
    """Whether the instance exists is the caller's to check (the schedule task
    records the host through the instance store and gives the claim back when
    the instance is gone): an id without an instance row is claimed like any."""
    add_host('a')
    selection = scheduler.select_destinations(ctx, spec('no-instance-row'))
    assert selection['host'] == 'a'
    assert node_row(db, 'a')['vcpus_used'] == 1
    with db.reader() as session:
        assert session.scalar(sa.select(sa.func.count())
                              .select_from(compute_models.Instance)) == 0
    scheduler.release_claim(ctx, 'no-instance-row')
    assert node_row(db, 'a')['vcpus_used'] == 0


@pytest.mark.parametrize(('overrides', 'field'), [
    ({'instance_id': None}, 'instance_id'),
    ({'flavor': {'vcpus': -1, 'memory_mb': 1}}, 'flavor.vcpus'),
    ({'flavor': 'small'}, 'flavor'),
    ({'image': ['x']}, 'image'),
    ({'image': {'properties': 'x'}}, 'image.properties'),
    ({'availability_zone': 3}, 'availability_zone'),
    ({'ignore_hosts': 'a'}, 'ignore_hosts'),
    ({'ignore_hosts': [1]}, 'ignore_hosts'),
    ({'num_alternates': -1}, 'num_alternates'),
])
def test_bad_request_spec_changes_nothing(scheduler: Scheduler, ctx: Ctx,
                                          db: db_api.Database, add_host: AddHost,
                                          make_instance: MakeInstance,
                                          overrides: dict, field: str) -> None:
    add_host('a')
    instance_id = make_instance()
    with pytest.raises(exception.InvalidInput) as caught:
        scheduler.select_destinations(ctx, spec(instance_id) | overrides)
    assert caught.value.kwargs['field'] == field
    assert caught.value.code == 400
    assert node_row(db, 'a')['vcpus_used'] == 0
    assert scheduler.list_claims(ctx) == []


def test_request_spec_must_be_a_dict(scheduler: Scheduler, ctx: Ctx) -> None:
    with pytest.raises(exception.InvalidInput, match='request_spec'):
        scheduler.select_destinations(ctx, ['not', 'a', 'dict'])  # type: ignore[arg-type]


def test_update_compute_node_upserts_without_touching_usage(
        scheduler: Scheduler, ctx: Ctx, db: db_api.Database, add_host: AddHost,
        make_instance: MakeInstance) -> None:
    created = add_host('a', availability_zone=None)
    assert created['availability_zone'] == 'nova'  # [DEFAULT] default_availability_zone
    assert created['hypervisor_hostname'] == 'a'
    assert created['up'] is True and created['last_seen_at'] is not None
    scheduler.select_destinations(ctx, spec(make_instance()))
    updated = scheduler.update_compute_node(
        ctx, 'a', {'vcpus': 8, 'memory_mb': 8192, 'local_gb': 200,
                   'ram_allocation_ratio': 1.5, 'reserved_memory_mb': 512,
                   'availability_zone': 'az2'})
    assert updated['id'] == created['id']
    assert (updated['vcpus'], updated['vcpus_used'], updated['memory_mb_used']) == (8, 1, 512)
    assert updated['free_ram_mb'] == 8192 * 1.5 - 512 - 512
    assert updated['availability_zone'] == 'az2'
    assert updated['capabilities'] == {'hypervisor_type': 'test', 'architecture': 'x86_64'}
    with db.reader() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(models.ComputeNode)) == 1


def test_update_compute_node_defaults_from_conf(scheduler: Scheduler, ctx: Ctx,
                                                conf: cfg.ConfigOpts) -> None:
    conf.set_override('cpu_allocation_ratio', 8.0, group='compute')
    conf.set_override('reserved_host_memory_mb', 128, group='compute')
    # A compute service's report: driver resources plus its host name and zone.
    node = scheduler.update_compute_node(
        ctx, 'h', {'vcpus': 2, 'memory_mb': 1024, 'local_gb': 10, 'host': 'h',
                   'availability_zone': 'az1', 'hypervisor_type': 'test',
                   'hypervisor_hostname': 'h.example', 'capabilities': {'architecture': 'x86_64'}})
    assert (node['cpu_allocation_ratio'], node['ram_allocation_ratio'],
            node['disk_allocation_ratio'], node['reserved_memory_mb']) == (8.0, 1.0, 1.0, 128)
    assert (node['free_vcpus'], node['free_ram_mb']) == (16.0, 1024 - 128)
    assert node['hypervisor_hostname'] == 'h.example'


@pytest.mark.parametrize(('host', 'resources', 'field'), [
    ('h', {'vcpus': 1, 'memory_mb': 1, 'local_gb': 1, 'host': 'other'}, 'resources.host'),
    ('', {'vcpus': 1, 'memory_mb': 1, 'local_gb': 1}, 'host'),
    (None, {'vcpus': 1, 'memory_mb': 1, 'local_gb': 1}, 'host'),
    ('h', None, 'resources'),
    ('h', {'memory_mb': 1, 'local_gb': 1}, 'resources.vcpus'),
    ('h', {'vcpus': 1, 'memory_mb': -5, 'local_gb': 1}, 'resources.memory_mb'),
    ('h', {'vcpus': 1, 'memory_mb': 1, 'local_gb': 1.5}, 'resources.local_gb'),
    ('h', {'vcpus': 1, 'memory_mb': 1, 'local_gb': 1, 'vcpus_used': 3},
     'resources.vcpus_used'),
    ('h', {'vcpus': 1, 'memory_mb': 1, 'local_gb': 1, 'cpu_allocation_ratio': 0},
     'resources.cpu_allocation_ratio'),
    ('h', {'vcpus': 1, 'memory_mb': 1, 'local_gb': 1, 'reserved_memory_mb': -1},
     'resources.reserved_memory_mb'),
    ('h', {'vcpus': 1, 'memory_mb': 1, 'local_gb': 1, 'capabilities': []},
     'resources.capabilities'),
    ('h', {'vcpus': 1, 'memory_mb': 1, 'local_gb': 1, 'hypervisor_type': 7},
     'resources.hypervisor_type'),
])
def test_update_compute_node_rejects_bad_input(scheduler: Scheduler, ctx: Ctx,
                                               db: db_api.Database, host: object,
                                               resources: object, field: str) -> None:
    with pytest.raises(exception.InvalidInput) as caught:
        scheduler.update_compute_node(ctx, host, resources)  # type: ignore[arg-type]
    assert caught.value.kwargs['field'] == field
    with db.reader() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(models.ComputeNode)) == 0


def test_get_host_usage(scheduler: Scheduler, ctx: Ctx, add_host: AddHost,
                        make_instance: MakeInstance) -> None:
    add_host('b')
    add_host('a')
    scheduler.select_destinations(ctx, spec(make_instance()))
    usage = scheduler.get_host_usage(ctx)
    assert [(node['host'], node['vcpus_used'], node['vcpus']) for node in usage] == [
        ('a', 1, 4), ('b', 0, 4)]
    assert scheduler.get_host_usage(ctx, 'b')[0]['host'] == 'b'
    with pytest.raises(exception.NotFound):
        scheduler.get_host_usage(ctx, 'zzz')
    with pytest.raises(exception.InvalidInput):
        scheduler.get_host_usage(ctx, 5)  # type: ignore[arg-type]


def test_misconfigured_filters_fail_at_start(conf: cfg.ConfigOpts,
                                             db: db_api.Database) -> None:
    conf.set_override('enabled_filters', ['Nope'], group='scheduler')
    with pytest.raises(exception.InvalidInput, match='Nope'):
        manager.SchedulerManager(conf, db)
