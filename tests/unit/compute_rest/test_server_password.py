"""``/servers/{id}/os-server-password``: show ('' when none) and clear (204)."""

from __future__ import annotations

import pytest

from nova_lite.compute.rest import server_password
from tests.unit.compute_rest.conftest import ComputeEnv


@pytest.fixture(scope='module')
def server_id(compute: ComputeEnv) -> str:
    return compute.boot('password-vm', with_volume=False)['id']


def test_no_password_is_an_empty_string(compute: ComputeEnv, server_id: str) -> None:
    response = compute.reader.get(f'/servers/{server_id}/os-server-password')
    assert response.status_int == 200, response.text
    assert response.json == {'password': ''}


def test_a_stored_password_is_shown_then_cleared(compute: ComputeEnv,
                                                 server_id: str) -> None:
    instances = compute.cloud.services.instances
    instances.change_details(server_id, build_request={
        server_password.SYSTEM_METADATA: {'password': 'ZW5jcnlwdGVk', 'other': 'kept'}})
    path = f'/servers/{server_id}/os-server-password'
    assert compute.admin.get(path).json == {'password': 'ZW5jcnlwdGVk'}
    # A reader may look but not clear.
    assert compute.reader.delete(path).status_int == 403
    cleared = compute.admin.delete(path)
    assert cleared.status_int == 204 and cleared.body == b''
    assert compute.admin.get(path).json == {'password': ''}
    record = instances.get(server_id)['build_request'][server_password.SYSTEM_METADATA]
    assert record == {'other': 'kept'}
    assert compute.admin.delete(path).status_int == 204  # clearing again is fine


def test_another_projects_or_unknown_server_is_404(compute: ComputeEnv,
                                                   server_id: str) -> None:
    assert compute.member.get(f'/servers/{server_id}/os-server-password').status_int == 404
    assert compute.member.delete(f'/servers/{server_id}/os-server-password').status_int == 404
    missing = '00000000-0000-0000-0000-000000000000'
    assert compute.admin.get(f'/servers/{missing}/os-server-password').status_int == 404
