"""One test per row of version_changes.TABLE: the shape just below and at its version."""

from __future__ import annotations

from typing import Any

import pytest
import webob

from nova_lite.compute.rest import api_version
from nova_lite.compute.rest import version_changes as changes
from tests.unit.compute_rest.conftest import Client, ComputeEnv

Version = api_version.Version


def _at(version: Version) -> dict[str, str]:
    return {'OpenStack-API-Version': f'compute {api_version.text(version)}'}


def _below(version: Version) -> Version:
    return version[0], version[1] - 1


def _get(client: Client, path: str, version: Version) -> webob.Response:
    response = client.get(path, headers=_at(version))
    assert response.status_int == 200, response.text
    return response


@pytest.fixture(scope='module')
def group_id(compute: ComputeEnv) -> str:
    response = compute.admin.post('/os-server-groups', {
        'server_group': {'name': 'versioned', 'policies': ['affinity']}})
    assert response.status_int == 200, response.text
    return str(response.json['server_group']['id'])


@pytest.fixture(scope='module')
def server_id(compute: ComputeEnv, group_id: str) -> str:
    """A server booted at 2.100 with a description, tags, a zone and hints."""
    body = compute.server_body('versioned', with_volume=False, description='a server',
                               tags=['blue', 'green'], availability_zone='nova')
    response = compute.admin.post('/servers', {
        'server': body, 'os:scheduler_hints': {'group': group_id}},
        headers=_at((2, 100)))
    assert response.status_int == 202, response.text
    compute.wait(response.json['server']['id'])
    return response.json['server']['id']


def _server(compute: ComputeEnv, server_id: str, version: Version,
            client: Client | None = None) -> dict[str, Any]:
    return _get(client or compute.admin, f'/servers/{server_id}', version).json['server']


def _listed(compute: ComputeEnv, server_id: str, version: Version) -> dict[str, Any]:
    servers = _get(compute.admin, '/servers/detail', version).json['servers']
    [server] = [s for s in servers if s['id'] == server_id]
    return server


def test_server_extended_attributes(compute: ComputeEnv, server_id: str) -> None:
    below = _server(compute, server_id, (2, 1))
    assert 'OS-EXT-SRV-ATTR:hostname' not in below
    assert 'OS-EXT-SRV-ATTR:host' in below  # 2.1's admin attributes stay
    at = _server(compute, server_id, changes.SERVER_EXTENDED_ATTRIBUTES)
    assert at['OS-EXT-SRV-ATTR:hostname'] == 'versioned'
    assert at['OS-EXT-SRV-ATTR:launch_index'] == 0
    assert at['OS-EXT-SRV-ATTR:user_data'] is None


def test_server_extended_attributes_are_for_admins(compute: ComputeEnv) -> None:
    member_server = compute.create('member-vm', compute.member, with_volume=False,
                                   networks='none')
    compute.wait(member_server, client=compute.member)
    shown = _server(compute, member_server, _below(changes.SERVER_HOSTNAME), compute.member)
    assert not any(key.startswith('OS-EXT-SRV-ATTR:') for key in shown)
    # From 2.90 everyone sees the hostname, and only it.
    shown = _server(compute, member_server, (2, 100), compute.member)
    assert [key for key in shown if key.startswith('OS-EXT-SRV-ATTR:')] == [
        'OS-EXT-SRV-ATTR:hostname']


@pytest.mark.parametrize('version,key,value', [
    (changes.SERVER_LOCKED, 'locked', False),
    (changes.SERVER_DESCRIPTION, 'description', 'a server'),
    (changes.SERVER_TAGS, 'tags', ['blue', 'green']),
    (changes.SERVER_TRUSTED_CERTS, 'trusted_image_certificates', None),
    (changes.SERVER_LOCKED_REASON, 'locked_reason', None),
    (changes.SERVER_PINNED_AZ, 'pinned_availability_zone', 'nova'),
    (changes.SERVER_SCHEDULER_HINTS, 'scheduler_hints', {'group': 'GROUP'}),
])
def test_server_fields(compute: ComputeEnv, server_id: str, group_id: str, version: Version,
                       key: str, value: Any) -> None:
    if value == {'group': 'GROUP'}:
        value = {'group': group_id}
    for shape in (_server, _listed):
        assert key not in shape(compute, server_id, _below(version))
        assert shape(compute, server_id, version)[key] == value


def test_server_description_defaults_to_null(compute: ComputeEnv) -> None:
    plain = compute.create('plain', with_volume=False)
    assert _server(compute, plain, changes.SERVER_DESCRIPTION)['description'] is None
    assert _server(compute, plain, changes.SERVER_TAGS)['tags'] == []
    assert _server(compute, plain, changes.SERVER_SCHEDULER_HINTS)['scheduler_hints'] == {}


def test_server_groups_in_show_only(compute: ComputeEnv, server_id: str,
                                    group_id: str) -> None:
    assert 'server_groups' not in _server(compute, server_id,
                                          _below(changes.SERVER_GROUPS_IN_SHOW))
    assert _server(compute, server_id,
                   changes.SERVER_GROUPS_IN_SHOW)['server_groups'] == [group_id]
    assert 'server_groups' not in _listed(compute, server_id, (2, 100))


