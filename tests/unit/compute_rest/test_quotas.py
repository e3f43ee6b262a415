"""/os-quota-sets, /os-quota-class-sets, /limits and /os-simple-tenant-usage over REST:
shapes by microversion, policy, bad input, and the quota refusals of boots and keypairs."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from nova_lite import embedded
from nova_lite.compute import quota_resources as res
from tests.conftest import make_cloud_conf, unset_quota_overrides
from tests.functional.conftest import CloudEnv
from tests.unit.compute.test_keypair_keys import TEMPEST_RSA
from tests.unit.compute_rest.conftest import Client, ComputeEnv

LEGACY = set(res.NETWORK_LEGACY)
INJECTED = set(res.INJECTED)


@pytest.fixture(scope='module')
def compute(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ComputeEnv]:
    """The compute API on a cloud of its own with nova's default quotas."""
    config = make_cloud_conf(tmp_path_factory.mktemp('compute_quotas'))
    unset_quota_overrides(config)
    cloud = embedded.EmbeddedCloud(config, hosts=['host1'])
    cloud.start()
    try:
        yield ComputeEnv(CloudEnv(cloud))
    finally:
        cloud.stop()
        config.reset()


def _at(version: str) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {version}'}


def _put(client: Client, path: str, body: Any, version: str = '2.1') -> Any:
    return client.request('PUT', path, body, headers=_at(version))


def _delete_server(compute: ComputeEnv, server_id: str) -> None:
    """Delete and wait until it is gone, so the next test counts a settled usage
    (a delete finishing during a later test's race would free a slot mid-race)."""
    assert compute.member.delete(f'/servers/{server_id}').status_int == 204
    compute.wait_gone(server_id)


@pytest.fixture
def member_project(compute: ComputeEnv) -> Any:
    """The member's project, its quotas back to the defaults after the test."""
    yield compute.other_project
    assert compute.admin.delete(f'/os-quota-sets/{compute.other_project}').status_int == 202


@pytest.mark.parametrize('version,hidden', [
    ('2.1', set()), ('2.35', set()), ('2.36', LEGACY), ('2.56', LEGACY),
    ('2.57', LEGACY | INJECTED), ('2.100', LEGACY | INJECTED)])
def test_quota_set_keys_by_version(compute: ComputeEnv, version: str,
                                   hidden: set[str]) -> None:
    project = compute.other_project
    shown = compute.admin.get(f'/os-quota-sets/{project}', headers=_at(version))
    assert shown.status_int == 200, shown.text
    assert set(shown.json['quota_set']) == {'id', *res.ALL} - hidden
    assert shown.json['quota_set']['id'] == project
    detail = compute.admin.get(f'/os-quota-sets/{project}/detail', headers=_at(version))
    assert set(detail.json['quota_set']) == {'id', *res.ALL} - hidden
    defaults = compute.member.get(f'/os-quota-sets/{project}/defaults', headers=_at(version))
    assert defaults.status_int == 200
    assert defaults.json['quota_set']['instances'] == 10


def test_defaults_match_nova(compute: ComputeEnv) -> None:
    quota_set = compute.admin.get(f'/os-quota-sets/{compute.other_project}').json['quota_set']
    assert {key: quota_set[key] for key in res.ALL} == {
        'instances': 10, 'cores': 20, 'ram': 51200, 'metadata_items': 128,
        'injected_files': 5, 'injected_file_content_bytes': 10240,
        'injected_file_path_bytes': 255, 'key_pairs': 100, 'server_groups': 10,
        'server_group_members': 10, 'fixed_ips': -1, 'floating_ips': -1,
        'security_groups': -1, 'security_group_rules': -1}


