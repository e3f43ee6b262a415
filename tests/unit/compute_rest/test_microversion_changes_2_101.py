"""The rows of version_changes.TABLE from 2.101 on: the shape just below and at each."""

from __future__ import annotations

import time
import uuid
from typing import Any

import webob

from nova_lite.compute.rest import api_version
from nova_lite.compute.rest import version_changes as changes
from tests.unit.compute_rest.conftest import ComputeEnv

Version = api_version.Version


def _at(version: Version) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {api_version.text(version)}'}


def _below(version: Version) -> Version:
    return version[0], version[1] - 1


def _attach(compute: ComputeEnv, server_id: str, version: Version) -> tuple[str,
                                                                           webob.Response]:
    volume = compute.cloud.services.volumes.create_volume(compute.env.ctx, 1)
    response = compute.admin.request(
        'POST', f'/servers/{server_id}/os-volume_attachments',
        {'volumeAttachment': {'volumeId': volume['id']}}, headers=_at(version))
    return volume['id'], response


def _wait_attached(compute: ComputeEnv, server_id: str, volume_id: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        listed = compute.admin.get(f'/servers/{server_id}/os-volume_attachments').json
        if volume_id in [a['volumeId'] for a in listed['volumeAttachments']]:
            return
        time.sleep(0.05)
    raise AssertionError(f'{volume_id} not attached to {server_id}')


def test_volume_attach_async(compute: ComputeEnv) -> None:
    server_id = compute.boot('attach-async', with_volume=False)['id']
    volume_id, below = _attach(compute, server_id, _below(changes.VOLUME_ATTACH_ASYNC))
    assert below.status_int == 200 and below.json['volumeAttachment']['volumeId'] == volume_id
    _wait_attached(compute, server_id, volume_id)
    compute.wait(server_id)
    volume_id, at = _attach(compute, server_id, changes.VOLUME_ATTACH_ASYNC)
    assert at.status_int == 202 and at.body == b''
    _wait_attached(compute, server_id, volume_id)


def test_volume_attachment_update_needs_the_attachment(compute: ComputeEnv) -> None:
    server_id = compute.boot('attach-update', with_volume=False)['id']
    missing = str(uuid.uuid4())
    response = compute.admin.request(
        'PUT', f'/servers/{server_id}/os-volume_attachments/{missing}',
        {'volumeAttachment': {'volumeId': str(uuid.uuid4())}})
    assert response.status_int == 404, response.text
    volume_id, _attached = _attach(compute, server_id, _below(changes.VOLUME_ATTACH_ASYNC))
    _wait_attached(compute, server_id, volume_id)
    swap = compute.admin.request(
        'PUT', f'/servers/{server_id}/os-volume_attachments/{volume_id}',
        {'volumeAttachment': {'volumeId': str(uuid.uuid4())}})
    assert swap.status_int == 400 and 'volumeAttachment.volumeId' in swap.text


def _flavors(compute: ComputeEnv, version: Version, query: str = '') -> webob.Response:
    return compute.member.get(f'/flavors/detail{query}', headers=_at(version))


def test_flavor_name_filter(compute: ComputeEnv) -> None:
    name = compute.env.flavor['name']
    below = _flavors(compute, _below(changes.FLAVOR_NAME_FILTER), '?name=no-such-flavor')
    assert name in [f['name'] for f in below.json['flavors']]  # ignored below 2.102
    at = _flavors(compute, changes.FLAVOR_NAME_FILTER, f'?name={name[:3]}')
    assert name in [f['name'] for f in at.json['flavors']]
    none = _flavors(compute, changes.FLAVOR_NAME_FILTER, '?name=^no-such-flavor$')
    assert none.status_int == 200 and none.json['flavors'] == []
    bad = _flavors(compute, changes.FLAVOR_NAME_FILTER, '?name=(')
    assert bad.status_int == 400 and "'name'" in bad.text


def test_flavor_sorting(compute: ComputeEnv) -> None:
    for version in (changes.FLAVOR_SWAP_ZERO, changes.FLAVOR_NAME_FILTER):
        ram = [f['ram'] for f in _flavors(compute, version,
                                          '?sort_key=memory_mb&sort_dir=desc').json['flavors']]
        assert ram == sorted(ram, reverse=True)
    refused = _flavors(compute, changes.FLAVOR_NAME_FILTER, '?sort_key=rxtx_factor')
    assert refused.status_int == 400


def test_flavor_no_rxtx_disabled(compute: ComputeEnv) -> None:
    flavor_id = compute.env.flavor['id']
    below = compute.member.get(f'/flavors/{flavor_id}',
                               headers=_at(_below(changes.FLAVOR_NO_RXTX_DISABLED)))
    assert {'rxtx_factor', 'OS-FLV-DISABLED:disabled'} <= set(below.json['flavor'])
    at = compute.member.get(f'/flavors/{flavor_id}',
                            headers=_at(changes.FLAVOR_NO_RXTX_DISABLED)).json['flavor']
    assert 'rxtx_factor' not in at and 'OS-FLV-DISABLED:disabled' not in at
    body: dict[str, Any] = {'flavor': {'name': 'rxtx', 'ram': 64, 'vcpus': 1, 'disk': 1,
                                       'rxtx_factor': 2.0}}
    refused = compute.admin.request('POST', '/flavors', body,
                                    headers=_at(changes.FLAVOR_NO_RXTX_DISABLED))
    assert refused.status_int == 400 and 'rxtx_factor' in refused.text


def test_strict_query_everywhere(compute: ComputeEnv) -> None:
    for path in ('/os-keypairs', '/os-server-groups', '/limits', '/flavors',
                 '/os-simple-tenant-usage'):
        below = compute.admin.get(f'{path}?bogus=1',
                                  headers=_at(_below(changes.STRICT_QUERY_EVERYWHERE)))
        assert below.status_int == 200, (path, below.text)
        at = compute.admin.get(f'{path}?bogus=1', headers=_at(changes.STRICT_QUERY_EVERYWHERE))
        assert at.status_int == 400 and "'bogus'" in at.text, (path, at.text)


def test_volumes_boot_removed(compute: ComputeEnv) -> None:
    for version in (_below(changes.VOLUMES_BOOT_REMOVED), changes.VOLUMES_BOOT_REMOVED):
        assert compute.admin.get('/os-volumes_boot', headers=_at(version)).status_int == 404


def test_server_pinned_az_update(compute: ComputeEnv) -> None:
    server_id = compute.boot('pinned', with_volume=False, availability_zone='nova')['id']

    def put(value: Any, version: Version = changes.SERVER_PINNED_AZ_UPDATE) -> webob.Response:
        return compute.admin.request('PUT', f'/servers/{server_id}',
                                     {'server': {'pinned_availability_zone': value}},
                                     headers=_at(version))

    refused = put(None, _below(changes.SERVER_PINNED_AZ_UPDATE))
    assert refused.status_int == 400 and 'pinned_availability_zone' in refused.text
    assert put('other-zone').status_int == 409  # pinned to nova: unpin first
    unpinned = put(None)
    assert unpinned.status_int == 200 and unpinned.json['server']['pinned_availability_zone'] \
        is None
    assert put(None).status_int == 200  # already unpinned: a no-op
    assert put('other-zone').status_int == 409  # not where the server is
    repinned = put('nova')
    assert repinned.status_int == 200
    assert repinned.json['server']['pinned_availability_zone'] == 'nova'
    assert put('nova').status_int == 200
    shown = compute.admin.get(f'/servers/{server_id}',
                              headers=_at(changes.SERVER_PINNED_AZ_UPDATE)).json['server']
    assert shown['pinned_availability_zone'] == 'nova'
