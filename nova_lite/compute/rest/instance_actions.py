"""``GET /servers/{id}/os-instance-actions`` and ``.../{request_id}``: what was done to a
server, one action per request, with the events of the flows that carried it out."""

from __future__ import annotations

import datetime
from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.common import exception, timeutils
from nova_lite.compute.rest import action_policies, base, query_params, views
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import api_version

_LIST_QUERY: dict[str, Any] = {
    'type': 'object',
    'properties': {'limit': {'type': 'string', 'pattern': '^[0-9]+$'},
                   'marker': {'type': 'string'},
                   'changes-since': {'type': 'string'},
                   'changes-before': {'type': 'string'}},
}


def _time(value: str, field: str) -> datetime.datetime:
    try:
        parsed = datetime.datetime.fromisoformat(value.replace('Z', '+00:00'))
    except ValueError:
        raise exception.InvalidInput(field=field, reason='must be an ISO 8601 time') from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(datetime.UTC).replace(tzinfo=None)
    return parsed


class InstanceActionsHandler(base.ComputeController):
    def routes(self) -> list[routing.Route]:
        return [('GET', '/servers/{server_id}/os-instance-actions', self.index),
                ('GET', '/servers/{server_id}/os-instance-actions/{request_id}', self.show)]

    def _instance(self, req: wsgi.Request, server_id: str, rule: str) -> dict[str, Any]:
        """The server (a deleted one too, from 2.21), its actions readable by the caller."""
        ctx = req.context
        instances = self._rest.services.instances
        try:
            instance = instances.get(server_id, include_deleted=api_version(req)
                                     >= changes.ACTIONS_OF_DELETED)
        except exception.NotFound:
            raise exception.NotFound(resource='Instance', id=server_id) from None
        if instance['project_id'] != ctx.project_id and not ctx.is_admin:
            raise exception.NotFound(resource='Instance', id=server_id)
        self.authorizer.authorize(ctx, rule, project_id=instance['project_id'])
        return instance

    def _action_view(self, req: wsgi.Request, action: dict[str, Any]) -> dict[str, Any]:
        body = {'action': action['action'], 'instance_uuid': action['instance_uuid'],
                'message': action['message'], 'project_id': action['project_id'],
                'request_id': action['request_id'], 'user_id': action['user_id'],
                'start_time': timeutils.isotime(action['start_time'])}
        if api_version(req) >= changes.ACTIONS_PAGING:
            body['updated_at'] = timeutils.isotime(action['updated_at'])
        return body

    def index(self, req: wsgi.Request, server_id: str) -> webob.Response:
        instance = self._instance(req, server_id, action_policies.INSTANCE_ACTIONS_LIST)
        filters: dict[str, Any] = {}
        if api_version(req) >= changes.ACTIONS_PAGING:
            params = query_params.read(req, _LIST_QUERY)
            if 'limit' in params:
                filters['limit'] = int(params['limit'])
            filters['marker'] = params.get('marker')
            for key in ('changes-since', 'changes-before'):
                if key in params:
                    filters[key.replace('-', '_')] = _time(params[key], key)
            since, before = filters.get('changes_since'), filters.get('changes_before')
            if since is not None and before is not None and since > before:
                raise exception.InvalidInput(field='changes-before',
                                             reason='is before changes-since')
        actions = self._rest.services.instance_actions.list_actions(instance['id'], **filters)
        body: dict[str, Any] = {'instanceActions': [self._action_view(req, action)
                                                    for action in actions]}
        limit = filters.get('limit')
        if limit is not None and actions and len(actions) >= limit:
            body['links'] = [{'rel': 'next', 'href': (
                f'{self._rest.links.base_url}/servers/{instance["id"]}/os-instance-actions'
                f'?limit={limit}&marker={actions[-1]["request_id"]}')}]
        return wsgi.json_response(200, body)

    def show(self, req: wsgi.Request, server_id: str, request_id: str) -> webob.Response:
        instance = self._instance(req, server_id, action_policies.INSTANCE_ACTIONS_SHOW)
        action = self._rest.services.instance_actions.get_action(instance['id'], request_id)
        body = self._action_view(req, action)
        version = api_version(req)
        ctx = req.context
        may_trace = self.authorizer.allowed(ctx, action_policies.INSTANCE_ACTIONS_EVENTS,
                                          project_id=instance['project_id'])
        if may_trace or version >= changes.ACTION_EVENTS_FOR_ALL:
            may_detail = self.authorizer.allowed(
                ctx, action_policies.INSTANCE_ACTIONS_EVENTS_DETAILS,
                project_id=instance['project_id'])
            body['events'] = [self._event_view(version, event, instance, may_trace,
                                               may_detail) for event in action['events']]
        return wsgi.json_response(200, {'instanceAction': body})

    @staticmethod
    def _event_view(version: tuple[int, int], event: dict[str, Any],
                    instance: dict[str, Any], may_trace: bool,
                    may_detail: bool) -> dict[str, Any]:
        view: dict[str, Any] = {'event': event['event'],
                                'start_time': timeutils.isotime(event['start_time']),
                                'finish_time': timeutils.isotime(event['finish_time']),
                                'result': event['result']}
        if may_trace:
            view['traceback'] = event['traceback']
        if version >= changes.ACTION_EVENT_HOST:
            view['hostId'] = (views.host_id(instance['project_id'], event['host'])
                              if event['host'] else '')
            if may_trace:
                view['host'] = event['host'] or ''
        if version >= changes.ACTION_EVENT_DETAILS and may_detail:
            view['details'] = event['details']
        return view