def test_update_show_and_delete(compute: ComputeEnv, member_project: str) -> None:
    updated = _put(compute.admin, f'/os-quota-sets/{member_project}',
                   {'quota_set': {'instances': 3, 'cores': '7', 'force': 'False'}})
    assert updated.status_int == 200, updated.text
    assert 'id' not in updated.json['quota_set']  # as nova answers an update
    assert updated.json['quota_set']['instances'] == 3
    assert updated.json['quota_set']['cores'] == 7
    shown = compute.member.get(f'/os-quota-sets/{member_project}').json['quota_set']
    assert shown['instances'] == 3
    user = _put(compute.admin, f'/os-quota-sets/{member_project}?user_id=someone',
                {'quota_set': {'instances': 2}})
    assert user.json['quota_set']['instances'] == 2
    assert compute.admin.get(f'/os-quota-sets/{member_project}?user_id=someone'
                             ).json['quota_set']['instances'] == 2
    assert compute.admin.delete(f'/os-quota-sets/{member_project}').status_int == 202
    assert compute.admin.get(f'/os-quota-sets/{member_project}'
                             ).json['quota_set']['instances'] == 10


def test_policy(compute: ComputeEnv) -> None:
    admin_project = compute.env.ctx.project_id
    path = f'/os-quota-sets/{compute.other_project}'
    assert _put(compute.member, path, {'quota_set': {'ram': 0}}).status_int == 403
    assert compute.member.delete(path).status_int == 403
    assert compute.member.get(path).status_int == 200  # its own project
    assert compute.member.get(f'/os-quota-sets/{admin_project}').status_int == 403
    assert compute.reader.get(f'/os-quota-sets/{admin_project}/detail').status_int == 200
    assert compute.member.get('/os-quota-class-sets/default').status_int == 403
    assert compute.anonymous.get(path).status_int == 401


@pytest.mark.parametrize('body,version', [
    ({'quota_set': {'instances': 'lots'}}, '2.1'),
    ({'quota_set': {'instances': -2}}, '2.1'),
    ({'quota_set': {'bogus': 1}}, '2.1'),
    ({'quota_set': {'floating_ips': 1}}, '2.36'),
    ({'quota_set': {'injected_files': 1}}, '2.57'),
    ({'quota_set': {'instances': 1, 'force': 'maybe'}}, '2.1'),
    ({'quotas': {}}, '2.1'),
])
def test_bad_updates_are_400(compute: ComputeEnv, body: Any, version: str) -> None:
    response = _put(compute.admin, f'/os-quota-sets/{compute.other_project}', body, version)
    assert response.status_int == 400, response.text
    assert 'badRequest' in response.json


def test_a_limit_below_usage_is_400_unless_forced(compute: ComputeEnv,
                                                  member_project: str) -> None:
    server_id = compute.create('below-usage', client=compute.member, with_volume=False,
                               networks='none')
    try:
        path = f'/os-quota-sets/{member_project}'
        refused = _put(compute.admin, path, {'quota_set': {'instances': 0}})
        assert refused.status_int == 400
        assert 'must be greater than or equal to already used and reserved 1' in refused.text
        detail = compute.admin.get(f'{path}/detail').json['quota_set']
        assert detail['instances'] == {'limit': 10, 'in_use': 1, 'reserved': 0}
        forced = _put(compute.admin, path, {'quota_set': {'instances': 0, 'force': True}})
        assert forced.status_int == 200 and forced.json['quota_set']['instances'] == 0
    finally:
        _delete_server(compute, server_id)


def test_boot_over_quota_is_403_with_novas_fault(compute: ComputeEnv,
                                                 member_project: str) -> None:
    path = f'/os-quota-sets/{member_project}'
    in_use = compute.admin.get(f'{path}/detail').json['quota_set']['instances']['in_use']
    assert _put(compute.admin, path, {'quota_set': {'instances': in_use + 1}}).status_int == 200
    server_id = compute.create('quota-1', client=compute.member, with_volume=False,
                               networks='none')
    try:
        refused = compute.member.post('/servers', {'server': compute.server_body(
            'quota-2', with_volume=False, networks='none')})
        assert refused.status_int == 403
        assert refused.json == {'forbidden': {'code': 403, 'message': (
            f'Quota exceeded for instances: Requested 1, but already used {in_use + 1} of '
            f'{in_use + 1} instances')}}
        absolute = compute.member.get('/limits').json['limits']['absolute']
        assert absolute['maxTotalInstances'] == in_use + 1
        assert absolute['totalInstancesUsed'] == in_use + 1
        _put(compute.admin, path, {'quota_set': {'instances': -1, 'cores': 0, 'force': True}})
        refused = compute.member.post('/servers', {'server': compute.server_body(
            'quota-3', with_volume=False, networks='none')})
        assert refused.status_int == 403 and 'Quota exceeded for cores' in refused.text
        _put(compute.admin, path, {'quota_set': {'cores': -1, 'metadata_items': 1}})
        refused = compute.member.post('/servers', {'server': compute.server_body(
            'quota-4', with_volume=False, networks='none', metadata={'a': '1', 'b': '2'})})
        assert refused.status_int == 403 and 'metadata_items' in refused.text
    finally:
        _delete_server(compute, server_id)


