"""/v2.0/agents: neutron's agent extension, over :mod:`nova_lite.network.agents`.

The network service's own worker reports as a ``DHCP agent`` and an ``L3
agent`` on its host. Every call is for admins (neutron's policy): any other
caller sees an empty list (neutron filters the collection by policy) and a
404 for one agent, since it may not know the agent exists. Only
``admin_state_up`` and ``description`` can be changed; any other attribute in
a PUT is a 400 naming it.
"""

from __future__ import annotations

import operator
from typing import Any

import webob

from nova_lite.api import filters, paging, query, routing, wsgi
from nova_lite.common import exception
from nova_lite.network import agents as agent_store
from nova_lite.network.rest import common, errors, sorting
from nova_lite.network.rest.schemas import BOOLEAN

_UPDATABLE: dict[str, Any] = {'admin_state_up': BOOLEAN,
                              'description': {'type': ['string', 'null'], 'maxLength': 255}}
_UPDATE = {'type': 'object', 'required': ['agent'],
           'properties': {'agent': {'type': 'object', 'properties': _UPDATABLE}}}


def _same_text(have: Any, wanted: Any) -> bool:
    """Text filters match regardless of case, as neutron's on MySQL's default collation
    (tempest lists ``agent_type=DHCP Agent``)."""
    return isinstance(have, str) and have.casefold() == str(wanted).casefold()


def _text(key: str) -> filters.Filter:
    return filters.Filter(key, test=_same_text)


_BOOLEAN = filters.boolean(query.NEUTRON_BOOLEAN)
AGENT_FILTERS = {
    'id': filters.Filter('id'), 'agent_type': _text('agent_type'),
    'binary': _text('binary'), 'topic': _text('topic'), 'host': _text('host'),
    'availability_zone': filters.Filter('availability_zone'),
    'description': filters.Filter('description'),
    'admin_state_up': filters.Filter('admin_state_up', _BOOLEAN),
    'alive': filters.Filter('alive', _BOOLEAN),
}
# Agents are few and not a database query: they are sorted in memory.
AGENT_SORT_KEYS = {key: operator.itemgetter(key) for key in (
    'id', 'agent_type', 'binary', 'topic', 'host', 'availability_zone', 'description',
    'admin_state_up', 'alive', 'created_at', 'started_at', 'heartbeat_timestamp')}


def store_of(deps: common.Dependencies) -> agent_store.AgentStore:
    """The agent store over the network manager's database and configuration."""
    return agent_store.AgentStore(deps.networks.db, deps.networks.conf.network.agent_down_time)


class AgentsController(common.NetworkController):
    def __init__(self, deps: common.Dependencies) -> None:
        super().__init__(deps)
        self._agents = store_of(deps)

    def routes(self) -> list[routing.Route]:
        return routing.crud(f'{common.API_PATH}/agents', 'agent_id', self)

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        allowed = self.authorizer.allowed(ctx, 'get_agent')

        def page_of(wanted: list[filters.Wanted],
                    request: paging.PageRequest) -> paging.Page[dict[str, Any]]:
            visible = self._agents.list() if allowed else []
            return paging.paginate(sorting.sorted_in_memory(
                filters.matching(visible, wanted), request.sort, AGENT_SORT_KEYS), request)

        return common.list_response(self._deps, req, 'agents', 'agents', page_of, dict,
                                    AGENT_FILTERS)

    def _visible(self, req: wsgi.Request, agent_id: str) -> dict[str, Any]:
        """The agent, or a 404 for a caller who may not see agents."""
        if not self.authorizer.allowed(req.context, 'get_agent'):
            raise errors.AgentNotFound(f'Agent {agent_id} could not be found.',
                                       resource='Agent', id=agent_id)
        return self._agents.get(agent_id)

    def show(self, req: wsgi.Request, agent_id: str) -> webob.Response:
        return common.show_response(req, 'agent', self._visible(req, agent_id))

    def update(self, req: wsgi.Request, agent_id: str) -> webob.Response:
        body = req.read_json(required=True)
        fields = body.get('agent') if isinstance(body, dict) else None
        if isinstance(fields, dict):
            for name in sorted(fields):
                if name not in _UPDATABLE:
                    raise exception.InvalidInput(
                        f'Cannot update read-only attribute {name}', field=name,
                        reason='is read-only')
        fields = common.body_fields(body, _UPDATE, 'agent')
        self._visible(req, agent_id)
        self.authorizer.authorize(req.context, 'update_agent')
        updated = self._agents.update(agent_id, fields)
        return wsgi.json_response(200, {'agent': updated})

    def delete(self, req: wsgi.Request, agent_id: str) -> webob.Response:
        self._visible(req, agent_id)
        self.authorizer.authorize(req.context, 'delete_agent')
        self._agents.delete(agent_id)
        return wsgi.json_response(204)