def test_server_flavor_embedded(compute: ComputeEnv, server_id: str) -> None:
    flavor = compute.env.flavor
    below = _server(compute, server_id, _below(changes.SERVER_FLAVOR_EMBEDDED))['flavor']
    assert below['id'] == flavor['id'] and 'links' in below
    at = _server(compute, server_id, changes.SERVER_FLAVOR_EMBEDDED)['flavor']
    assert at == {'original_name': flavor['name'], 'vcpus': flavor['vcpus'],
                  'ram': flavor['memory_mb'], 'disk': flavor['root_gb'],
                  'ephemeral': flavor['ephemeral_gb'], 'swap': flavor['swap']}


def test_server_image_properties(compute: ComputeEnv, server_id: str) -> None:
    below = _server(compute, server_id, _below(changes.SERVER_IMAGE_PROPERTIES))['image']
    assert 'properties' not in below
    at = _server(compute, server_id, changes.SERVER_IMAGE_PROPERTIES)['image']
    assert at['id'] == compute.env.image['id'] and isinstance(at['properties'], dict)


@pytest.mark.parametrize('version,field,value', [
    (changes.SERVER_DESCRIPTION, 'description', 'described'),
    (changes.SERVER_CREATE_TAGS, 'tags', []),  # what Ansible always sends
])
def test_server_create_fields(compute: ComputeEnv, version: Version, field: str,
                              value: Any) -> None:
    body = {'server': compute.server_body(f'with-{field}', with_volume=False,
                                          **{field: value})}
    refused = compute.admin.post('/servers', body, headers=_at(_below(version)))
    assert refused.status_int == 400 and field in refused.text
    accepted = compute.admin.post('/servers', body, headers=_at(version))
    assert accepted.status_int == 202, accepted.text


@pytest.mark.parametrize('field,value', [
    ('tags', ['a/b']), ('tags', ['x' * 61]), ('tags', [str(n) for n in range(51)]),
    ('description', 'x' * 256), ('description', 'bad\x01'),
])
def test_server_create_bad_fields(compute: ComputeEnv, field: str, value: Any) -> None:
    body = {'server': compute.server_body('bad', with_volume=False, **{field: value})}
    response = compute.admin.post('/servers', body, headers=_at((2, 100)))
    assert response.status_int == 400 and field in response.text


def _flavor(compute: ComputeEnv, version: Version, path: str = '') -> dict[str, Any]:
    flavor_id = compute.env.flavor['id']
    return _get(compute.member, f'/flavors/{flavor_id}{path}', version).json['flavor']


def test_flavor_description(compute: ComputeEnv) -> None:
    flavor_id = compute.env.flavor['id']
    below = _below(changes.FLAVOR_DESCRIPTION)
    assert 'description' not in _flavor(compute, below)
    for flavor in _get(compute.member, '/flavors', below).json['flavors']:
        assert 'description' not in flavor
    assert 'description' in _flavor(compute, changes.FLAVOR_DESCRIPTION)
    for flavor in _get(compute.member, '/flavors', changes.FLAVOR_DESCRIPTION).json['flavors']:
        assert 'description' in flavor

    body = {'flavor': {'name': 'described', 'ram': 64, 'vcpus': 1, 'disk': 0,
                       'description': 'small'}}
    refused = compute.admin.post('/flavors', body, headers=_at(below))
    assert refused.status_int == 400 and 'description' in refused.text
    created = compute.admin.post('/flavors', body, headers=_at(changes.FLAVOR_DESCRIPTION))
    assert created.status_int == 200 and created.json['flavor']['description'] == 'small'

    update = {'flavor': {'description': 'changed'}}
    path = f'/flavors/{flavor_id}'
    assert compute.admin.request('PUT', path, update, headers=_at(below)).status_int == 404
    at = _at(changes.FLAVOR_DESCRIPTION)
    assert compute.member.request('PUT', path, update, headers=at).status_int == 403
    bad = compute.admin.request('PUT', path, {'flavor': {'name': 'x'}}, headers=at)
    assert bad.status_int == 400
    assert compute.admin.request('PUT', '/flavors/nope', update, headers=at).status_int == 404
    updated = compute.admin.request('PUT', path, update, headers=at)
    assert updated.status_int == 200, updated.text
    assert updated.json['flavor']['description'] == 'changed'
    assert _flavor(compute, changes.FLAVOR_DESCRIPTION)['description'] == 'changed'


def test_flavor_extra_specs(compute: ComputeEnv) -> None:
    assert 'extra_specs' not in _flavor(compute, _below(changes.FLAVOR_EXTRA_SPECS))
    assert _flavor(compute, changes.FLAVOR_EXTRA_SPECS)['extra_specs'] == {}
    detail = _get(compute.member, '/flavors/detail', changes.FLAVOR_EXTRA_SPECS).json
    assert all(f['extra_specs'] == {} for f in detail['flavors'])
    brief = _get(compute.member, '/flavors', changes.FLAVOR_EXTRA_SPECS).json
    assert all('extra_specs' not in f for f in brief['flavors'])


