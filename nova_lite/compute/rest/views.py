"""The JSON shapes of servers and flavors, as nova's v2.1 API prints them."""

from __future__ import annotations

import hashlib
import ipaddress
from typing import Any

from nova_lite.clients import payloads
from nova_lite.common.states import ServerStatus, VmState
from nova_lite.compute import server_status

# The statuses whose server bodies carry "progress" (Nova's list).
_PROGRESS_STATUSES = frozenset({'ACTIVE', 'BUILD', 'REBUILD', 'RESIZE', 'VERIFY_RESIZE',
                                'MIGRATING'})


class Links:
    """``self`` and ``bookmark`` links from the compute API's public URL."""

    def __init__(self, public_url: str) -> None:
        self.public_url = public_url.rstrip('/')
        self.base_url = f'{self.public_url}/v2.1'

    def bookmark(self, collection: str, item_id: str) -> dict[str, str]:
        return {'rel': 'bookmark', 'href': f'{self.public_url}/{collection}/{item_id}'}

    def of(self, collection: str, item_id: str) -> list[dict[str, str]]:
        return [{'rel': 'self', 'href': f'{self.base_url}/{collection}/{item_id}'},
                self.bookmark(collection, item_id)]


def host_id(project_id: str, host: str | None) -> str:
    """Nova's hostId: the same for a project's servers on one host, opaque to others."""
    if not host:
        return ''
    return hashlib.sha224(f'{project_id}{host}'.encode()).hexdigest()


def addresses(network_info: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    result: dict[str, list[dict[str, Any]]] = {}
    for vif in network_info:
        name = vif.get('network_name') or vif.get('network_id') or ''
        entries = result.setdefault(name, [])
        for fixed_ip in vif.get('fixed_ips') or []:
            address = fixed_ip.get('ip_address')
            if not address:
                continue
            entries.append({'version': ipaddress.ip_address(address).version,
                            'addr': address, 'OS-EXT-IPS:type': 'fixed',
                            'OS-EXT-IPS-MAC:mac_addr': vif.get('mac_address')})
        for address in vif.get('floating_ips') or []:
            entries.append({'version': ipaddress.ip_address(address).version,
                            'addr': address, 'OS-EXT-IPS:type': 'floating',
                            'OS-EXT-IPS-MAC:mac_addr': vif.get('mac_address')})
    return result


def server_brief(instance: dict[str, Any], links: Links) -> dict[str, Any]:
    return {'id': instance['id'], 'name': instance['name'],
            'links': links.of('servers', instance['id'])}


def server_detail(instance: dict[str, Any], links: Links, *, volume_ids: list[str],
                  show_host: bool) -> dict[str, Any]:
    """A server as ``GET /servers/{id}`` answers (host attributes for admins)."""
    status = server_status.status_of_instance(instance)
    build_request = instance.get('build_request') or {}
    image: dict[str, Any] | str = ''
    if instance['image_id']:
        image = {'id': instance['image_id'],
                 'links': [links.bookmark('images', instance['image_id'])]}
    body: dict[str, Any] = {
        'id': instance['id'], 'name': instance['name'], 'status': status,
        'tenant_id': instance['project_id'], 'user_id': instance['user_id'],
        'created': instance['created_at'], 'updated': instance['updated_at'],
        'hostId': host_id(instance['project_id'], instance['host']),
        'flavor': {'id': instance['flavor_id'],
                   'links': [links.bookmark('flavors', instance['flavor_id'])]},
        'image': image,
        'addresses': addresses(instance['network_info']),
        'metadata': dict(instance['metadata']),
        'OS-EXT-STS:vm_state': instance['vm_state'],
        'OS-EXT-STS:task_state': instance['task_state'],
        'OS-EXT-STS:power_state': instance['power_state'],
        'OS-EXT-AZ:availability_zone': instance['availability_zone'] or '',
        'OS-SRV-USG:launched_at': instance['launched_at'],
        'OS-SRV-USG:terminated_at': None,
        'OS-DCF:diskConfig': build_request.get('disk_config') or 'MANUAL',
        'security_groups': [{'name': 'default'}],
        'key_name': instance['key_name'],
        'links': links.of('servers', instance['id']),
        'os-extended-volumes:volumes_attached': [{'id': v} for v in volume_ids],
        'accessIPv4': build_request.get('access_ip_v4') or '',
        'accessIPv6': build_request.get('access_ip_v6') or '', 'config_drive': '',
    }
    if status in _PROGRESS_STATUSES:
        # Nova shows progress only while a server builds, runs or moves.
        body['progress'] = 100 if instance['vm_state'] == VmState.ACTIVE else 0
    if show_host:
        body['OS-EXT-SRV-ATTR:host'] = instance['host']
        body['OS-EXT-SRV-ATTR:hypervisor_hostname'] = instance['host']
        body['OS-EXT-SRV-ATTR:instance_name'] = f'instance-{instance["id"]}'
    if status == ServerStatus.ERROR and instance.get('fault'):
        fault = instance['fault']
        body['fault'] = {'code': fault['code'], 'message': fault['message'],
                         'created': fault['created']}
    return body


def flavor_brief(flavor: dict[str, Any], links: Links) -> dict[str, Any]:
    return {'id': flavor['id'], 'name': flavor['name'], 'links': links.of('flavors', flavor['id'])}


def flavor_detail(flavor: dict[str, Any], links: Links) -> dict[str, Any]:
    return {
        'id': flavor['id'], 'name': flavor['name'], 'ram': flavor['memory_mb'],
        'vcpus': flavor['vcpus'], 'disk': flavor['root_gb'],
        'swap': flavor['swap'] or '',  # nova prints no swap as ""
        'OS-FLV-EXT-DATA:ephemeral': flavor['ephemeral_gb'],
        'OS-FLV-DISABLED:disabled': flavor['disabled'],
        'os-flavor-access:is_public': flavor['is_public'],
        'rxtx_factor': flavor['rxtx_factor'],
        'links': links.of('flavors', flavor['id']),
    }


def volume_attachment(attachment: payloads.Attachment) -> dict[str, Any]:
    return {'id': attachment['volume_id'], 'volumeId': attachment['volume_id'],
            'serverId': attachment['instance_id'], 'device': attachment['mountpoint']}
