"""Block storage resources with a fixed answer in nova_lite.

One availability zone, no quotas (limits
are -1, usage is counted), and no backups: clients list these
before and around volume commands, so they answer as an empty cinder would.
"""

from __future__ import annotations

from typing import Any

import webob
from oslo_config import cfg

from nova_lite.api import policy, wsgi
from nova_lite.volume.rest import policies, scope

UNLIMITED = -1


class FixedResourcesController(scope.VolumeController):
    """Availability zones, limits and backups."""

    def __init__(self, conf: cfg.ConfigOpts, services: scope.VolumeServices,
                 authorizer: policy.Authorizer) -> None:
        super().__init__(services, authorizer)
        self._conf = conf

    def availability_zones(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self._context(req, project_id, policies.AVAILABILITY_ZONES)
        zone = {'zoneName': self._conf.default_availability_zone,
                'zoneState': {'available': True}}
        return wsgi.json_response(200, {'availabilityZoneInfo': [zone]})

    def limits(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.LIMITS)
        volumes = [volume for volume in self._services.volumes.list_volumes(ctx)
                   if volume['os-vol-tenant-attr:tenant_id'] == ctx.project_id]
        absolute: dict[str, Any] = {
            'maxTotalVolumes': UNLIMITED, 'maxTotalVolumeGigabytes': UNLIMITED,
            'maxTotalSnapshots': UNLIMITED, 'maxTotalBackups': UNLIMITED,
            'maxTotalBackupGigabytes': UNLIMITED,
            'totalVolumesUsed': len(volumes),
            'totalGigabytesUsed': sum(volume['size'] for volume in volumes),
            'totalSnapshotsUsed': len(self._services.volumes.snapshots.list(
                ctx, project_id=ctx.project_id)),
            'totalBackupsUsed': 0, 'totalBackupGigabytesUsed': 0,
        }
        return wsgi.json_response(200, {'limits': {'rate': [], 'absolute': absolute}})

    def list_backups(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self._context(req, project_id, policies.BACKUPS)
        return wsgi.json_response(200, {'backups': []})