def test_flavor_swap_zero(compute: ComputeEnv) -> None:
    assert compute.env.flavor['swap'] == 0
    assert _flavor(compute, _below(changes.FLAVOR_SWAP_ZERO))['swap'] == ''
    assert _flavor(compute, changes.FLAVOR_SWAP_ZERO)['swap'] == 0


@pytest.mark.parametrize('value,public', [('True', True), ('False', False), ('false', False),
                                          (True, True), ('1', True)])
def test_flavor_is_public_strings(compute: ComputeEnv, value: Any, public: bool) -> None:
    body = {'flavor': {'name': f'public-{value!r}', 'ram': 64, 'vcpus': 1, 'disk': 0,
                       'os-flavor-access:is_public': value}}
    created = compute.admin.post('/flavors', body)
    assert created.status_int == 200, created.text
    assert created.json['flavor']['os-flavor-access:is_public'] is public


@pytest.mark.parametrize('version,dropped', [
    (changes.PROXY_APIS_REMOVED, 'maxSecurityGroups'),
    (changes.PROXY_APIS_REMOVED, 'totalFloatingIpsUsed'),
    (changes.LIMITS_NO_IMAGE_META, 'maxImageMeta'),
    (changes.PROXY_APIS_REMOVED, 'maxSecurityGroups'),
    (changes.PROXY_APIS_REMOVED, 'totalFloatingIpsUsed'),
    (changes.LIMITS_NO_PERSONALITY, 'maxPersonality'),
    (changes.LIMITS_NO_PERSONALITY, 'maxPersonalitySize'),
])
def test_limits(compute: ComputeEnv, version: Version, dropped: str) -> None:
    def absolute(at: Version) -> dict[str, int]:
        return _get(compute.member, '/limits', at).json['limits']['absolute']
    assert dropped in absolute(_below(version))
    at = absolute(version)
    assert dropped not in at and 'maxTotalInstances' in at


@pytest.mark.parametrize('version,dropped', [
    (changes.PROXY_APIS_REMOVED, 'floating_ips'),
    (changes.PROXY_APIS_REMOVED, 'security_group_rules'),
    (changes.LIMITS_NO_PERSONALITY, 'injected_files'),
    (changes.LIMITS_NO_PERSONALITY, 'injected_file_path_bytes'),
])
def test_quota_sets_drop_resources(compute: ComputeEnv, version: Version,
                                   dropped: str) -> None:
    path = f'/os-quota-sets/{compute.other_project}'
    assert dropped in _get(compute.admin, path, _below(version)).json['quota_set']
    assert dropped not in _get(compute.admin, path, version).json['quota_set']
    refused = compute.admin.request('PUT', path, {'quota_set': {dropped: 5}},
                                    headers=_at(version))
    assert refused.status_int == 400


def test_quota_class_server_groups(compute: ComputeEnv) -> None:
    path = '/os-quota-class-sets/default'
    below = _get(compute.admin, path, _below(changes.QUOTA_CLASS_SERVER_GROUPS))
    assert 'server_groups' not in below.json['quota_class_set']
    assert 'floating_ips' in below.json['quota_class_set']
    at = _get(compute.admin, path, changes.QUOTA_CLASS_SERVER_GROUPS).json['quota_class_set']
    assert at['server_groups'] == 10 and at['server_group_members'] == 10
    assert 'floating_ips' not in at


def test_tenant_usage_paging(compute: ComputeEnv, server_id: str) -> None:
    compute.boot('paged-usage', with_volume=False)
    path = '/os-simple-tenant-usage?detailed=1&limit=1&start=2000-01-01T00:00:00'
    below = _get(compute.admin, path, _below(changes.TENANT_USAGE_PAGING)).json
    assert 'tenant_usages_links' not in below
    assert sum(len(u['server_usages']) for u in below['tenant_usages']) >= 2
    at = _get(compute.admin, path, changes.TENANT_USAGE_PAGING).json
    assert sum(len(u['server_usages']) for u in at['tenant_usages']) == 1
    [link] = at['tenant_usages_links']
    assert link['rel'] == 'next' and 'marker=' in link['href']


def test_hypervisor_no_usage(compute: ComputeEnv, server_id: str) -> None:
    [below] = _get(compute.admin, '/os-hypervisors/detail',
                   _below(changes.HYPERVISOR_NO_USAGE)).json['hypervisors']
    assert below['vcpus'] > 0 and 'cpu_info' in below
    assert isinstance(below['running_vms'], int) and below['running_vms'] >= 1
    [at] = _get(compute.admin, '/os-hypervisors/detail',
                changes.HYPERVISOR_NO_USAGE).json['hypervisors']
    assert 'vcpus' not in at and 'memory_mb' not in at and 'cpu_info' not in at
    assert at['id'] == below['id'] and at['service']['host'] == 'host1'


@pytest.mark.parametrize('path', ['/images', '/images/detail', '/os-volumes',
                                  '/os-volumes/detail', '/os-snapshots', '/os-networks'])
def test_proxy_apis_removed(compute: ComputeEnv, path: str) -> None:
    _get(compute.admin, path, _below(changes.PROXY_APIS_REMOVED))
    gone = compute.admin.get(path, headers=_at(changes.PROXY_APIS_REMOVED))
    assert gone.status_int == 404


