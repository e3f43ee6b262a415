"""The main job: boot one instance through all 29 steps, then delete it.

On a fresh state directory it bootstraps the cloud, makes and uploads a disk
image, creates a flavor, a network with a subnet and a volume, boots an
instance with the volume attached, prints every step as it happens, draws the
run, deletes the instance and checks that nothing is left. On a used state
directory it reuses what an earlier run made.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any, TextIO

from oslo_config import cfg

from nova_lite import embedded, leftovers
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.common.states import ImageStatus, ServerStatus, VolumeStatus
from nova_lite.demo import disk_image, narrator, step_printer
from nova_lite.flowviz import boot_flow as flow_drawing
from nova_lite.identity import bootstrap

LOG = logging.getLogger(__name__)

DEMO_FLAVOR = {'id': 'demo.tiny', 'name': 'demo.tiny', 'vcpus': 1, 'ram': 256, 'disk': 1}
DEMO_IMAGE_NAME = 'demo-image'
DEMO_NETWORK_NAME = 'demo-net'
DEMO_CIDR = '10.10.0.0/24'
DEMO_VOLUME_NAME = 'demo-volume'
WAIT_SECONDS = 120.0


class DemoFailed(Exception):
    """The demo's boot or cleanup did not end as it must."""


def _admin_password(state_path: str) -> str:
    path = os.path.join(state_path, 'admin-password')
    if os.path.exists(path):
        with open(path) as f:
            return f.read().strip()
    password = secrets.token_urlsafe(18)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write(password + '\n')
    return password


def _chunks(path: str, size: int = 1024 * 1024) -> Iterator[bytes]:
    with open(path, 'rb') as f:
        while chunk := f.read(size):
            yield chunk


