"""``/v2/tasks`` and the task schemas: admin-only, the legacy create refused with 400."""

from __future__ import annotations

from tests.unit.image_rest.conftest import ImageApi

IMPORT_TASK = {'type': 'import', 'input': {
    'import_from': 'http://does-not.exist/img.qcow2', 'import_from_format': 'qcow2',
    'image_properties': {'disk_format': 'qcow2', 'container_format': 'bare'}}}


def test_tasks_api_is_for_admins(api: ImageApi) -> None:
    member = api.user_token('member')
    assert api.call('GET', '/v2/tasks', token=member).status_int == 403
    assert api.call('POST', '/v2/tasks', json_body=IMPORT_TASK,
                    token=member).status_int == 403
    assert api.call('GET', '/v2/tasks/8e5d7b8d-5b86-4b0f-8f2c-000000000000',
                    token=member).status_int == 403
    resp = api.call('GET', '/v2/tasks')
    assert resp.status_int == 200
    assert resp.json == {'tasks': [], 'first': '/v2/tasks', 'schema': '/v2/schemas/tasks'}


def test_unknown_task_is_not_found(api: ImageApi) -> None:
    assert api.call('GET', '/v2/tasks/8e5d7b8d-5b86-4b0f-8f2c-000000000000').status_int == 404
    assert api.call('GET', '/v2/tasks/not-a-uuid').status_int == 404


def test_list_query_is_validated(api: ImageApi) -> None:
    for query in ('status=done', 'sort_key=owner', 'sort_dir=up', 'limit=-1', 'type=other',
                  'marker=8e5d7b8d-5b86-4b0f-8f2c-000000000000'):
        resp = api.call('GET', f'/v2/tasks?{query}')
        assert resp.status_int == 400, (query, resp.text)


def test_legacy_import_task_is_refused_at_create(api: ImageApi) -> None:
    resp = api.call('POST', '/v2/tasks', json_body=IMPORT_TASK)
    assert resp.status_int == 400 and 'import_from' in resp.text
    for body in ({}, {'type': 'export', 'input': {}}, {'type': 'import'},
                 {'type': 'import', 'input': {'import_from': 'x'}}):
        assert api.call('POST', '/v2/tasks', json_body=body).status_int == 400, body
    assert api.call('GET', '/v2/tasks').json['tasks'] == []


def test_task_schemas(api: ImageApi) -> None:
    task = api.call('GET', '/v2/schemas/task').json
    assert task['name'] == 'task'
    assert {'id', 'type', 'status', 'input', 'result', 'message'} <= task['properties'].keys()
    tasks = api.call('GET', '/v2/schemas/tasks').json
    assert tasks['name'] == 'tasks'
    assert 'input' not in tasks['properties']['tasks']['items']['properties']
    assert api.call('GET', '/v2/schemas/task', token='').status_int == 401
