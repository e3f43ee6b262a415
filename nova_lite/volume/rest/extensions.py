"""``GET /extensions``: the legacy cinder API extensions nova_lite implements.

Only extensions whose routes or body attributes answer here are listed;
cinder's others (backups, quotas, QoS, consistency groups, ...) are absent.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import wsgi
from nova_lite.volume.rest import scope

_UPDATED = '2014-01-01T00:00:00Z'
_NAMESPACE = 'https://docs.openstack.org/volume/ext/'

# (alias, name, what works)
SUPPORTED: tuple[tuple[str, str, str], ...] = (
    ('os-availability-zone', 'AvailabilityZones', 'The availability zone list.'),
    ('capabilities', 'Capabilities', 'The capabilities of the storage backend.'),
    ('os-extended-snapshot-attributes', 'ExtendedSnapshotAttributes',
     'Project and progress attributes of snapshots.'),
    ('os-hosts', 'Hosts', 'The block storage hosts and their usage.'),
    ('scheduler-stats', 'Scheduler_stats', 'The storage pools and their capacity.'),
    ('os-services', 'Services', 'Enable, disable, freeze and thaw the volume services.'),
    ('os-snapshot-actions', 'SnapshotActions', 'Snapshot status updates.'),
    ('os-types-extra-specs', 'TypesExtraSpecs', 'The extra specs of volume types.'),
    ('os-types-manage', 'TypesManage', 'Create, update and delete volume types.'),
    ('os-used-limits', 'UsedLimits', 'Usage counts in the limits.'),
    ('os-vol-host-attr', 'VolumeHostAttribute', 'The backend host of a volume.'),
    ('os-vol-tenant-attr', 'VolumeTenantAttribute', 'The project of a volume.'),
    ('os-volume-actions', 'VolumeActions', 'Extend, retype and set the bootable flag.'),
    ('os-volume-transfer', 'VolumeTransfer', 'Transfer a volume to another project.'),
    ('os-volume-type-access', 'VolumeTypeAccess', 'Private volume types and their '
                                                  'project access.'),
)


def extension_view(alias: str, name: str, description: str) -> dict[str, Any]:
    return {'alias': alias, 'name': name, 'description': description, 'links': [],
            'namespace': f'{_NAMESPACE}{alias}/api/v1', 'updated': _UPDATED}


class ExtensionsController(scope.VolumeController):
    """The extension list: any caller of the project may read it."""

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        scope.project_context(req, project_id, self._services.identity)
        return wsgi.json_response(200, {'extensions': [
            extension_view(*entry) for entry in SUPPORTED]})