def test_proxy_apis_removed_for_members_too(compute: ComputeEnv) -> None:
    image_path = f'/images/{compute.env.image["id"]}'
    _get(compute.admin, image_path, _below(changes.PROXY_APIS_REMOVED))
    assert compute.admin.get(image_path,
                             headers=_at(changes.PROXY_APIS_REMOVED)).status_int == 404
    body = {'volume': {'size': 1}}
    assert compute.member.post('/os-volumes', body,
                               headers=_at(changes.PROXY_APIS_REMOVED)).status_int == 404


def test_image_meta_proxy_removed(compute: ComputeEnv) -> None:
    path = f'/images/{compute.env.image["id"]}/metadata'
    _get(compute.admin, path, _below(changes.IMAGE_META_PROXY_REMOVED))
    gone = compute.admin.get(path, headers=_at(changes.IMAGE_META_PROXY_REMOVED))
    assert gone.status_int == 404


def test_diagnostics_standard(compute: ComputeEnv, server_id: str) -> None:
    path = f'/servers/{server_id}/diagnostics'
    below = _get(compute.admin, path, _below(changes.DIAGNOSTICS_STANDARD)).json
    assert 'memory' in below and 'memory_details' not in below
    at = _get(compute.admin, path, changes.DIAGNOSTICS_STANDARD).json
    assert at['memory_details']['maximum'] > 0 and 'memory' not in at


@pytest.mark.parametrize('version,name,tag', [
    (changes.EVENT_POWER_UPDATE, 'power-update', 'POWER_ON'),
    (changes.EVENT_ACCELERATOR_BOUND, 'accelerator-request-bound', 'arq-1'),
    (changes.EVENT_VOLUME_REIMAGED, 'volume-reimaged', 'vol-1'),
])
def test_external_event_names(compute: ComputeEnv, server_id: str, version: Version,
                              name: str, tag: str) -> None:
    body = {'events': [{'name': name, 'server_uuid': server_id, 'tag': tag}]}
    below = compute.admin.post('/os-server-external-events', body,
                               headers=_at(_below(version)))
    assert below.status_int == 400
    at = compute.admin.post('/os-server-external-events', body, headers=_at(version))
    assert at.status_int == 200, at.text
    assert at.json['events'][0]['code'] == 200
def _group_at(compute: ComputeEnv, version: Version, body: dict[str, Any]) -> dict[str, Any]:
    response = compute.member.post('/os-server-groups', {'server_group': body},
                                   headers=_at(version))
    assert response.status_int == 200, response.text
    return dict(response.json['server_group'])


def test_server_group_owner(compute: ComputeEnv) -> None:
    below = _group_at(compute, _below(changes.SERVER_GROUP_OWNER),
                      {'name': 'g', 'policies': ['affinity']})
    assert 'project_id' not in below and 'user_id' not in below
    at = _group_at(compute, changes.SERVER_GROUP_OWNER, {'name': 'g', 'policies': ['affinity']})
    assert at['project_id'] == compute.other_project
    assert at['user_id']


def test_server_group_soft_policies(compute: ComputeEnv) -> None:
    body = {'server_group': {'name': 'g', 'policies': ['soft-anti-affinity']}}
    refused = compute.member.post('/os-server-groups', body,
                                  headers=_at(_below(changes.SERVER_GROUP_SOFT_POLICIES)))
    assert refused.status_int == 400, refused.text
    assert 'policies' in refused.text
    at = _group_at(compute, changes.SERVER_GROUP_SOFT_POLICIES, body['server_group'])
    assert at['policies'] == ['soft-anti-affinity']


def test_server_group_policy_rules(compute: ComputeEnv) -> None:
    below = _group_at(compute, _below(changes.SERVER_GROUP_POLICY_RULES),
                      {'name': 'g', 'policies': ['anti-affinity']})
    assert below['policies'] == ['anti-affinity'] and below['metadata'] == {}
    assert 'policy' not in below and 'rules' not in below
    refused = compute.member.post('/os-server-groups', {'server_group': {
        'name': 'g', 'policy': 'anti-affinity'}},
        headers=_at(_below(changes.SERVER_GROUP_POLICY_RULES)))
    assert refused.status_int == 400, refused.text
    at = _group_at(compute, changes.SERVER_GROUP_POLICY_RULES,
                   {'name': 'g', 'policy': 'anti-affinity', 'rules': {'max_server_per_host': 2}})
    assert at['policy'] == 'anti-affinity' and at['rules'] == {'max_server_per_host': 2}
    assert 'policies' not in at and 'metadata' not in at
# os-instance-actions (one test per row) ----------------------------------------------

def _actions_path(server_id: str) -> str:
    return f'/servers/{server_id}/os-instance-actions'


def _create_request_id(compute: ComputeEnv, server_id: str, version: Version) -> str:
    actions = _get(compute.admin, _actions_path(server_id), version).json['instanceActions']
    [create] = [a for a in actions if a['action'] == 'create']
    return str(create['request_id'])


