"""Network quotas: limit resolution, counted usage, 409 OverQuota on each create,
the default security group never refused, and racing creates."""

from __future__ import annotations

import random
import threading
from concurrent import futures
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.db import api as db_api
from nova_lite.network import manager as network_manager
from nova_lite.network import quotas

RACERS = 6
PROJECT = 'project-a'  # member_ctx's project


def _over(resource: str, call: Any, *args: Any, **kwargs: Any) -> None:
    with pytest.raises(quotas.OverQuota) as caught:
        call(*args, **kwargs)
    assert caught.value.code == 409
    assert caught.value.message == f"Quota exceeded for resources: ['{resource}']."


def test_defaults_are_neutrons_and_come_from_config(networks, conf) -> None:
    assert networks.quotas.defaults() == {
        'network': 100, 'subnet': 100, 'port': 500, 'router': 10, 'floatingip': 50,
        'security_group': 10, 'security_group_rule': 100, 'subnetpool': -1,
        'rbac_policy': 10}
    conf.set_override('port', 7, group='network_quota')
    assert networks.quotas.limits('any-project')['port'] == 7


def test_project_limits_listing_and_delete(networks) -> None:
    assert networks.quotas.projects() == {}
    limits = networks.quotas.update(PROJECT, {'network': 3, 'port': -1})
    assert limits['network'] == 3 and limits['port'] == -1 and limits['subnet'] == 100
    networks.quotas.update(PROJECT, {'network': 4})
    assert networks.quotas.limits(PROJECT)['network'] == 4
    assert list(networks.quotas.projects()) == [PROJECT]
    assert networks.quotas.limits('project-b')['network'] == 100
    networks.quotas.delete(PROJECT)
    assert networks.quotas.projects() == {}
    assert networks.quotas.limits(PROJECT)['network'] == 100


def test_detail_counts_the_projects_rows(networks, member_ctx, other_ctx) -> None:
    network = networks.create_network(member_ctx, name='n')
    networks.create_subnet(member_ctx, network['id'], '10.0.0.0/24')
    networks.create_port(member_ctx, network['id'])
    networks.create_network(other_ctx, name='theirs')
    detail = networks.quotas.detail(PROJECT)
    assert detail['network'] == {'limit': 100, 'used': 1, 'reserved': 0}
    assert detail['subnet']['used'] == 1
    assert detail['port']['used'] == 1
    # The port made the project's default group: one group and its rules, counted.
    assert detail['security_group']['used'] == 1
    assert detail['security_group_rule']['used'] >= 2
    assert detail['rbac_policy'] == {'limit': 10, 'used': 0, 'reserved': 0}


def test_each_create_is_refused_over_quota(networks, member_ctx) -> None:
    networks.quotas.update(PROJECT, {'network': 1, 'subnet': 1, 'port': 1, 'router': 1})
    network = networks.create_network(member_ctx, name='n')
    _over('network', networks.create_network, member_ctx, name='n2')
    networks.create_subnet(member_ctx, network['id'], '10.0.0.0/24')
    _over('subnet', networks.create_subnet, member_ctx, network['id'], '10.0.1.0/24')
    networks.create_port(member_ctx, network['id'])
    _over('port', networks.create_port, member_ctx, network['id'])
    networks.create_router(member_ctx, name='r')
    _over('router', networks.create_router, member_ctx, name='r2')
    assert networks.quotas.detail(PROJECT)['network']['used'] == 1
    assert networks.quotas.detail(PROJECT)['port']['used'] == 1


def test_zero_quota_refuses_and_unlimited_allows(networks, member_ctx) -> None:
    networks.quotas.update(PROJECT, {'network': 0})
    _over('network', networks.create_network, member_ctx, name='n')
    networks.quotas.update(PROJECT, {'network': -1})
    for index in range(3):
        networks.create_network(member_ctx, name=f'n{index}')


def test_an_admins_create_for_a_project_counts_in_that_project(networks, admin_ctx) -> None:
    networks.quotas.update(PROJECT, {'network': 1})
    networks.create_network(admin_ctx, name='n', project_id=PROJECT)
    _over('network', networks.create_network, admin_ctx, name='n2', project_id=PROJECT)
    networks.create_network(admin_ctx, name='mine')  # the admin's own project is apart


