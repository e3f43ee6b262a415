"""Agent and agent-scheduler errors under neutron's type names."""

from __future__ import annotations

from nova_lite.common import exception


class AgentNotFound(exception.NotFound):
    msg_fmt = 'Agent %(id)s could not be found.'


class InvalidDHCPAgent(AgentNotFound):
    msg_fmt = 'Agent %(id)s is not a valid DHCP Agent or has been disabled'


class InvalidL3Agent(AgentNotFound):
    msg_fmt = 'Agent %(id)s is not a L3 Agent or has been disabled'


class NetworkHostedByDHCPAgent(exception.Conflict):
    msg_fmt = ('The network %(network_id)s has been already hosted by the DHCP Agent '
               '%(agent_id)s.')


class NetworkNotHostedByDhcpAgent(exception.Conflict):
    msg_fmt = 'The network %(network_id)s is not hosted by the DHCP agent %(agent_id)s.'


class RouterHostedByL3Agent(exception.Conflict):
    msg_fmt = ('The router %(router_id)s has been already hosted by the L3 Agent '
               '%(agent_id)s.')


class RouterNotHostedByL3Agent(exception.Conflict):
    msg_fmt = 'The router %(router_id)s is not hosted by L3 agent %(agent_id)s.'