def test_action_of_deleted_servers(compute: ComputeEnv) -> None:
    gone = compute.boot('to-delete', with_volume=False)['id']
    assert compute.admin.delete(f'/servers/{gone}').status_int == 204
    compute.wait_gone(gone)
    path = _actions_path(gone)
    below = compute.admin.get(path, headers=_at(_below(changes.ACTIONS_OF_DELETED)))
    assert below.status_int == 404
    at = _get(compute.admin, path, changes.ACTIONS_OF_DELETED).json['instanceActions']
    assert [a['action'] for a in at] == ['delete', 'create']


def test_action_events_for_all(compute: ComputeEnv) -> None:
    server = compute.create('member-events', compute.member, with_volume=False,
                            networks='none')
    compute.wait(server, client=compute.member)
    request_id = _create_request_id(compute, server, (2, 1))
    path = f'{_actions_path(server)}/{request_id}'
    below = _get(compute.member, path, _below(changes.ACTION_EVENTS_FOR_ALL)).json
    assert 'events' not in below['instanceAction']
    at = _get(compute.member, path, changes.ACTION_EVENTS_FOR_ALL).json['instanceAction']
    assert 'events' in at
    assert all('traceback' not in event for event in at['events'])


def test_actions_paging(compute: ComputeEnv, server_id: str) -> None:
    path = _actions_path(server_id)
    below = _get(compute.admin, f'{path}?limit=0', _below(changes.ACTIONS_PAGING)).json
    assert below['instanceActions'] and 'updated_at' not in below['instanceActions'][0]
    at = _get(compute.admin, f'{path}?limit=1', changes.ACTIONS_PAGING).json
    assert len(at['instanceActions']) == 1 and 'updated_at' in at['instanceActions'][0]
    marker = at['instanceActions'][0]['request_id']
    assert 'marker=' in at['links'][0]['href']
    after = _get(compute.admin, f'{path}?marker={marker}', changes.ACTIONS_PAGING).json
    assert marker not in [a['request_id'] for a in after['instanceActions']]
    future = _get(compute.admin, f'{path}?changes-since=2999-01-01T00:00:00Z',
                  changes.ACTIONS_PAGING).json
    assert future['instanceActions'] == []
    bad = compute.admin.get(f'{path}?changes-since=yesterday',
                            headers=_at(changes.ACTIONS_PAGING))
    assert bad.status_int == 400 and 'changes-since' in bad.text
    unknown = compute.admin.get(f'{path}?marker=req-none', headers=_at(changes.ACTIONS_PAGING))
    assert unknown.status_int == 404


def _first_event(compute: ComputeEnv, server_id: str, version: Version,
                 client: Client | None = None) -> dict[str, Any]:
    """The event of a pause of the server (admin-run), as ``client`` sees it."""
    actions = _get(compute.admin, _actions_path(server_id), version).json['instanceActions']
    [pause] = [a for a in actions if a['action'] == 'pause']
    shown = _get(client or compute.admin, f'{_actions_path(server_id)}/{pause["request_id"]}',
                 version).json['instanceAction']
    [event] = shown['events']
    return dict(event)


@pytest.fixture(scope='module')
def paused_once(compute: ComputeEnv) -> str:
    server = compute.boot('paused-once', with_volume=False)['id']
    assert compute.admin.action(server, {'pause': None}).status_int == 202
    compute.wait(server, status='PAUSED')
    return server


def test_action_event_host(compute: ComputeEnv, paused_once: str) -> None:
    below = _first_event(compute, paused_once, _below(changes.ACTION_EVENT_HOST))
    assert 'host' not in below and 'hostId' not in below
    at = _first_event(compute, paused_once, changes.ACTION_EVENT_HOST)
    assert at['host'] == 'host1' and len(at['hostId']) == 56
    assert at['event'] == 'compute_pause' and at['result'] == 'Success'


def test_action_event_details(compute: ComputeEnv, paused_once: str) -> None:
    assert 'details' not in _first_event(compute, paused_once,
                                         _below(changes.ACTION_EVENT_DETAILS))
    assert 'details' in _first_event(compute, paused_once, changes.ACTION_EVENT_DETAILS)


def test_create_image_answers_its_id_in_the_body_from_2_45(compute: ComputeEnv) -> None:
    server_id = compute.boot('create-image-versions', with_volume=False)['id']
    path = f'/servers/{server_id}/action'
    below = compute.admin.request('POST', path, {'createImage': {'name': 'below'}},
                                  headers=_at(_below(changes.SERVER_CREATE_IMAGE_BODY)))
    assert below.status_int == 202 and below.body == b''
    assert '/images/' in below.headers['Location']
    compute.wait(server_id)
    at = compute.admin.request('POST', path, {'createImage': {'name': 'at'}},
                               headers=_at(changes.SERVER_CREATE_IMAGE_BODY))
    assert at.status_int == 202 and 'Location' not in at.headers
    assert set(at.json) == {'image_id'}
    assert at.json['image_id'] != below.headers['Location'].rsplit('/', 1)[1]
    compute.wait(server_id)


def _attach_body(compute: ComputeEnv, server_id: str, version: Version,
                 **extra: Any) -> webob.Response:
    volume = compute.cloud.services.volumes.create_volume(compute.env.ctx, 1)
    return compute.admin.request('POST', f'/servers/{server_id}/os-volume_attachments',
                                 {'volumeAttachment': {'volumeId': volume['id'], **extra}},
                                 headers=_at(version))


