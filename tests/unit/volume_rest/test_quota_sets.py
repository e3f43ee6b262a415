"""Block storage quotas through the REST API: shapes, validation, policy, 413s, /limits."""

from __future__ import annotations

from typing import Any

from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, make_user, osc_create_body

BASE_KEYS = {'volumes', 'snapshots', 'gigabytes', 'backups', 'backup_gigabytes', 'groups',
             'per_volume_gigabytes'}


def _member(env: CloudEnv, app: Any) -> Client:
    return make_user(env, app, ['member'])


def test_show_defaults_and_usage_shapes(admin: Client, env: CloudEnv, app: Any) -> None:
    member = _member(env, app)
    target = member.project_id
    shown = admin.get(f'/os-quota-sets/{target}')
    assert shown.status_int == 200, shown.text
    quota_set = shown.json['quota_set']
    assert quota_set['id'] == target
    assert BASE_KEYS <= set(quota_set)
    assert quota_set['volumes'] == 10 and quota_set['per_volume_gigabytes'] == -1
    assert quota_set['volumes___DEFAULT__'] == -1
    defaults = admin.get(f'/os-quota-sets/{target}/defaults').json['quota_set']
    assert defaults['gigabytes'] == 1000 and defaults['id'] == target
    assert member.post('/volumes', osc_create_body(size=2)).status_int == 202
    usage = admin.get(f'/os-quota-sets/{target}?usage=True').json['quota_set']
    assert usage['volumes'] == {'limit': 10, 'in_use': 1, 'reserved': 0}
    assert usage['gigabytes']['in_use'] == 2
    # A member sees its own project's quotas, not another's.
    assert member.get(f'/os-quota-sets/{target}').status_int == 200
    assert member.get(f'/os-quota-sets/{admin.project_id}').status_int == 403


def test_update_validation(admin: Client, env: CloudEnv, app: Any) -> None:
    target = _member(env, app).project_id
    path = f'/os-quota-sets/{target}'
    updated = admin.put(path, {'quota_set': {'volumes': 5, 'gigabytes': '200',
                                             'tenant_id': target}})
    assert updated.status_int == 200, updated.text
    assert updated.json['quota_set']['volumes'] == 5
    assert updated.json['quota_set']['gigabytes'] == 200
    assert 'id' not in updated.json['quota_set']
    for bad in ({'volumes': -2}, {'volumes': 'many'}, {'volumes': True},
                {'volumes': 1.5}, {'bogus': 1}):
        response = admin.put(path, {'quota_set': bad})
        assert response.status_int == 400, (bad, response.text)
    assert 'bogus' in admin.put(path, {'quota_set': {'bogus': 1}}).json[
        'badRequest']['message']
    assert admin.put(path, {'volumes': 1}).status_int == 400


def test_updates_are_for_admins(env: CloudEnv, app: Any) -> None:
    member = _member(env, app)
    path = f'/os-quota-sets/{member.project_id}'
    assert member.put(path, {'quota_set': {'volumes': 50}}).status_int == 403
    assert member.delete(path).status_int == 403
    assert member.get('/os-quota-class-sets/default').status_int == 403


def test_limit_below_usage_and_delete(admin: Client, env: CloudEnv, app: Any) -> None:
    member = _member(env, app)
    path = f'/os-quota-sets/{member.project_id}'
    assert member.post('/volumes', osc_create_body(size=1)).status_int == 202
    assert member.post('/volumes', osc_create_body(size=1)).status_int == 202
    refused = admin.put(path, {'quota_set': {'volumes': 1}})
    assert refused.status_int == 400
    assert 'Current usage is 2' in refused.json['badRequest']['message']
    assert admin.put(path, {'quota_set': {'volumes': 2}}).status_int == 200
    over = member.post('/volumes', osc_create_body(size=1))
    assert over.status_int == 413
    assert over.json['overLimit']['message'] == (
        "Maximum number of volumes allowed (2) exceeded for quota 'volumes'.")
    deleted = admin.delete(path)
    assert deleted.status_int == 200
    assert admin.get(path).json['quota_set']['volumes'] == 10
    assert member.post('/volumes', osc_create_body(size=1)).status_int == 202


def test_snapshot_and_extend_over_quota(admin: Client, env: CloudEnv, app: Any) -> None:
    member = _member(env, app)
    admin.put(f'/os-quota-sets/{member.project_id}',
              {'quota_set': {'gigabytes': 2, 'snapshots': 1}})
    volume = member.post('/volumes', osc_create_body(size=1)).json['volume']
    extend = member.post(f'/volumes/{volume["id"]}/action', {'os-extend': {'new_size': 3}})
    assert extend.status_int == 413, extend.text
    assert 'gigabytes quota' in extend.json['overLimit']['message']
    snapshot = member.post('/snapshots', {'snapshot': {'volume_id': volume['id']}})
    assert snapshot.status_int == 202, snapshot.text
    second = member.post('/snapshots', {'snapshot': {'volume_id': volume['id']}})
    assert second.status_int == 413
    assert 'snapshots' in second.json['overLimit']['message']


def test_quota_classes(admin: Client, env: CloudEnv, app: Any) -> None:
    shown = admin.get('/os-quota-class-sets/default').json['quota_class_set']
    assert shown['id'] == 'default' and BASE_KEYS <= set(shown)
    try:
        updated = admin.put('/os-quota-class-sets/default',
                            {'quota_class_set': {'backups': 12}})
        assert updated.status_int == 200, updated.text
        assert updated.json['quota_class_set']['backups'] == 12
        target = _member(env, app).project_id
        assert admin.get(f'/os-quota-sets/{target}/defaults').json['quota_set'][
            'backups'] == 12
        assert admin.put('/os-quota-class-sets/default',
                         {'quota_class_set': {'nope': 1}}).status_int == 400
    finally:
        admin.put('/os-quota-class-sets/default', {'quota_class_set': {'backups': 10}})


def test_limits_show_the_project_maxima(admin: Client, env: CloudEnv, app: Any) -> None:
    member = _member(env, app)
    admin.put(f'/os-quota-sets/{member.project_id}',
              {'quota_set': {'volumes': 4, 'gigabytes': 40}})
    member.post('/volumes', osc_create_body(size=3))
    absolute = member.get('/limits').json['limits']['absolute']
    assert absolute['maxTotalVolumes'] == 4
    assert absolute['maxTotalVolumeGigabytes'] == 40
    assert absolute['maxTotalSnapshots'] == 10
    assert absolute['totalVolumesUsed'] == 1
    assert absolute['totalGigabytesUsed'] == 3
