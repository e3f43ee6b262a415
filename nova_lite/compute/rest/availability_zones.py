"""``/os-availability-zone`` (anyone) and ``/os-availability-zone/detail`` (admins).

A compute host's zone is its aggregate's (an aggregate with an
``availability_zone``) or ``[DEFAULT] default_availability_zone``; a zone is
available while one of its compute services is enabled. The detail adds each
zone's hosts and services, and the ``internal`` zone of the scheduler.
"""

from __future__ import annotations

import collections
from typing import Any

import webob
from oslo_config import cfg

from nova_lite.api import routing, wsgi
from nova_lite.compute import services as service_store
from nova_lite.compute.rest import admin_policies, base


class AvailabilityZonesHandler(base.ComputeController):
    def __init__(self, conf: cfg.ConfigOpts, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._conf = conf
        self._services = rest.services.admin_stores.services

    def routes(self) -> list[routing.Route]:
        return [('GET', '/os-availability-zone', self.index),
                ('GET', '/os-availability-zone/detail', self.detail)]

    def _zones(self, *, internal: bool) -> list[dict[str, Any]]:
        by_zone: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
        for service in self._services.list():
            if internal or service['binary'] == service_store.COMPUTE:
                by_zone[service['zone']].append(service)
        if not any(zone != service_store.INTERNAL_ZONE for zone in by_zone):
            by_zone[self._conf.default_availability_zone] = []
        zones = []
        for name in sorted(by_zone, key=lambda z: (z != service_store.INTERNAL_ZONE, z)):
            services = by_zone[name]
            available = not services or any(not s['disabled'] for s in services)
            zones.append({'zoneName': name, 'zoneState': {'available': available},
                          'services': services})
        return zones

    def index(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.ZONES_LIST)
        return wsgi.json_response(200, {'availabilityZoneInfo': [
            {'zoneName': z['zoneName'], 'zoneState': z['zoneState'], 'hosts': None}
            for z in self._zones(internal=False)]})

    def detail(self, req: wsgi.Request) -> webob.Response:
        self.authorizer.authorize(req.context, admin_policies.ZONES_DETAIL)
        info = []
        for zone in self._zones(internal=True):
            hosts: dict[str, dict[str, Any]] = collections.defaultdict(dict)
            for service in zone['services']:
                hosts[service['host']][service['binary']] = {
                    'available': service['up'], 'active': not service['disabled'],
                    'updated_at': service['updated_at']}
            info.append({'zoneName': zone['zoneName'], 'zoneState': zone['zoneState'],
                         'hosts': dict(hosts) or None})
        return wsgi.json_response(200, {'availabilityZoneInfo': info})