def test_volume_attach_fields_by_version(compute: ComputeEnv) -> None:
    server_id = compute.boot('attach-versions', with_volume=False)['id']
    refused = _attach_body(compute, server_id, _below(changes.VOLUME_ATTACH_TAG), tag='t')
    assert refused.status_int == 400 and 'tag' in refused.text
    tagged = _attach_body(compute, server_id, changes.VOLUME_ATTACH_TAG, tag='t')
    assert tagged.status_int == 200, tagged.text
    assert 'tag' not in tagged.json['volumeAttachment']  # not answered before 2.70
    shown = _attach_body(compute, server_id, changes.VOLUME_ATTACH_TAG_SHOWN, tag='t2')
    assert shown.json['volumeAttachment']['tag'] == 't2'
    assert 'delete_on_termination' not in shown.json['volumeAttachment']
    refused = _attach_body(compute, server_id, _below(changes.ATTACH_DELETE_ON_TERM),
                           delete_on_termination=True)
    assert refused.status_int == 400 and 'delete_on_termination' in refused.text
    dot = _attach_body(compute, server_id, changes.ATTACH_DELETE_ON_TERM,
                       delete_on_termination=True)
    assert dot.json['volumeAttachment']['delete_on_termination'] is True
    compute.wait(server_id)
def test_flavor_extra_specs_validation(compute: ComputeEnv) -> None:
    created = compute.admin.post('/flavors', {'flavor': {'name': 'validated-specs', 'ram': 64,
                                                         'vcpus': 1, 'disk': 0}})
    path = f'/flavors/{created.json["flavor"]["id"]}/os-extra_specs'
    body = {'extra_specs': {'hw:cpu_policy': 'whenever'}}
    below = compute.admin.post(path, body,
                               headers=_at(_below(changes.FLAVOR_SPECS_VALIDATED)))
    assert below.status_int == 200, below.text
    at = compute.admin.post(path, body, headers=_at(changes.FLAVOR_SPECS_VALIDATED))
    assert at.status_int == 400 and 'hw:cpu_policy' in at.text


def _compute_services(compute: ComputeEnv, version: Version) -> dict[str, Any]:
    services = _get(compute.admin, '/os-services?binary=nova-compute', version).json
    [service] = services['services']
    return dict(service)


def test_service_forced_down(compute: ComputeEnv) -> None:
    assert 'forced_down' not in _compute_services(compute, _below(changes.SERVICE_FORCED_DOWN))
    assert _compute_services(compute, changes.SERVICE_FORCED_DOWN)['forced_down'] is False
    body = {'host': 'host1', 'binary': 'nova-compute', 'forced_down': False}
    below = compute.admin.request('PUT', '/os-services/force-down', body,
                                  headers=_at(_below(changes.SERVICE_FORCED_DOWN)))
    assert below.status_int == 404
    at = compute.admin.request('PUT', '/os-services/force-down', body,
                               headers=_at(changes.SERVICE_FORCED_DOWN))
    assert at.status_int == 200 and at.json['service']['forced_down'] is False


def test_hypervisor_cpu_info_object(compute: ComputeEnv) -> None:
    def cpu_info(version: Version) -> Any:
        [hypervisor] = _get(compute.admin, '/os-hypervisors/detail', version).json[
            'hypervisors']
        return hypervisor['cpu_info']
    assert cpu_info(_below(changes.HYPERVISOR_CPU_INFO_OBJECT)) == '{}'
    assert cpu_info(changes.HYPERVISOR_CPU_INFO_OBJECT) == {}


def test_hypervisor_paging(compute: ComputeEnv) -> None:
    below = _get(compute.admin, '/os-hypervisors?limit=0',
                 _below(changes.HYPERVISOR_PAGING)).json
    assert len(below['hypervisors']) == 1
    at = _get(compute.admin, '/os-hypervisors?limit=0', changes.HYPERVISOR_PAGING).json
    assert at['hypervisors'] == []


def test_aggregate_uuid(compute: ComputeEnv) -> None:
    created = compute.admin.post('/os-aggregates', {'aggregate': {'name': 'versioned-agg'}})
    path = f'/os-aggregates/{created.json["aggregate"]["id"]}'
    assert 'uuid' not in _get(compute.admin, path, _below(changes.AGGREGATE_UUID)).json[
        'aggregate']
    assert len(_get(compute.admin, path, changes.AGGREGATE_UUID).json['aggregate']['uuid']) == 36
    assert compute.admin.delete(path).status_int == 200


def test_hosts_removed(compute: ComputeEnv) -> None:
    assert _get(compute.admin, '/os-hosts', _below(changes.HOSTS_REMOVED)).json['hosts']
    assert compute.admin.get('/os-hosts', headers=_at(changes.HOSTS_REMOVED)).status_int == 404


