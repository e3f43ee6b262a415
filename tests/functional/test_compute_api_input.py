"""Bad boot requests get a 4xx naming the field and create nothing."""

from __future__ import annotations

import uuid

import pytest

from nova_lite.common import exception


def _bad_bodies(env):
    good = env.server_body()
    missing = str(uuid.uuid4())
    return [
        ('name', {k: v for k, v in good.items() if k != 'name'}),
        ('name', dict(good, name='')),
        ('name', dict(good, name='x' * 256)),
        ('imageRef', dict(good, imageRef='not-a-uuid')),
        ('imageRef', dict(good, imageRef=missing)),
        ('flavorRef', dict(good, flavorRef='no-such-flavor')),
        ('networks.0', dict(good, networks=[{'uuid': missing}])),
        ('networks.0.fixed_ip', dict(good, networks=[{'uuid': env.network['id'],
                                                       'fixed_ip': '10.0.0.999'}])),
        ('networks', dict(good, networks='everything')),
        ('block_device_mapping_v2.0.uuid', dict(good, block_device_mapping_v2=[
            {'uuid': missing, 'source_type': 'volume', 'destination_type': 'volume'}])),
        ('metadata', dict(good, metadata={'key': 5})),
        ('bogus', dict(good, bogus=True)),
        ('max_count', dict(good, max_count=-1)),
    ]


def test_bad_server_bodies(make_env):
    env = make_env(hosts=['host1'])
    for field, body in _bad_bodies(env):
        with pytest.raises(exception.NovaLiteError) as caught:
            env.cloud.compute_api.create_server(env.ctx, body)
        assert 400 <= caught.value.code < 500, (field, caught.value)
        assert field.split('.')[0] in caught.value.message, (field, caught.value.message)
    assert env.cloud.instances.list(include_deleted=True) == []
    assert env.cloud.networks.list_ports(env.ctx) == []
    assert env.volume()['status'] == 'available'


def test_bad_token_is_401(make_env):
    env = make_env(hosts=['host1'])
    with pytest.raises(exception.NotAuthorized):
        env.cloud.compute_api.authenticate(env.token + 'x')
    assert env.cloud.instances.list(include_deleted=True) == []


def test_unknown_server_is_404(make_env):
    env = make_env(hosts=['host1'])
    for server_id in ('vm1', str(uuid.uuid4())):
        with pytest.raises(exception.NotFound):
            env.cloud.compute_api.get_server(env.ctx, server_id)
        with pytest.raises(exception.NotFound):
            env.cloud.compute_api.delete_server(env.ctx, server_id)


def test_bad_flavors(make_env):
    env = make_env(hosts=['host1'])
    before = env.cloud.flavors.list()
    for field, body in [('ram', {'name': 'f', 'ram': -1, 'vcpus': 1, 'disk': 1}),
                        ('vcpus', {'name': 'f', 'ram': 1, 'vcpus': 0, 'disk': 1}),
                        ('disk', {'name': 'f', 'ram': 1, 'vcpus': 1, 'disk': 'big'}),
                        ('name', {'ram': 1, 'vcpus': 1, 'disk': 1})]:
        with pytest.raises(exception.InvalidInput) as caught:
            env.cloud.compute_api.create_flavor(env.ctx, body)
        assert field in caught.value.message
    with pytest.raises(exception.Duplicate):
        env.cloud.compute_api.create_flavor(env.ctx, {'name': 'small', 'ram': 1,
                                                        'vcpus': 1, 'disk': 1})
    assert env.cloud.flavors.list() == before


def test_malformed_fault_injection_metadata_is_400_when_enabled(make_env, conf):
    conf.set_override('enabled', True, group='fault_injection')
    env = make_env(hosts=['host1'])
    for metadata, key in [({'nova_lite:fail_at': 'no-such-task'}, 'nova_lite:fail_at'),
                          ({'nova_lite:delay_at': 'spawn:-3'}, 'nova_lite:delay_at')]:
        with pytest.raises(exception.InvalidInput) as caught:
            env.cloud.compute_api.create_server(env.ctx, env.server_body(metadata=metadata))
        assert key in caught.value.message
    assert env.cloud.instances.list(include_deleted=True) == []


def test_fault_injection_metadata_is_plain_metadata_when_disabled(make_env):
    env = make_env(hosts=['host1'])
    server = env.boot(with_volume=False, metadata={'nova_lite:fail_at': 'spawn'})
    assert server['status'] == 'ACTIVE'
    assert server['metadata'] == {'nova_lite:fail_at': 'spawn'}
