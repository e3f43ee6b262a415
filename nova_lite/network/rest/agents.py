"""/v2.0/agents: list and show neutron's agents.

nova_lite runs no DHCP, L3 or L2 agent: addresses come from the network
manager's IPAM and hosts configure their ports themselves, so there is no agent
to report and no ``agent`` extension is advertised. The resource still answers
as neutron does: ``get_agent`` is for admins, a caller whom the policy does not
allow sees an empty list (neutron filters the collection by policy) and a
missing agent is a 404.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.network.rest import common, errors


def known_agents() -> list[dict[str, Any]]:
    """The agents nova_lite runs: none (see the module docstring)."""
    return []


class AgentsController(common.NetworkController):
    def routes(self) -> list[routing.Route]:
        collection = f'{common.API_PATH}/agents'
        return [('GET', collection, self.index),
                ('GET', f'{collection}/{{agent_id}}', self.show)]

    def index(self, req: wsgi.Request) -> webob.Response:
        ctx = req.context
        visible = known_agents() if self.authorizer.allowed(ctx, 'get_agent') else []
        return wsgi.json_response(200, {'agents': visible})

    def show(self, req: wsgi.Request, agent_id: str) -> webob.Response:
        ctx = req.context
        visible = known_agents() if self.authorizer.allowed(ctx, 'get_agent') else []
        for agent in visible:
            if agent['id'] == agent_id:
                return common.show_response(req, 'agent', agent)
        raise errors.AgentNotFound(resource='Agent', id=agent_id)