def test_service_uuids(compute: ComputeEnv) -> None:
    below = _below(changes.SERVICE_UUIDS)
    assert isinstance(_compute_services(compute, below)['id'], int)
    service_id = _compute_services(compute, changes.SERVICE_UUIDS)['id']
    assert isinstance(service_id, str) and len(service_id) == 36
    [hypervisor] = _get(compute.admin, '/os-hypervisors', below).json['hypervisors']
    name = hypervisor['hypervisor_hostname']
    assert _get(compute.admin, f'/os-hypervisors/{name}/search', below).json['hypervisors']
    assert compute.admin.get(f'/os-hypervisors/{name}/search',
                             headers=_at(changes.SERVICE_UUIDS)).status_int == 404
    updated = compute.admin.request('PUT', f'/os-services/{service_id}',
                                    {'status': 'enabled'}, headers=_at(changes.SERVICE_UUIDS))
    assert updated.status_int == 200 and updated.json['service']['id'] == service_id



def test_services_strict_query(compute: ComputeEnv) -> None:
    assert _get(compute.admin, '/os-services?xxx=1',
                _below(changes.SERVICES_STRICT_QUERY)).json['services']
    assert compute.admin.get('/os-services?xxx=1',
                             headers=_at(changes.SERVICES_STRICT_QUERY)).status_int == 400
def test_server_update_full_body(compute: ComputeEnv, server_id: str) -> None:
    def update(version: Version) -> dict[str, Any]:
        response = compute.admin.request('PUT', f'/servers/{server_id}',
                                         {'server': {'name': 'versioned'}},
                                         headers=_at(version))
        assert response.status_int == 200, response.text
        return response.json['server']

    below = update(_below(changes.SERVER_UPDATE_FULL_BODY))
    assert 'OS-EXT-STS:vm_state' not in below and 'security_groups' not in below
    assert below['locked_reason'] is None  # the versioned fields stay
    at = update(changes.SERVER_UPDATE_FULL_BODY)
    assert set(at) == set(_server(compute, server_id, changes.SERVER_UPDATE_FULL_BODY))


def _list_status(compute: ComputeEnv, query: str, version: Version,
                 client: Client | None = None) -> int:
    return (client or compute.admin).get(f'/servers?{query}', headers=_at(version)).status_int


def _listed_ids(compute: ComputeEnv, query: str, version: Version,
                client: Client | None = None) -> list[str]:
    response = (client or compute.admin).get(f'/servers?{query}', headers=_at(version))
    assert response.status_int == 200, response.text
    return [server['id'] for server in response.json['servers']]


def test_server_list_ip6_for_users(compute: ComputeEnv, server_id: str) -> None:
    # The fixture's server has no IPv6 address: ip6 filters it out where it counts.
    below = _below(changes.SERVER_LIST_IP6_FOR_USERS)
    assert server_id in _listed_ids(compute, 'ip6=2001', below, compute.reader)
    assert server_id not in _listed_ids(compute, 'ip6=2001', changes.SERVER_LIST_IP6_FOR_USERS,
                                        compute.reader)
    assert server_id not in _listed_ids(compute, 'ip6=2001', below)  # admins: always


def test_server_list_tag_filters(compute: ComputeEnv, server_id: str) -> None:
    below = _below(changes.SERVER_LIST_TAG_FILTERS)
    assert server_id in _listed_ids(compute, 'tags=red', below, compute.reader)
    at = changes.SERVER_LIST_TAG_FILTERS
    assert server_id not in _listed_ids(compute, 'tags=red', at, compute.reader)
    assert server_id in _listed_ids(compute, 'tags=blue,green', at, compute.reader)
    assert server_id in _listed_ids(compute, 'tags-any=red,blue', at)
    assert server_id not in _listed_ids(compute, 'not-tags=blue,green', at)
    assert server_id in _listed_ids(compute, 'not-tags=blue,red', at)
    assert server_id not in _listed_ids(compute, 'not-tags-any=red,blue', at)


def test_server_list_invalid_status(compute: ComputeEnv) -> None:
    below = _below(changes.SERVER_LIST_INVALID_STATUS)
    assert _listed_ids(compute, 'status=SLEEPY', below) == []
    assert _list_status(compute, 'status=SLEEPY', changes.SERVER_LIST_INVALID_STATUS) == 400


def test_server_list_changes_before(compute: ComputeEnv, server_id: str) -> None:
    query = 'changes-before=2000-01-01T00:00:00Z'
    assert server_id in _listed_ids(compute, query, _below(changes.SERVER_LIST_CHANGES_BEFORE))
    assert _listed_ids(compute, query, changes.SERVER_LIST_CHANGES_BEFORE) == []
    assert _list_status(compute, 'changes-before=yesterday',
                        changes.SERVER_LIST_CHANGES_BEFORE) == 400


def test_server_list_locked_filter(compute: ComputeEnv, server_id: str) -> None:
    below = _below(changes.SERVER_LIST_LOCKED_FILTER)
    assert server_id in _listed_ids(compute, 'locked=true', below, compute.reader)
    at = changes.SERVER_LIST_LOCKED_FILTER
    assert server_id not in _listed_ids(compute, 'locked=true', at, compute.reader)
    assert server_id in _listed_ids(compute, 'locked=false&sort_key=locked', at)
    assert _list_status(compute, 'locked=maybe', at) == 400


