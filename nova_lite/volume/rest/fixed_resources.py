"""Block storage resources with a fixed answer in nova_lite.

One availability zone, the project's absolute limits (its block storage
quotas and their usage, see :mod:`nova_lite.volume.quotas`), and no backups:
clients list these before and around volume commands.
"""

from __future__ import annotations

import webob
from oslo_config import cfg

from nova_lite.api import policy, wsgi
from nova_lite.volume import quotas
from nova_lite.volume.rest import policies, scope


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
        self._context(req, project_id, policies.LIMITS)
        engine = self._services.volumes.quotas
        absolute = quotas.absolute_limits(engine.limits(project_id), engine.usage(project_id))
        return wsgi.json_response(200, {'limits': {'rate': [], 'absolute': absolute}})

    def list_backups(self, req: wsgi.Request, project_id: str) -> webob.Response:
        self._context(req, project_id, policies.BACKUPS)
        return wsgi.json_response(200, {'backups': []})
