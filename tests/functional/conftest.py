"""An embedded cloud per test, with a user, image, flavor, network and volume."""

from __future__ import annotations

import io
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite import embedded, leftovers
from nova_lite.common import exception
from nova_lite.conductor import faults
from nova_lite.identity import bootstrap
from tests.conftest import use_private_messaging

# The separate-daemon clouds' fixtures, for every functional test module.
from tests.functional.cluster import pg_url, rabbit_url, redis_namespace  # noqa: F401

ADMIN_PASSWORD = 'functional-secret'


class CloudEnv:
    """A started cloud and the resources a boot needs."""

    def __init__(self, cloud: embedded.EmbeddedCloud, *, volume_count: int = 1) -> None:
        self.cloud = cloud
        bootstrap.bootstrap(cloud.identity, password=ADMIN_PASSWORD)
        self.token = cloud.identity.authenticate(
            user_name='admin', user_domain_name='Default', password=ADMIN_PASSWORD,
            project_name='admin', project_domain_name='Default')['token']
        self.ctx = cloud.identity.context_from_token(self.token)
        image = cloud.images.create_image(self.ctx, name='img', disk_format='raw',
                                          container_format='bare')
        self.image = cloud.images.upload_image(self.ctx, image['id'],
                                               iter([b'\x00' * 4096, b'nova_lite' * 100]))
        self.flavor = cloud.compute_api.create_flavor(
            self.ctx, {'name': 'small', 'id': 'small', 'vcpus': 1, 'ram': 512, 'disk': 1})
        self.network = cloud.networks.create_network(self.ctx, name='net')
        self.subnet = cloud.networks.create_subnet(self.ctx, network_id=self.network['id'],
                                                   cidr='10.0.0.0/24')
        self.volumes = [cloud.volumes.create_volume(self.ctx, size=1, name=f'vol{i}')
                        for i in range(volume_count)]

    def server_body(self, name: str = 'vm', *, with_volume: bool = True,
                    volume_index: int = 0, **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {'name': name, 'imageRef': self.image['id'],
                                'flavorRef': self.flavor['id'],
                                'networks': [{'uuid': self.network['id']}]}
        if with_volume:
            body['block_device_mapping_v2'] = [
                {'uuid': self.volumes[volume_index]['id'], 'source_type': 'volume',
                 'destination_type': 'volume'}]
        body.update(extra)
        return body

    def create(self, **kwargs: Any) -> dict[str, Any]:
        return self.cloud.compute_api.create_server(self.ctx, self.server_body(**kwargs))

    def wait(self, server_id: str, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.cloud.compute_api.get_server(self.ctx, server_id)
            if server['status'] in ('ACTIVE', 'ERROR') and server['task_state'] is None:
                return server
            time.sleep(0.01)
        raise AssertionError(f'{server_id} still building after {timeout} s')

    def boot(self, **kwargs: Any) -> dict[str, Any]:
        return self.wait(self.create(**kwargs)['id'])

    def delete(self, server_id: str, timeout: float = 60.0) -> None:
        self.cloud.compute_api.delete_server(self.ctx, server_id)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                self.cloud.compute_api.get_server(self.ctx, server_id)
            except exception.NotFound:
                return
            time.sleep(0.01)
        raise AssertionError(f'{server_id} not deleted after {timeout} s')

    def leftovers(self, instance_id: str) -> leftovers.Leftovers:
        return leftovers.find(self.cloud.resources, instance_id,
                              [c.manager.driver for c in self.cloud.compute_hosts],
                              self.cloud.conf.compute.instances_path)

    def host_usage(self) -> dict[str, dict[str, int]]:
        return leftovers.host_usage(self.cloud.resources)

    def volume(self, index: int = 0) -> dict[str, Any]:
        return self.cloud.volumes.get_volume(self.ctx, self.volumes[index]['id'])


MakeEnv = Callable[..., CloudEnv]


@pytest.fixture
def image_file_factory(tmp_path) -> Callable[[], str]:
    """Makes a small qcow2 disk image file with qemu-img."""
    import subprocess

    def _make() -> str:
        path = str(tmp_path / f'disk-{uuid.uuid4().hex[:6]}.qcow2')
        subprocess.run(['qemu-img', 'create', '-q', '-f', 'qcow2', path, '64M'], check=True)
        return path

    return _make


@pytest.fixture
def make_env(conf: cfg.ConfigOpts) -> Iterator[MakeEnv]:
    """Build a started cloud; hosts, virt driver and faults are the test's to choose."""
    clouds: list[embedded.EmbeddedCloud] = []
    use_private_messaging(conf)

    def _make(*, hosts: list[str] | None = None, virt_driver: str = 'fake',
              fault_injector: faults.FaultInjector = faults.NO_FAULTS,
              volume_count: int = 1, **compute_opts: Any) -> CloudEnv:
        conf.set_override('virt_driver', virt_driver, group='compute')
        for name, value in compute_opts.items():
            conf.set_override(name, value, group='compute')
        cloud = embedded.EmbeddedCloud(conf, hosts=hosts, fault_injector=fault_injector)
        clouds.append(cloud)
        cloud.start()
        return CloudEnv(cloud, volume_count=volume_count)

    yield _make
    for cloud in clouds:
        cloud.stop()


def log_capture() -> io.StringIO:
    return io.StringIO()