def test_concurrent_posts_never_over_commit(compute: ComputeEnv, member_project: str) -> None:
    path = f'/os-quota-sets/{member_project}'
    in_use = compute.admin.get(f'{path}/detail').json['quota_set']['instances']['in_use']
    _put(compute.admin, path, {'quota_set': {'instances': in_use + 3}})
    barrier = threading.Barrier(8)
    statuses: list[int] = []
    created: list[str] = []

    def post(index: int) -> None:
        barrier.wait()
        response = compute.member.post('/servers', {'server': compute.server_body(
            f'race-{index}', with_volume=False, networks='none')})
        statuses.append(response.status_int)
        if response.status_int == 202:
            created.append(response.json['server']['id'])

    threads = [threading.Thread(target=post, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    try:
        assert sorted(statuses) == [202] * 3 + [403] * 5
        detail = compute.admin.get(f'{path}/detail').json['quota_set']['instances']
        assert detail['in_use'] == in_use + 3
    finally:
        for server_id in created:
            _delete_server(compute, server_id)


def test_keypair_quota(compute: ComputeEnv, member_project: str) -> None:
    _put(compute.admin, f'/os-quota-sets/{member_project}', {'quota_set': {'key_pairs': 1}})
    first = compute.member.post('/os-keypairs', {'keypair': {'name': 'q1',
                                                             'public_key': TEMPEST_RSA}})
    assert first.status_int == 200, first.text
    try:
        second = compute.member.post('/os-keypairs', {'keypair': {'name': 'q2',
                                                                  'public_key': TEMPEST_RSA}})
        assert second.status_int == 403
        assert second.json == {'forbidden': {'code': 403,
                                             'message': 'Quota exceeded, too many key pairs.'}}
    finally:
        compute.member.delete('/os-keypairs/q1')


@pytest.mark.parametrize('version,hidden', [
    ('2.1', {'server_groups', 'server_group_members'}), ('2.49', {'server_groups',
                                                                  'server_group_members'}),
    ('2.50', LEGACY), ('2.57', LEGACY | INJECTED)])
def test_quota_class_sets(compute: ComputeEnv, version: str, hidden: set[str]) -> None:
    shown = compute.admin.get('/os-quota-class-sets/default', headers=_at(version))
    assert shown.status_int == 200
    assert set(shown.json['quota_class_set']) == {'id', *res.ALL} - hidden
    assert shown.json['quota_class_set']['id'] == 'default'


def test_the_default_class_feeds_the_defaults(compute: ComputeEnv) -> None:
    updated = _put(compute.admin, '/os-quota-class-sets/default',
                   {'quota_class_set': {'key_pairs': 150, 'server_groups': 12}}, '2.57')
    try:
        assert updated.status_int == 200, updated.text
        assert 'id' not in updated.json['quota_class_set']
        assert updated.json['quota_class_set']['server_groups'] == 12
        defaults = compute.admin.get(f'/os-quota-sets/{compute.other_project}/defaults')
        assert defaults.json['quota_set']['key_pairs'] == 150
        assert _put(compute.admin, '/os-quota-class-sets/default',
                    {'quota_class_set': {'injected_files': 1}}, '2.57').status_int == 400
    finally:
        _put(compute.admin, '/os-quota-class-sets/default',
             {'quota_class_set': {'key_pairs': 100, 'server_groups': 10}}, '2.57')


def test_limits_of_another_project_are_for_admins(compute: ComputeEnv) -> None:
    other = compute.other_project
    asked = compute.admin.get(f'/limits?tenant_id={other}')
    assert asked.status_int == 200 and asked.json['limits']['absolute']['maxTotalCores'] == 20
    assert compute.member.get(f'/limits?tenant_id={compute.env.ctx.project_id}'
                              ).status_int == 403


def test_simple_tenant_usage(compute: ComputeEnv) -> None:
    server = compute.boot('usage', with_volume=False)
    period = 'start=2000-01-01T00:00:00&end=2100-01-01T00:00:00.000000'
    project = compute.env.ctx.project_id
    listed = compute.admin.get(f'/os-simple-tenant-usage?{period}&detailed=1')
    assert listed.status_int == 200, listed.text
    [usage] = [u for u in listed.json['tenant_usages'] if u['tenant_id'] == project]
    assert set(usage) == {'tenant_id', 'start', 'stop', 'total_hours', 'total_vcpus_usage',
                          'total_memory_mb_usage', 'total_local_gb_usage', 'server_usages'}
    [mine] = [s for s in usage['server_usages'] if s['instance_id'] == server['id']]
    assert mine['vcpus'] == compute.env.flavor['vcpus']
    assert mine['flavor'] == compute.env.flavor['name'] and mine['ended_at'] is None
    assert mine['state'] == 'active' and mine['hours'] >= 0
    brief = compute.admin.get(f'/os-simple-tenant-usage?{period}').json['tenant_usages']
    assert all('server_usages' not in u for u in brief)
    shown = compute.reader.get(f'/os-simple-tenant-usage/{project}?{period}')
    assert shown.status_int == 200 and shown.json['tenant_usage']['server_usages']
    nothing = compute.admin.get(f'/os-simple-tenant-usage/{project}?start=2000-01-01T00:00:00'
                                f'&end=2000-01-02T00:00:00')
    assert nothing.json == {'tenant_usage': {}}
    assert compute.member.get(f'/os-simple-tenant-usage?{period}').status_int == 403
    assert compute.member.get(f'/os-simple-tenant-usage/{project}').status_int == 403
    backwards = compute.admin.get(f'/os-simple-tenant-usage/{project}?start=2100-01-01T00:00:00'
                                  f'&end=2000-01-01T00:00:00')
    assert backwards.status_int == 400
    assert compute.admin.get('/os-simple-tenant-usage?start=yesterday').status_int == 400
    assert compute.admin.get(f'/os-simple-tenant-usage/?{period}').status_int == 404


def test_server_group_and_member_quotas(compute: ComputeEnv, member_project: str) -> None:
    project = member_project
    body = {'quota_set': {'server_groups': 1, 'server_group_members': 1}}
    assert _put(compute.admin, f'/os-quota-sets/{project}', body).status_int == 200

    def create_group(name: str) -> Any:
        return compute.member.post('/os-server-groups',
                                   {'server_group': {'name': name, 'policies': ['affinity']}})

    group = create_group('only-one')
    assert group.status_int == 200, group.text
    group_id = group.json['server_group']['id']
    refused = create_group('a-second')
    assert refused.status_int == 403 and 'server_groups' in refused.text
    detail = compute.admin.get(f'/os-quota-sets/{project}/detail').json['quota_set']
    assert detail['server_groups']['in_use'] == 1

    def boot(name: str) -> Any:
        body = {'server': compute.server_body(name, with_volume=False, networks='none'),
                'os:scheduler_hints': {'group': group_id}}
        return compute.member.request('POST', '/servers', body, headers=_at('2.37'))

    first = boot('grouped-1')
    assert first.status_int == 202, first.text
    first_id = first.json['server']['id']
    compute.wait(first_id, client=compute.member)
    live = compute.cloud.instances.list
    before = len(live())
    second = boot('grouped-2')
    assert second.status_int == 403 and 'server_group_members' in second.text
    assert len(live()) == before  # the refused server is not left behind
    assert compute.member.delete(f'/servers/{first_id}').status_int == 204
    compute.wait_gone(first_id)
    assert compute.member.delete(f'/os-server-groups/{group_id}').status_int == 204
