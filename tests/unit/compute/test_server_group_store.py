"""The server group store: groups, members, the boot hint, and the host recheck."""

from __future__ import annotations

import threading

import pytest

from nova_lite.common import exception
from nova_lite.compute import instance_store, server_groups
from nova_lite.db import api as db_api
from tests.unit.scheduler.helpers import insert_instance


def _store(db: db_api.Database) -> server_groups.ServerGroupStore:
    return server_groups.ServerGroupStore(db)


def test_create_get_list_delete(db: db_api.Database) -> None:
    store = _store(db)
    first = store.create(name='g1', project_id='p1', user_id='u1', policy='anti-affinity',
                         rules={'max_server_per_host': 2})
    second = store.create(name='g1', project_id='p2', user_id='u2', policy='affinity')
    assert first['id'] != second['id']
    assert store.get(first['id']) == first
    assert first['members'] == [] and first['rules'] == {'max_server_per_host': 2}
    assert [g['id'] for g in store.list_groups(project_id='p1')] == [first['id']]
    assert [g['id'] for g in store.list_groups(project_id=None)] == [first['id'], second['id']]
    store.delete(first['id'])
    with pytest.raises(exception.NotFound, match='could not be found'):
        store.get(first['id'])
    with pytest.raises(exception.NotFound):
        store.delete(first['id'])


def test_members_join_and_leave_when_deleted(db: db_api.Database) -> None:
    store = _store(db)
    group = store.create(name='g', project_id='p', user_id='u', policy='affinity')
    vm1, vm2 = insert_instance(db, 'vm1'), insert_instance(db, 'vm2')
    store.add_member(group['id'], vm1)
    store.add_member(group['id'], vm2)
    assert store.get(group['id'])['members'] == [vm1, vm2]
    assert store.group_ids_of(vm1) == [group['id']]
    instance_store.InstanceStore(db).mark_deleted(vm1)  # the delete path
    assert store.get(group['id'])['members'] == [vm2]
    assert store.group_ids_of(vm1) == []
    with pytest.raises(exception.NotFound):
        store.add_member('no-such-group', vm1)


def test_group_for_boot_checks_the_hint(db: db_api.Database) -> None:
    store = _store(db)
    group = store.create(name='g', project_id='p1', user_id='u', policy='affinity')
    assert store.group_for_boot({}, project_id='p1', is_admin=False) is None
    assert store.group_for_boot({'group': group['id']}, project_id='p1',
                                is_admin=False) == group['id']
    assert store.group_for_boot({'group': [group['id']]}, project_id='p1',
                                is_admin=False) == group['id']
    with pytest.raises(exception.InvalidInput, match='os:scheduler_hints.group'):
        store.group_for_boot({'group': group['id']}, project_id='p2', is_admin=False)
    assert store.group_for_boot({'group': group['id']}, project_id='p2', is_admin=True)
    with pytest.raises(exception.InvalidInput, match='not found'):
        store.group_for_boot({'group': 'nope'}, project_id='p1', is_admin=False)
    with pytest.raises(exception.InvalidInput):
        store.group_for_boot({'group': 7}, project_id='p1', is_admin=False)


def test_group_of_gives_the_other_members_hosts(db: db_api.Database) -> None:
    store = _store(db)
    group = store.create(name='g', project_id='p', user_id='u', policy='anti-affinity')
    vm1, vm2, vm3 = (insert_instance(db, name) for name in ('vm1', 'vm2', 'vm3'))
    for vm in (vm1, vm2, vm3):
        store.add_member(group['id'], vm)
    instance_store.InstanceStore(db).set_host(vm1, 'h1', 'nova')  # scheduled, not confirmed
    store.confirm_host(vm2, 'h2')
    seen = store.group_of(vm3)
    assert seen is not None
    assert seen['policy'] == 'anti-affinity' and sorted(seen['hosts']) == ['h1', 'h2']
    assert store.group_of(insert_instance(db, 'alone')) is None


@pytest.mark.parametrize('policy,rules,placed,host,breaks', [
    ('anti-affinity', {}, ['h1'], 'h1', True),
    ('anti-affinity', {}, ['h1'], 'h2', False),
    ('anti-affinity', {'max_server_per_host': 2}, ['h1'], 'h1', False),
    ('anti-affinity', {'max_server_per_host': 2}, ['h1', 'h1'], 'h1', True),
    ('affinity', {}, [], 'h1', False),
    ('affinity', {}, ['h1'], 'h1', False),
    ('affinity', {}, ['h1'], 'h2', True),
    ('soft-anti-affinity', {}, ['h1'], 'h1', False),
    ('soft-affinity', {}, ['h1'], 'h2', False),
])
def test_violation(policy: str, rules: dict, placed: list[str], host: str,
                   breaks: bool) -> None:
    assert (server_groups.violation(policy, rules, host, placed) is not None) == breaks


def test_confirm_host_refuses_a_second_member_on_the_host(db: db_api.Database) -> None:
    store = _store(db)
    group = store.create(name='g', project_id='p', user_id='u', policy='anti-affinity')
    vm1, vm2 = insert_instance(db, 'vm1'), insert_instance(db, 'vm2')
    store.add_member(group['id'], vm1)
    store.add_member(group['id'], vm2)
    store.confirm_host(vm1, 'h1')
    with pytest.raises(exception.RetryableBuildError) as raised:
        store.confirm_host(vm2, 'h1')
    assert raised.value.kwargs['host'] == 'h1'
    store.confirm_host(vm2, 'h2')
    store.release_host(vm1, 'h1')  # vm1's attempt reverted: h1 is free again
    store.confirm_host(vm2, 'h1')
    store.confirm_host(insert_instance(db, 'no-group'), 'h1')  # not a member: nothing


@pytest.mark.parametrize('db_fixture', ['db', pytest.param('pg_db',
                                                           marks=pytest.mark.postgresql)])
def test_concurrent_confirms_let_one_member_on_the_host(request: pytest.FixtureRequest,
                                                        db_fixture: str) -> None:
    db: db_api.Database = request.getfixturevalue(db_fixture)
    store = _store(db)
    group = store.create(name='g', project_id='p', user_id='u', policy='anti-affinity')
    vms = [insert_instance(db, f'vm{i}') for i in range(6)]
    for vm in vms:
        store.add_member(group['id'], vm)
    start = threading.Barrier(len(vms))
    confirmed: list[str] = []
    refused: list[str] = []

    def confirm(vm: str) -> None:
        start.wait()
        try:
            store.confirm_host(vm, 'h1')
            confirmed.append(vm)
        except exception.RetryableBuildError:
            refused.append(vm)

    threads = [threading.Thread(target=confirm, args=(vm,)) for vm in vms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(confirmed) == 1 and len(refused) == len(vms) - 1