def test_default_security_group_is_never_refused(networks, member_ctx) -> None:
    """As in neutron, the default group and its rules are made even at quota 0;
    they count, so a project at quota 1 has no room for another group."""
    networks.quotas.update(PROJECT, {'security_group': 0, 'security_group_rule': 0})
    assert networks.ensure_default_security_group(PROJECT)
    detail = networks.quotas.detail(PROJECT)
    assert detail['security_group']['used'] == 1
    assert detail['security_group_rule']['used'] >= 2
    _over('security_group', networks.create_security_group, member_ctx, name='web')
    networks.quotas.update(PROJECT, {'security_group': 1})
    _over('security_group', networks.create_security_group, member_ctx, name='web')
    networks.quotas.update(PROJECT, {'security_group': 2})
    group = networks.create_security_group(member_ctx, name='web')
    _over('security_group_rule', networks.create_security_group_rule, member_ctx,
          group['id'], direction='ingress', ethertype='IPv4', protocol='tcp',
          port_range_min=22, port_range_max=22)


def test_a_new_projects_first_group_is_counted_before_its_default(networks,
                                                                    member_ctx) -> None:
    """Neutron counts before its plugin makes the default group: at quota 1 the
    first create of a project without one passes and leaves two groups."""
    networks.quotas.update(PROJECT, {'security_group': 1})
    networks.create_security_group(member_ctx, name='web')
    assert networks.quotas.detail(PROJECT)['security_group']['used'] == 2
    _over('security_group', networks.create_security_group, member_ctx, name='db')


def test_floating_ip_quota(networks, admin_ctx, member_ctx) -> None:
    public = networks.create_network(admin_ctx, name='public', router_external=True)
    networks.create_subnet(admin_ctx, public['id'], '172.24.4.0/24')
    networks.quotas.update(PROJECT, {'floatingip': 1})
    networks.create_floatingip(member_ctx, public['id'])
    _over('floatingip', networks.create_floatingip, member_ctx, public['id'])
    # The floating IP's own port has no project: it uses none of the port quota.
    assert networks.quotas.detail(PROJECT)['port']['used'] == 0


def _race_for_the_last_network(conf: cfg.ConfigOpts, database: db_api.Database,
                               ctx: nl_context.RequestContext) -> None:
    manager = network_manager.NetworkManager(conf, database, rng=random.Random(1))
    manager.quotas.update(PROJECT, {'network': 2})
    manager.create_network(ctx, name='first')  # one slot left
    barrier = threading.Barrier(RACERS)

    def create(index: int) -> dict[str, Any]:
        barrier.wait()
        return manager.create_network(ctx, name=f'racer-{index}')

    wins, losses = [], []
    with futures.ThreadPoolExecutor(RACERS) as pool:
        for future in [pool.submit(create, i) for i in range(RACERS)]:
            try:
                wins.append(future.result(timeout=60))
            except quotas.OverQuota as exc:
                losses.append(exc)
    assert len(wins) == 1
    assert len(losses) == RACERS - 1
    assert manager.quotas.detail(PROJECT)['network']['used'] == 2


def test_racing_creates_never_overcommit_sqlite(conf, db, member_ctx) -> None:
    _race_for_the_last_network(conf, db, member_ctx)


@pytest.mark.postgresql
def test_racing_creates_never_overcommit_postgresql(conf, pg_db, member_ctx) -> None:
    _race_for_the_last_network(conf, pg_db, member_ctx)


def test_subnet_pools_and_rbac_policies_are_counted_and_checked(networks, member_ctx) -> None:
    networks.quotas.update(PROJECT, {'subnetpool': 1, 'rbac_policy': 1})
    networks.create_subnetpool(member_ctx, ['10.80.0.0/16'], name='p1')
    _over('subnetpool', networks.create_subnetpool, member_ctx, ['10.81.0.0/16'], name='p2')
    network = networks.create_network(member_ctx, name='n')
    networks.create_rbac_policy(member_ctx, object_type='network', object_id=network['id'],
                                action='access_as_shared', target_project='project-b')
    _over('rbac_policy', networks.create_rbac_policy, member_ctx, object_type='network',
          object_id=network['id'], action='access_as_shared', target_project='project-c')
    detail = networks.quotas.detail(PROJECT)
    assert detail['subnetpool']['used'] == 1
    assert detail['rbac_policy']['used'] == 1
    assert [pool['name'] for pool in networks.page_subnetpools(member_ctx).items] == ['p1']
