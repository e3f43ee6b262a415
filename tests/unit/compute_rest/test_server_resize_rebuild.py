"""resize, confirmResize, revertResize and rebuild through POST /servers/{id}/action,
os-migrations, and what os-instance-actions records of them (the whole cloud in
process: API, conductor flows, scheduler claims, host1 on the fake driver)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import Version
from tests.unit.compute_rest.conftest import ComputeEnv


def _header(version: Version) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {version[0]}.{version[1]}'}


def _flavor(compute: ComputeEnv, name: str, vcpus: int, ram: int, disk: int) -> str:
    response = compute.admin.post('/flavors', {'flavor': {
        'name': f'{name}-{uuid.uuid4().hex[:6]}', 'vcpus': vcpus, 'ram': ram, 'disk': disk}})
    assert response.status_int == 200, response.text
    return str(response.json['flavor']['id'])


@pytest.fixture(scope='module')
def flavors(compute: ComputeEnv) -> dict[str, str]:
    return {'small': _flavor(compute, 'rz-small', 1, 64, 1),
            'big': _flavor(compute, 'rz-big', 2, 128, 2),
            'tiny-disk': _flavor(compute, 'rz-tiny', 1, 64, 0)}


def _boot(compute: ComputeEnv, flavors: dict[str, str], name: str) -> str:
    return str(compute.boot(name, with_volume=False, flavorRef=flavors['small'])['id'])


def _claim(compute: ComputeEnv, server_id: str) -> tuple[int, int, int]:
    [claim] = compute.cloud.services.scheduler_rpcapi.list_claims(
        _admin_ctx(), instance_id=server_id)
    return claim['vcpus'], claim['memory_mb'], claim['disk_gb']


def _admin_ctx() -> Any:
    from nova_lite.common import context as nl_context

    return nl_context.get_admin_context()


def _migrations(compute: ComputeEnv, server_id: str, **kwargs: Any) -> list[dict[str, Any]]:
    listed = compute.admin.get(f'/os-migrations?instance_uuid={server_id}', **kwargs)
    assert listed.status_int == 200, listed.text
    return list(listed.json['migrations'])


def test_resize_and_confirm(compute: ComputeEnv, flavors: dict[str, str]) -> None:
    server_id = _boot(compute, flavors, 'resize-confirm')
    response = compute.admin.action(server_id, {'resize': {'flavorRef': flavors['big']}})
    assert response.status_int == 202 and response.body == b''
    server = compute.wait(server_id, status='VERIFY_RESIZE')
    assert server['OS-EXT-STS:vm_state'] == 'resized'
    assert server['flavor']['id'] == flavors['big']
    assert _claim(compute, server_id) == (3, 192, 3)  # both flavors until the confirm
    [migration] = _migrations(compute, server_id)
    assert migration['status'] == 'finished' and 'migration_type' not in migration
    assert migration['source_compute'] == migration['dest_compute'] == 'host1'
    assert migration['new_instance_type_id'] is None  # a uuid flavor id: no integer
    assert compute.admin.action(server_id, {'confirmResize': {'x': 1}}).status_int == 400
    response = compute.admin.action(server_id, {'confirmResize': {}})
    assert response.status_int == 204
    server = compute.wait(server_id, status='ACTIVE')
    assert server['flavor']['id'] == flavors['big']
    assert _claim(compute, server_id) == (2, 128, 2)
    [migration] = _migrations(compute, server_id, headers=_header(changes.MIGRATION_UUID))
    assert migration['status'] == 'confirmed' and migration['migration_type'] == 'resize'
    assert 'uuid' in migration and 'user_id' not in migration
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    assert [a['action'] for a in actions['instanceActions']] == [
        'confirmResize', 'resize', 'create']


def test_resize_and_revert(compute: ComputeEnv, flavors: dict[str, str]) -> None:
    server_id = _boot(compute, flavors, 'resize-revert')
    assert compute.admin.action(server_id, {'resize': {'flavorRef': flavors['big']}}
                                ).status_int == 202
    compute.wait(server_id, status='VERIFY_RESIZE')
    assert compute.admin.action(server_id, {'revertResize': None}).status_int == 202
    server = compute.wait(server_id, status='ACTIVE')
    assert server['flavor']['id'] == flavors['small']
    assert _claim(compute, server_id) == (1, 64, 1)
    [migration] = _migrations(compute, server_id, headers=_header(
        changes.MIGRATION_USER_PROJECT))
    assert migration['status'] == 'reverted'
    assert migration['project_id'] and migration['user_id']


def test_resize_refusals(compute: ComputeEnv, flavors: dict[str, str]) -> None:
    server_id = _boot(compute, flavors, 'resize-refused')
    for body, code in (({'resize': {'flavorRef': flavors['small']}}, 400),
                       ({'resize': {'flavorRef': 'no-such-flavor'}}, 400),
                       ({'resize': {'flavorRef': flavors['tiny-disk']}}, 400),
                       ({'resize': {}}, 400), ({'resize': {'flavorRef': None}}, 400),
                       ({'confirmResize': None}, 409), ({'revertResize': None}, 409)):
        response = compute.admin.action(server_id, body)
        assert response.status_int == code, (body, response.text)
    assert 'flavorRef' in compute.admin.action(server_id, {'resize': {}}).text
    assert compute.admin.action(f'{uuid.uuid4()}', {'resize': {
        'flavorRef': flavors['big']}}).status_int == 404
    assert compute.admin.action(server_id, {'os-stop': None}).status_int == 202
    compute.wait(server_id, status='SHUTOFF')
    assert compute.admin.action(server_id, {'pause': None}).status_int == 409
    assert _migrations(compute, server_id) == []


def test_a_resize_up_over_the_cores_quota_is_refused(compute: ComputeEnv,
                                                     flavors: dict[str, str]) -> None:
    member = compute.member
    server_id = compute.create('quota-resize', member, with_volume=False,
                               networks='none', flavorRef=flavors['small'])
    compute.wait(server_id, client=member)
    project = compute.other_project
    usage = compute.cloud.services.quotas.usage(project)
    assert compute.admin.request('PUT', f'/os-quota-sets/{project}', {
        'quota_set': {'cores': usage['cores']}}).status_int == 200
    try:
        refused = member.action(server_id, {'resize': {'flavorRef': flavors['big']}})
        assert refused.status_int == 403 and 'cores' in refused.text
        assert compute.wait(server_id, client=member)['status'] == 'ACTIVE'
    finally:
        compute.admin.request('PUT', f'/os-quota-sets/{project}',
                              {'quota_set': {'cores': -1}})



def test_an_admin_resizing_another_projects_server_counts_that_projects_quota(
        compute: ComputeEnv) -> None:
    # The admin's own project uses nothing; the server's project is at its limit
    # once the server grows by more than the limit less what the server has.
    member = compute.member
    small = compute.admin.post('/flavors', {'flavor': {
        'name': 'quota-admin-small', 'ram': 512, 'vcpus': 1, 'disk': 1}}).json['flavor']
    server_id = compute.create('quota-admin-resize', member, with_volume=False,
                               networks='none', flavorRef=small['id'])
    compute.wait(server_id, client=member)
    project = compute.other_project
    assert compute.admin.request('PUT', f'/os-quota-sets/{project}', {
        'quota_set': {'ram': 4096}}).status_int == 200
    big = compute.admin.post('/flavors', {'flavor': {
        'name': 'quota-admin-big', 'ram': 4097, 'vcpus': 1, 'disk': 1}}).json['flavor']
    try:
        refused = compute.admin.action(server_id, {'resize': {'flavorRef': big['id']}})
        assert refused.status_int == 403 and 'ram' in refused.text, refused.text
        assert compute.wait(server_id, client=member)['status'] == 'ACTIVE'
    finally:
        compute.admin.request('PUT', f'/os-quota-sets/{project}', {'quota_set': {'ram': -1}})


def test_rebuild(compute: ComputeEnv, flavors: dict[str, str]) -> None:
    server_id = _boot(compute, flavors, 'rebuild-me')
    image_id = compute.env.image['id']
    response = compute.admin.action(server_id, {'rebuild': {
        'imageRef': image_id, 'name': 'rebuilt', 'metadata': {'k': 'v'},
        'accessIPv4': '1.2.3.4', 'adminPass': 'secret', 'OS-DCF:diskConfig': 'MANUAL'}})
    assert response.status_int == 202, response.text
    server = response.json['server']
    assert (server['name'], server['metadata'], server['accessIPv4']) == (
        'rebuilt', {'k': 'v'}, '1.2.3.4')
    assert server['image']['id'] == image_id and server['adminPass'] == 'secret'
    assert server['status'] == 'REBUILD'
    server = compute.wait(server_id, status='ACTIVE')
    assert server['name'] == 'rebuilt' and server['image']['id'] == image_id
    actions = compute.admin.get(f'/servers/{server_id}/os-instance-actions').json
    assert actions['instanceActions'][0]['action'] == 'rebuild'


def test_rebuild_refusals(compute: ComputeEnv, flavors: dict[str, str]) -> None:
    server_id = _boot(compute, flavors, 'rebuild-refused')
    image_id = compute.env.image['id']
    for body in ({'rebuild': {'imageRef': str(uuid.uuid4())}}, {'rebuild': {}},
                 {'rebuild': {'imageRef': image_id, 'key_name': 'k'}},
                 {'rebuild': {'imageRef': image_id, 'description': 'd'}},
                 {'rebuild': {'imageRef': image_id, 'accessIPv4': 'not-an-ip'}}):
        response = compute.admin.action(server_id, body)
        assert response.status_int == 400, (body, response.text)
    at_254 = compute.admin.request('POST', f'/servers/{server_id}/action', {
        'rebuild': {'imageRef': image_id, 'key_name': 'no-such-key'}},
        headers=_header(changes.REBUILD_KEY_NAME))
    assert at_254.status_int == 400
    full = compute.admin.request('POST', f'/servers/{server_id}/action', {
        'rebuild': {'imageRef': image_id, 'description': 'again', 'user_data': 'aGk='}},
        headers=_header(changes.REBUILD_FULL_BODY))
    assert full.status_int == 202, full.text
    assert full.json['server']['description'] == 'again'
    assert 'OS-EXT-STS:task_state' in full.json['server']
    compute.wait(server_id, status='ACTIVE')
    # Busy (a task under way) is a 409; set the task state itself, since a real
    # rebuild may already have finished by the time a second request arrives.
    compute.cloud.instances.update(server_id, task_state='rebuilding')
    busy = compute.admin.action(server_id, {'rebuild': {'imageRef': image_id}})
    assert busy.status_int == 409, busy.text
    compute.cloud.instances.update(server_id, task_state=None)


def test_rebuild_body_below_2_75_is_the_update_shape(compute: ComputeEnv,
                                                     flavors: dict[str, str]) -> None:
    server_id = _boot(compute, flavors, 'rebuild-short')
    response = compute.admin.action(server_id, {'rebuild': {
        'imageRef': compute.env.image['id']}})
    assert response.status_int == 202
    assert not any(key.startswith('OS-EXT-') for key in response.json['server'])
    assert 'key_name' not in response.json['server'] and 'user_data' not in response.json[
        'server']
    compute.wait(server_id, status='ACTIVE')


def test_os_migrations_is_for_admins(compute: ComputeEnv) -> None:
    assert compute.member.get('/os-migrations').status_int == 403
    assert compute.admin.get('/os-migrations').status_int == 200
    server_id = compute.create('server-migrations', compute.member, with_volume=False,
                               networks='none')
    assert compute.admin.get(f'/servers/{server_id}/migrations').status_int == 404
    listed = compute.admin.get(f'/servers/{server_id}/migrations',
                               headers=_header(changes.MIGRATION_TYPE))
    assert listed.status_int == 200 and listed.json == {'migrations': []}


# One test per version_changes row of resize, rebuild and os-migrations: the shape
# just below its version and at it.

def _below(version: Version) -> Version:
    return version[0], version[1] - 1


@pytest.fixture(scope='module')
def resized_once(compute: ComputeEnv, flavors: dict[str, str]) -> str:
    server_id = _boot(compute, flavors, 'versioned-resize')
    assert compute.admin.action(server_id, {'resize': {'flavorRef': flavors['big']}}
                                ).status_int == 202
    compute.wait(server_id, status='VERIFY_RESIZE')
    return server_id


@pytest.mark.parametrize('version,keys', [
    (changes.MIGRATION_TYPE, {'migration_type'}),
    (changes.MIGRATION_UUID, {'uuid'}),
    (changes.MIGRATION_USER_PROJECT, {'user_id', 'project_id'}),
])
def test_version_migration_fields(compute: ComputeEnv, resized_once: str, version: Version,
                                  keys: set[str]) -> None:
    [below] = _migrations(compute, resized_once, headers=_header(_below(version)))
    [at] = _migrations(compute, resized_once, headers=_header(version))
    assert not keys & set(below) and keys <= set(at)


def test_version_server_migrations_route(compute: ComputeEnv, resized_once: str) -> None:
    path = f'/servers/{resized_once}/migrations'
    assert compute.admin.get(path, headers=_header(_below(changes.MIGRATION_TYPE))
                             ).status_int == 404
    assert compute.admin.get(path, headers=_header(changes.MIGRATION_TYPE)).status_int == 200


@pytest.mark.parametrize('version,field,value', [
    (changes.REBUILD_KEY_NAME, 'key_name', None),
    (changes.REBUILD_USER_DATA, 'user_data', 'aGk='),
])
def test_version_rebuild_fields(compute: ComputeEnv, flavors: dict[str, str],
                                version: Version, field: str, value: Any) -> None:
    server_id = _boot(compute, flavors, f'versioned-{field}')
    body = {'rebuild': {'imageRef': compute.env.image['id'], field: value}}
    path = f'/servers/{server_id}/action'
    below = compute.admin.request('POST', path, body, headers=_header(_below(version)))
    assert below.status_int == 400 and field in below.text
    at = compute.admin.request('POST', path, body, headers=_header(version))
    assert at.status_int == 202, at.text
    # The answer carries the field from its version on (2.54's rebuild answers key_name).
    assert field in at.json['server'] and at.json['server'][field] == value
    compute.wait(server_id, status='ACTIVE')


def test_version_rebuild_full_body(compute: ComputeEnv, flavors: dict[str, str]) -> None:
    server_id = _boot(compute, flavors, 'versioned-rebuild-body')
    path = f'/servers/{server_id}/action'
    body = {'rebuild': {'imageRef': compute.env.image['id']}}
    below = compute.admin.request('POST', path, body,
                                  headers=_header(_below(changes.REBUILD_FULL_BODY)))
    assert below.status_int == 202 and 'OS-EXT-STS:task_state' not in below.json['server']
    assert 'key_name' in below.json['server']  # from 2.54
    compute.wait(server_id, status='ACTIVE')
    at = compute.admin.request('POST', path, body,
                               headers=_header(changes.REBUILD_FULL_BODY))
    assert at.status_int == 202 and 'key_name' in at.json['server']
    assert 'OS-EXT-SRV-ATTR:user_data' not in at.json['server']
    assert at.json['server']['user_data'] is None
    assert at.json['server']['server_groups'] == []
    compute.wait(server_id, status='ACTIVE')


def test_a_resized_domain_keeps_its_volumes(compute: ComputeEnv,
                                            flavors: dict[str, str]) -> None:
    server_id = str(compute.boot('resize-volume', flavorRef=flavors['small'])['id'])
    [volume] = [v['id'] for v in compute.admin.get(f'/servers/{server_id}').json['server'][
        'os-extended-volumes:volumes_attached']]
    [host] = compute.cloud.compute_hosts
    assert volume in host.manager.driver._domains[server_id].xml
    assert compute.admin.action(server_id, {'resize': {'flavorRef': flavors['big']}}
                                ).status_int == 202
    compute.wait(server_id, status='VERIFY_RESIZE')
    assert volume in host.manager.driver._domains[server_id].xml
    assert compute.admin.action(server_id, {'revertResize': {}}).status_int == 202
    compute.wait(server_id, status='ACTIVE')
    assert volume in host.manager.driver._domains[server_id].xml
    assert compute.admin.action(server_id, {'rebuild': {
        'imageRef': compute.env.image['id']}}).status_int == 202
    compute.wait(server_id, status='ACTIVE')
    assert volume in host.manager.driver._domains[server_id].xml
    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204
    compute.wait_gone(server_id)


def test_deleting_a_resized_server_confirms_its_resize(compute: ComputeEnv,
                                                       flavors: dict[str, str]) -> None:
    server_id = _boot(compute, flavors, 'deleted-resized')
    assert compute.admin.action(server_id, {'resize': {'flavorRef': flavors['big']}}
                                ).status_int == 202
    compute.wait(server_id, status='VERIFY_RESIZE')
    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204
    compute.wait_gone(server_id)
    [migration] = _migrations(compute, server_id)
    assert migration['status'] == 'confirmed'
    assert compute.cloud.services.scheduler_rpcapi.list_claims(
        _admin_ctx(), instance_id=server_id) == []


def test_force_delete_and_restore(compute: ComputeEnv, flavors: dict[str, str]) -> None:
    missing = str(uuid.uuid4())
    assert compute.admin.action(missing, {'forceDelete': {}}).status_int == 404
    assert compute.admin.action(missing, {'restore': {}}).status_int == 404
    server_id = _boot(compute, flavors, 'force-deleted')
    assert compute.admin.action(server_id, {'restore': None}).status_int == 409
    assert compute.admin.action(server_id, {'forceDelete': None}).status_int == 202
    compute.wait_gone(server_id)


@pytest.mark.parametrize('vm_state,task_state,status', [
    ('active', 'resize_prep', 'RESIZE'), ('stopped', 'resize_prep', 'RESIZE'),
    ('resized', None, 'VERIFY_RESIZE'), ('resized', 'resize_confirming', 'VERIFY_RESIZE'),
    ('resized', 'resize_reverting', 'REVERT_RESIZE'), ('active', 'rebuilding', 'REBUILD'),
    ('error', 'rebuilding', 'REBUILD'), ('error', 'rebooting_hard', 'ERROR'),
])
def test_the_statuses_of_resize_and_rebuild(compute: ComputeEnv, vm_state: str,
                                            task_state: str | None, status: str) -> None:
    from nova_lite.compute import server_status

    instances = compute.cloud.services.instances
    instance = instances.create(name=f'status-{vm_state}-{task_state}', project_id='p-status',
                                user_id='u', flavor_id='f', image_id=None,
                                availability_zone=None, metadata={}, build_request={})
    instances.update(instance['id'], vm_state=vm_state, task_state=task_state)
    assert server_status.status_of_instance(instances.get(instance['id'])) == status
    with compute.cloud.services.db.reader() as session:
        import sqlalchemy as sa

        from nova_lite.db.models import compute as models

        found = session.scalars(sa.select(models.Instance.id).where(
            models.Instance.project_id == 'p-status',
            server_status.status_condition(status))).all()
    assert instance['id'] in found
    instances.mark_deleted(instance['id'])


def test_inject_network_info_and_migrate(compute: ComputeEnv,
                                         flavors: dict[str, str]) -> None:
    missing = str(uuid.uuid4())
    assert compute.admin.action(missing, {'migrate': None}).status_int == 404
    server_id = _boot(compute, flavors, 'not-migrated')
    assert compute.admin.action(server_id, {'injectNetworkInfo': None}).status_int == 202
    refused = compute.admin.action(server_id, {'migrate': None})
    assert refused.status_int == 400 and 'migrate' in refused.text
    assert compute.member.action(server_id, {'migrate': None}).status_int in (403, 404)
    assert compute.wait(server_id)['status'] == 'ACTIVE'


def test_an_instance_without_a_recorded_flavor_resizes_from_its_flavor_row(
        compute: ComputeEnv, flavors: dict[str, str]) -> None:
    from nova_lite.common import exception
    from nova_lite.compute import resize_api

    services = compute.cloud.services
    resizes = resize_api.ResizeActions(
        actions=None, api=services.compute_api,  # type: ignore[arg-type]
        instances=services.instances, images=resize_api.image_client(services.image_proxy),
        migrations=services.migrations)  # type: ignore[arg-type]
    ctx = _admin_ctx()
    flavor = resizes._flavor_of(ctx, {'id': 'x', 'flavor_id': flavors['big'],
                                      'build_request': {}})
    assert (flavor['id'], flavor['vcpus'], flavor['root_gb']) == (flavors['big'], 2, 2)
    with pytest.raises(exception.Conflict):
        resizes._flavor_of(ctx, {'id': 'x', 'flavor_id': 'gone', 'build_request': {}})


def test_a_server_waiting_in_verify_resize_holds_no_orphan(compute: ComputeEnv,
                                                           flavors: dict[str, str]) -> None:
    from nova_lite import audit

    server_id = _boot(compute, flavors, 'audited-resize')
    assert compute.admin.action(server_id, {'resize': {'flavorRef': flavors['big']}}
                                ).status_int == 202
    compute.wait(server_id, status='VERIFY_RESIZE')
    cloud = compute.cloud
    orphans, _ = audit.Auditor(cloud.db, cloud.instances, cloud.compute_rpcapi,
                               cloud.resources, build_timeout=900,
                               instances_path=cloud.conf.compute.instances_path,
                               image_cache_dir=cloud.conf.compute.image_cache_dir).find()
    assert [o for o in orphans if o.instance_id == server_id] == []