class Demo:
    def __init__(self, conf: cfg.ConfigOpts, out: TextIO) -> None:
        self.conf = conf
        self.out = out
        self.cloud = embedded.EmbeddedCloud(conf)
        self.printer = step_printer.StepPrinter(out)

    def say(self, text: str = '') -> None:
        self.out.write(text + '\n')
        self.out.flush()

    def section(self, title: str) -> None:
        self.say(f'\n== {title}')

    # Setup -----------------------------------------------------------------------

    def setup(self) -> tuple[str, dict[str, Any]]:
        state_path = self.conf.state_path
        self.section('Setting up the cloud')
        password = _admin_password(state_path)
        summary = bootstrap.bootstrap(self.cloud.identity, password=password)
        self.say(f'bootstrap: domain Default, project admin, user admin, roles '
                 f'admin/manager/member/reader, region {self.conf.identity.region_id}, '
                 f'{len(summary.get("endpoints", [])) or 5} endpoints '
                 f'(admin password in {state_path}/admin-password)')
        narrator.tell(narrator.Step(
            '1', narrator.Carrier.API,
            'user admin signs in to identity with a password (project admin)'))
        token_info = self.cloud.identity.authenticate(
            user_name='admin', user_domain_name='Default', password=password,
            project_name='admin', project_domain_name='Default')
        narrator.tell(narrator.Step(
            '2', narrator.Carrier.API, f'identity authenticated admin and issued a Fernet '
                                       f'token (expires {token_info["expires_at"]})'))
        token = token_info['token']
        ctx = self.cloud.identity.context_from_token(token)
        resources = {'image': self._image(ctx), 'flavor': self._flavor(token),
                     'network': self._network(ctx), 'volume': self._volume(ctx)}
        return token, resources

    def _image(self, ctx: nl_context.RequestContext) -> dict[str, Any]:
        for image in self.cloud.images.list_images(ctx, name=DEMO_IMAGE_NAME):
            if image['status'] == ImageStatus.ACTIVE:
                self.say(f'image: reusing {image["name"]} {image["id"]}')
                return image
        path, disk_format = disk_image.make_disk_image(
            os.path.join(self.conf.state_path, 'demo-files'))
        image = self.cloud.images.create_image(
            ctx, name=DEMO_IMAGE_NAME, disk_format=disk_format, container_format='bare',
            visibility='public')
        image = self.cloud.images.upload_image(ctx, image['id'], _chunks(path))
        self.say(f'image: made {os.path.basename(path)} ({disk_format}) and uploaded it as '
                 f'{image["id"]}: {image["status"]}, {image["size"]} bytes, md5 '
                 f'{image["checksum"]}')
        return image

    def _flavor(self, token: str) -> dict[str, Any]:
        try:
            flavor = self.cloud.flavors.get(str(DEMO_FLAVOR['id']))
            self.say(f'flavor: reusing {flavor["name"]}')
        except exception.NotFound:
            flavor = self.cloud.compute_api.create_flavor(
                self.cloud.compute_api.authenticate(token), dict(DEMO_FLAVOR))
            self.say(f'flavor: created {flavor["name"]} ({flavor["vcpus"]} vCPU, '
                     f'{flavor["memory_mb"]} MiB RAM, {flavor["root_gb"]} GiB disk)')
        return flavor

    def _network(self, ctx: nl_context.RequestContext) -> dict[str, Any]:
        existing = self.cloud.networks.list_networks(ctx, name=DEMO_NETWORK_NAME)
        if existing:
            self.say(f'network: reusing {DEMO_NETWORK_NAME} {existing[0]["id"]}')
            return existing[0]
        network = self.cloud.networks.create_network(ctx, name=DEMO_NETWORK_NAME)
        subnet = self.cloud.networks.create_subnet(ctx, network_id=network['id'],
                                                   cidr=DEMO_CIDR, name='demo-subnet')
        pools = ', '.join(f'{p["start"]}-{p["end"]}' for p in subnet['allocation_pools'])
        self.say(f'network: created {DEMO_NETWORK_NAME} with subnet {subnet["cidr"]} '
                 f'(gateway {subnet["gateway_ip"]}, pool {pools})')
        return network

    def _volume(self, ctx: nl_context.RequestContext) -> dict[str, Any]:
        for volume in self.cloud.volumes.list_volumes(ctx, name=DEMO_VOLUME_NAME):
            if volume['status'] == VolumeStatus.AVAILABLE:
                self.say(f'volume: reusing {DEMO_VOLUME_NAME} {volume["id"]}')
                return volume
        volume = self.cloud.volumes.create_volume(ctx, size=1, name=DEMO_VOLUME_NAME)
        self.say(f'volume: created {volume["name"]} {volume["id"]}, {volume["size"]} GiB, '
                 f'{volume["status"]}')
        return volume

    # Boot and delete ---------------------------------------------------------------

    def wait_for(self, token: str, server_id: str, *, deleted: bool = False,
                 ) -> dict[str, Any] | None:
        ctx = self.cloud.compute_api.authenticate(token)
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            try:
                server = self.cloud.compute_api.get_server(ctx, server_id)
            except exception.NotFound:
                if deleted:
                    return None
                raise
            if not deleted and server['status'] in (ServerStatus.ACTIVE, ServerStatus.ERROR):
                return server
            time.sleep(0.02)
        raise DemoFailed(f'instance {server_id} did not finish in {WAIT_SECONDS} s')

    def boot(self, token: str, resources: dict[str, Any]) -> dict[str, Any]:
        self.section('Booting instance demo-vm: the 29 steps of BOOT-SEQUENCE.md')
        self.say('  (carriers: "API call" = a service API reached in this process with the '
                 'user\'s token; REST over HTTP arrives with the REST APIs)')
        self.printer.restart_clock()
        ctx = self.cloud.compute_api.authenticate(token, request="POST /servers 'demo-vm'")
        server = self.cloud.compute_api.create_server(ctx, {
            'name': 'demo-vm', 'imageRef': resources['image']['id'],
            'flavorRef': resources['flavor']['id'],
            'networks': [{'uuid': resources['network']['id']}],
            'block_device_mapping_v2': [{'uuid': resources['volume']['id'],
                                         'source_type': 'volume',
                                         'destination_type': 'volume', 'boot_index': None}],
        })
        final = self.wait_for(token, server['id'])
        assert final is not None
        return final

    def report_instance(self, server: dict[str, Any]) -> str:
        self.section(f'Instance {server["id"]}: {server["status"]} on {server["host"]}')
        if server['status'] != ServerStatus.ACTIVE:
            fault = server.get('fault') or {}
            self.say(f'fault: {fault.get("message")}')
            return ''
        for vif in server['network_info']:
            ips = ', '.join(ip['ip_address'] for ip in vif['fixed_ips'])
            self.say(f'address: {vif["network_name"]}: {ips} (MAC {vif["mac_address"]}, '
                     f'port {vif["port_id"]})')
        xml_path = os.path.join(self.conf.compute.instances_path, server['id'], 'libvirt.xml')
        self.say(f'libvirt.xml: {xml_path}')
        if shutil.which('virt-xml-validate'):
            result = subprocess.run(['virt-xml-validate', xml_path, 'domain'],
                                    capture_output=True, text=True)
            self.say(f'virt-xml-validate: {(result.stdout + result.stderr).strip()}')
            if result.returncode != 0:
                raise DemoFailed('libvirt.xml does not validate')
        return xml_path

    def delete(self, token: str, server_id: str) -> leftovers.Leftovers:
        self.section(f'Deleting instance {server_id}')
        self.cloud.compute_api.delete_server(self.cloud.compute_api.authenticate(token),
                                             server_id)
        self.wait_for(token, server_id, deleted=True)
        left = leftovers.find(self.cloud.resources, server_id,
                              [c.manager.driver for c in self.cloud.compute_hosts],
                              self.conf.compute.instances_path)
        self.say('left behind: ' + ', '.join(f'{k.replace("_", " ")} {v}'
                                              for k, v in left.as_dict().items()))
        for host, usage in leftovers.host_usage(self.cloud.resources).items():
            self.say(f'host {host}: {usage["vcpus_used"]} vCPU, {usage["memory_mb_used"]} MiB, '
                     f'{usage["local_gb_used"]} GiB in use')
        return left

    def run(self) -> int:
        narrator.install()  # the services' notifications, told as steps
        self.printer.install()
        try:
            self.cloud.start()
            token, resources = self.setup()
            server = self.boot(token, resources)
            self.report_instance(server)
            drawn = flow_drawing.draw_instance_run(self.cloud.db, server['id'],
                                                   self.conf.state_path)
            self.section('The boot flow, drawn')
            for path in drawn:
                self.say(f'flow graph: {path}')
            left = self.delete(token, server['id'])
            usage = leftovers.host_usage(self.cloud.resources)
            host_left = sum(sum(u.values()) for u in usage.values())
            missing = [s for s in _ALL_STEPS if s not in _covered(self.printer.seen)]
            ok = server['status'] == ServerStatus.ACTIVE and left.total() == 0 and host_left == 0
            self.section('Result')
            if missing:
                self.say(f'steps not seen: {", ".join(missing)}')
                ok = False
            self.say('OK: the instance reached ACTIVE through all 29 steps, and its delete '
                     'left nothing behind' if ok else 'FAILED: see above')
            return 0 if ok else 1
        except DemoFailed as exc:
            self.say(f'FAILED: {exc}')
            return 1
        finally:
            self.printer.uninstall()
            self.cloud.stop()


_ALL_STEPS = [str(n) for n in range(1, 30)]


def _covered(seen: list[str]) -> set[str]:
    covered: set[str] = set()
    for step in seen:
        bounds = step.rstrip('+').split('-')
        first, last = int(bounds[0]), int(bounds[-1])
        covered.update(str(n) for n in range(first, last + 1))
    return covered


def run(conf: cfg.ConfigOpts, out: TextIO = sys.stdout) -> int:
    os.makedirs(conf.state_path, exist_ok=True)
    return Demo(conf, out).run()