def test_server_list_strict_query(compute: ComputeEnv, server_id: str) -> None:
    below = _below(changes.SERVER_LIST_STRICT_QUERY)
    assert server_id in _listed_ids(compute, 'bogus=1', below)
    response = compute.admin.get('/servers?bogus=1',
                                 headers=_at(changes.SERVER_LIST_STRICT_QUERY))
    assert response.status_int == 400 and 'bogus' in response.json['badRequest']['message']
    # Known filters (even an admin's, for a user) are still accepted.
    assert _list_status(compute, 'host=host1', changes.SERVER_LIST_STRICT_QUERY,
                        compute.reader) == 200


def test_server_tags_api(compute: ComputeEnv, server_id: str) -> None:
    below = compute.admin.get(f'/servers/{server_id}/tags',
                              headers=_at(_below(changes.SERVER_TAGS)))
    assert below.status_int == 404
    at = _get(compute.admin, f'/servers/{server_id}/tags', changes.SERVER_TAGS)
    assert at.json == {'tags': ['blue', 'green']}


def _create_status(compute: ComputeEnv, version: Version, **fields: Any) -> webob.Response:
    body = compute.server_body('hostnamed', with_volume=False, **fields)
    return compute.admin.post('/servers', {'server': body}, headers=_at(version))


def test_server_hostname(compute: ComputeEnv, server_id: str) -> None:
    below = _below(changes.SERVER_HOSTNAME)
    refused = _create_status(compute, below, hostname='web-1')
    assert refused.status_int == 400 and 'hostname' in refused.text
    assert 'OS-EXT-SRV-ATTR:hostname' not in _server(compute, server_id, below, compute.reader)
    at = changes.SERVER_HOSTNAME
    assert _server(compute, server_id, at, compute.reader)['OS-EXT-SRV-ATTR:hostname'] == (
        'versioned')
    response = compute.admin.request('PUT', f'/servers/{server_id}',
                                     {'server': {'hostname': 'renamed-host'}}, headers=_at(at))
    assert response.status_int == 200, response.text
    assert response.json['server']['OS-EXT-SRV-ATTR:hostname'] == 'renamed-host'
    compute.admin.request('PUT', f'/servers/{server_id}', {'server': {'hostname': 'versioned'}},
                          headers=_at(at))


def test_server_hostname_fqdn(compute: ComputeEnv) -> None:
    fqdn = 'x' * 52 + '-guest-test.domaintest.com'
    below = _create_status(compute, _below(changes.SERVER_HOSTNAME_FQDN), hostname=fqdn)
    assert below.status_int == 400 and 'hostname' in below.text
    at = _create_status(compute, changes.SERVER_HOSTNAME_FQDN, hostname=fqdn)
    assert at.status_int == 202, at.text
    server_id = at.json['server']['id']
    compute.wait(server_id)
    shown = _server(compute, server_id, changes.SERVER_HOSTNAME_FQDN, compute.reader)
    assert shown['OS-EXT-SRV-ATTR:hostname'] == fqdn
    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204


def test_server_list_user_filters(compute: ComputeEnv, server_id: str) -> None:
    below = _below(changes.SERVER_LIST_USER_FILTERS)
    assert server_id in _listed_ids(compute, 'vm_state=stopped', below, compute.reader)
    at = changes.SERVER_LIST_USER_FILTERS
    assert server_id not in _listed_ids(compute, 'vm_state=stopped', at, compute.reader)
    assert server_id in _listed_ids(compute, 'vm_state=active', at, compute.reader)


# Unshelve (one test per row) -------------------------------------------------------------

def _offloaded(compute: ComputeEnv, name: str) -> str:
    server_id = compute.boot(name, with_volume=False)['id']
    assert compute.admin.action(server_id, {'shelve': None}).status_int == 202
    compute.wait(server_id, status='SHELVED_OFFLOADED')
    return server_id


def _unshelve(compute: ComputeEnv, server_id: str, body: Any,
              version: Version) -> webob.Response:
    return compute.admin.request('POST', f'/servers/{server_id}/action', {'unshelve': body},
                                 headers=_at(version))


def test_unshelve_availability_zone(compute: ComputeEnv) -> None:
    server_id = _offloaded(compute, 'unshelve-az')
    body = {'availability_zone': 'nova'}
    below = _unshelve(compute, server_id, body, _below(changes.UNSHELVE_AVAILABILITY_ZONE))
    assert below.status_int == 400 and 'unshelve' in below.text
    at = _unshelve(compute, server_id, body, changes.UNSHELVE_AVAILABILITY_ZONE)
    assert at.status_int == 202, at.text
    assert compute.wait(server_id)['OS-EXT-AZ:availability_zone'] == 'nova'
    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204


def test_unshelve_host(compute: ComputeEnv) -> None:
    server_id = _offloaded(compute, 'unshelve-host')
    body = {'host': 'host1', 'availability_zone': None}
    below = _unshelve(compute, server_id, body, _below(changes.UNSHELVE_HOST))
    assert below.status_int == 400 and 'unshelve.host' in below.text
    at = _unshelve(compute, server_id, body, changes.UNSHELVE_HOST)
    assert at.status_int == 202, at.text
    assert compute.wait(server_id)['OS-EXT-SRV-ATTR:host'] == 'host1'
    assert compute.admin.delete(f'/servers/{server_id}').status_int == 204
