"""What a microversion adds to (or takes from) the 2.1 server and flavor bodies.

:mod:`nova_lite.compute.rest.views` prints the 2.1 shapes; these functions
change them for the negotiated version, each step named by a constant of
:mod:`nova_lite.compute.rest.version_changes`. Fields nova_lite keeps no data
for get nova's value for "none" (null, false or an empty list).
"""

from __future__ import annotations

import re
from typing import Any

from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import Version


def _hostname(name: str) -> str:
    """Nova's default hostname of a server: its name, lowercased, as a DNS label."""
    label = re.sub(r'[^a-z0-9-]+', '-', name.lower()).strip('-')[:63]
    return label or 'server'


def _embedded_flavor(flavor: dict[str, Any]) -> dict[str, Any]:
    body = {'original_name': flavor.get('name', ''), 'vcpus': flavor.get('vcpus', 0),
            'ram': flavor.get('memory_mb', 0), 'disk': flavor.get('root_gb', 0),
            'ephemeral': flavor.get('ephemeral_gb', 0), 'swap': flavor.get('swap', 0)}
    if 'extra_specs' in flavor:
        body['extra_specs'] = dict(flavor['extra_specs'])
    return body


def server(body: dict[str, Any], instance: dict[str, Any], version: Version, *,
           show_host: bool, show: bool) -> dict[str, Any]:
    """``body`` (a 2.1 server detail) at ``version``; ``show``: GET /servers/{id}."""
    build_request = instance.get('build_request') or {}
    request_spec = build_request.get('request_spec') or {}
    hostname = build_request.get('hostname') or _hostname(instance['name'])
    if version >= changes.SERVER_EXTENDED_ATTRIBUTES:
        # The boot's block device mappings say which volumes go with the server.
        doomed = {m.get('volume_id') for m in build_request.get('block_device_mapping') or []
                  if m.get('delete_on_termination')}
        for volume in body['os-extended-volumes:volumes_attached']:
            volume['delete_on_termination'] = volume['id'] in doomed
        if show_host:
            body.update({
                'OS-EXT-SRV-ATTR:reservation_id': build_request.get('reservation_id'),
                'OS-EXT-SRV-ATTR:launch_index': build_request.get('launch_index', 0),
                'OS-EXT-SRV-ATTR:hostname': hostname,
                'OS-EXT-SRV-ATTR:kernel_id': '', 'OS-EXT-SRV-ATTR:ramdisk_id': '',
                'OS-EXT-SRV-ATTR:root_device_name': None, 'OS-EXT-SRV-ATTR:user_data': None,
            })
    if version >= changes.SERVER_LOCKED:
        body['locked'] = bool(instance.get('locked_by'))
    if version >= changes.SERVER_DESCRIPTION:
        body['description'] = build_request.get('description')
    if version >= changes.SERVER_TAGS:
        body['tags'] = list(build_request.get('tags') or [])
    if version >= changes.SERVER_FLAVOR_EMBEDDED and request_spec.get('flavor'):
        body['flavor'] = _embedded_flavor(request_spec['flavor'])
    if version >= changes.SERVER_TRUSTED_CERTS:
        body['trusted_image_certificates'] = None
    if version >= changes.SERVER_GROUPS_IN_SHOW and show:
        body['server_groups'] = []
    if version >= changes.SERVER_LOCKED_REASON:
        body['locked_reason'] = instance.get('locked_reason')
    if version >= changes.SERVER_HOSTNAME:
        body['OS-EXT-SRV-ATTR:hostname'] = hostname
    if version >= changes.SERVER_PINNED_AZ:
        body['pinned_availability_zone'] = request_spec.get('availability_zone')
    if version >= changes.SERVER_IMAGE_PROPERTIES and isinstance(body['image'], dict):
        properties = (request_spec.get('image') or {}).get('properties') or {}
        body['image']['properties'] = dict(properties)
    if version >= changes.SERVER_SCHEDULER_HINTS:
        body['scheduler_hints'] = dict(build_request.get('scheduler_hints') or {})
    return body


# What PUT /servers/{id} leaves out of a server detail below 2.75 (nova's update view).
_NOT_IN_UPDATE = ('OS-EXT-', 'OS-SRV-USG:', 'key_name', 'security_groups',
                  'os-extended-volumes:', 'config_drive')


def server_update(body: dict[str, Any], version: Version) -> dict[str, Any]:
    """``body`` (a server detail at ``version``) as PUT /servers/{id} answers it."""
    if version >= changes.SERVER_UPDATE_FULL_BODY:
        return body
    short = {key: value for key, value in body.items() if not key.startswith(_NOT_IN_UPDATE)}
    short['addresses'] = {
        label: [{'version': entry['version'], 'addr': entry['addr']} for entry in entries]
        for label, entries in body['addresses'].items()}
    return short


def flavor(body: dict[str, Any], flavor_row: dict[str, Any], version: Version, *,
           detail: bool) -> dict[str, Any]:
    """``body`` (a 2.1 flavor, brief or detail) at ``version``."""
    if version >= changes.FLAVOR_DESCRIPTION:
        body['description'] = flavor_row['description']
    if detail and version >= changes.FLAVOR_EXTRA_SPECS:
        body['extra_specs'] = dict(flavor_row.get('extra_specs') or {})
    if detail and version >= changes.FLAVOR_SWAP_ZERO and body['swap'] == '':
        body['swap'] = 0
    if version >= changes.FLAVOR_NO_RXTX_DISABLED:
        body.pop('rxtx_factor', None)
        body.pop('OS-FLV-DISABLED:disabled', None)
    return body


_PROXY_LIMITS = ('maxSecurityGroups', 'maxSecurityGroupRules', 'maxTotalFloatingIps',
                 'totalFloatingIpsUsed', 'totalSecurityGroupsUsed')
_PERSONALITY_LIMITS = ('maxPersonality', 'maxPersonalitySize')


def absolute_limits(absolute: dict[str, int], version: Version) -> dict[str, int]:
    """The 2.1 absolute limits at ``version``."""
    dropped = ((_PROXY_LIMITS if version >= changes.PROXY_APIS_REMOVED else ())
               + (('maxImageMeta',) if version >= changes.LIMITS_NO_IMAGE_META else ())
               + (_PERSONALITY_LIMITS if version >= changes.LIMITS_NO_PERSONALITY else ()))
    return {name: value for name, value in absolute.items() if name not in dropped}


_HYPERVISOR_USAGE = ('vcpus', 'vcpus_used', 'memory_mb', 'memory_mb_used', 'free_ram_mb',
                     'local_gb', 'local_gb_used', 'free_disk_gb', 'disk_available_least',
                     'current_workload', 'running_vms', 'cpu_info')


def hypervisor_detail(body: dict[str, Any], version: Version) -> dict[str, Any]:
    """A 2.1 hypervisor detail at ``version``."""
    if version >= changes.HYPERVISOR_NO_USAGE:
        return {key: value for key, value in body.items() if key not in _HYPERVISOR_USAGE}
    return body
