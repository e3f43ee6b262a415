"""``POST /os-server-external-events``: the network and block storage services tell
compute of a change to a server (admin only).

Each event answers with its own ``code`` (200, or 404 for an unknown server,
422 for a server not built or a bad tag, its status then ``failed``); the
request answers 200 when every event was 200, 207 otherwise, and 404 when no
event was accepted (as nova). Which event names a request may
carry grows with the microversion (power-update 2.76,
accelerator-request-bound 2.82, volume-reimaged 2.93).
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import controller, routing, wsgi
from nova_lite.api.validation import UUID_PATTERN
from nova_lite.common import exception
from nova_lite.compute import external_events
from nova_lite.compute.rest import base, version_changes
from nova_lite.compute.rest import proxy_policies as policies
from nova_lite.compute.rest.api_version import Version, api_version

BASE_EVENTS = ('network-changed', 'network-vif-plugged', 'network-vif-unplugged',
               'network-vif-deleted', 'volume-extended')
LATER_EVENTS = ((version_changes.EVENT_POWER_UPDATE, 'power-update'),
                (version_changes.EVENT_ACCELERATOR_BOUND,
                 'accelerator-request-bound'),
                (version_changes.EVENT_VOLUME_REIMAGED, 'volume-reimaged'))


def event_names(version: Version) -> list[str]:
    return [*BASE_EVENTS, *(name for since, name in LATER_EVENTS if version >= since)]


def events_request(version: Version) -> dict[str, Any]:
    return {
        'type': 'object',
        'properties': {'events': {
            'type': 'array', 'minItems': 1,
            'items': {
                'type': 'object',
                'properties': {
                    'server_uuid': {'type': 'string', 'pattern': UUID_PATTERN},
                    'name': {'type': 'string', 'enum': event_names(version)},
                    'status': {'type': 'string',
                               'enum': ['failed', 'completed', 'in-progress']},
                    'tag': {'type': 'string', 'maxLength': 255},
                },
                'required': ['server_uuid', 'name'],
                'additionalProperties': False,
            },
        }},
        'required': ['events'],
        'additionalProperties': False,
    }


class ExternalEventsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest,
                 recorder: external_events.EventRecorder | None = None) -> None:
        super().__init__(rest)
        self._events = external_events.ExternalEvents(
            instances=rest.services.instances, networks=rest.services.network_proxy,
            recorder=recorder, compute=rest.services.compute_rpcapi)

    def routes(self) -> list[routing.Route]:
        return [('POST', '/os-server-external-events', self.create)]

    def create(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        self.authorizer.authorize(ctx, policies.EXTERNAL_EVENTS)
        body = controller.read_body(req, events_request(api_version(req)))
        answered = []
        for item in body['events']:
            event = external_events.Event(
                server_uuid=item['server_uuid'], name=item['name'],
                status=item.get('status', 'completed'), tag=item.get('tag'))
            code = self._events.handle(ctx, event)
            entry: dict[str, Any] = {'server_uuid': event.server_uuid, 'name': event.name,
                                     'status': event.status if code == 200 else 'failed',
                                     'code': code}
            if event.tag is not None:
                entry['tag'] = event.tag
            answered.append(entry)
        if not any(entry['code'] == 200 for entry in answered):
            raise exception.NotFound(message='No instances found for any event.')
        status = 200 if all(entry['code'] == 200 for entry in answered) else 207
        return wsgi.json_response(status, {'events': answered})
