"""What Tempest expects a cloud to hold before it starts: flavors, two images,
a shared network and an external network ``public`` (for routers' gateways and
floating IPs), made through the public APIs with openstacksdk."""

from __future__ import annotations

import dataclasses

import openstack

# A few bytes that look like nothing in particular: the guests are libvirt
# test:///default domains, which never read their disk.
IMAGE_BYTES = b'nova_lite tempest image\n' * 64
NETWORK_NAME = 'tempest-shared'
PUBLIC_NETWORK_NAME = 'public'
ROUTER_NAME = 'tempest-router'


@dataclasses.dataclass(frozen=True)
class Seeded:
    image_ref: str
    image_ref_alt: str
    flavor_ref: str
    flavor_ref_alt: str
    network_name: str
    public_network_id: str = ''


def connect(identity_port: int, password: str) -> openstack.connection.Connection:
    return openstack.connect(
        auth_url=f'http://127.0.0.1:{identity_port}/v3', username='admin',
        password=password, project_name='admin', user_domain_name='Default',
        project_domain_name='Default', region_name='RegionOne', load_yaml_config=False,
        load_envvars=False)


def seed(conn: openstack.connection.Connection) -> Seeded:
    """Creates the flavors, images and network; returns their ids for tempest.conf."""
    flavor = conn.compute.create_flavor(name='tempest-nano', ram=64, vcpus=1, disk=1,
                                        id='42')
    flavor_alt = conn.compute.create_flavor(name='tempest-micro', ram=128, vcpus=1, disk=1,
                                            id='84')
    images = []
    for name in ('tempest-image', 'tempest-image-alt'):
        image = conn.image.create_image(name=name, disk_format='raw',
                                        container_format='bare', visibility='public',
                                        data=IMAGE_BYTES)
        images.append(str(image.id))
    network = conn.network.create_network(name=NETWORK_NAME, shared=True)
    subnet = conn.network.create_subnet(network_id=network.id, name=f'{NETWORK_NAME}-subnet',
                                        cidr='192.168.222.0/24', ip_version=4)
    public = conn.network.create_network(name=PUBLIC_NETWORK_NAME, is_router_external=True)
    conn.network.create_subnet(network_id=public.id, name=f'{PUBLIC_NETWORK_NAME}-subnet',
                               cidr='172.24.4.0/22', ip_version=4)
    # The shared network reaches ``public`` through a router, so that a server on
    # it can have a floating IP (the compute floating IP tests associate one).
    router = conn.network.create_router(name=ROUTER_NAME,
                                        external_gateway_info={'network_id': public.id})
    conn.network.add_interface_to_router(router, subnet_id=subnet.id)
    return Seeded(image_ref=images[0], image_ref_alt=images[1], flavor_ref=str(flavor.id),
                  flavor_ref_alt=str(flavor_alt.id), network_name=NETWORK_NAME,
                  public_network_id=str(public.id))
