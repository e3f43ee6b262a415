"""Network API: which agent hosts which network (dhcp_agent_scheduler) and router
(l3_agent_scheduler)."""

from __future__ import annotations

import datetime

import sqlalchemy as sa

from nova_lite.db.models import network_agents as agent_models
from nova_lite.network import agents
from tests.unit.network_rest.conftest import NetworkApi, neutron_error

_MISSING = '00000000-0000-0000-0000-000000000000'


def report(api: NetworkApi, host: str) -> dict[str, str]:
    """``host``'s agents (reported as at a process start): agent type -> id."""
    cloud = api.env.cloud
    store = agents.AgentStore(cloud.db, cloud.conf.network.agent_down_time)
    return {agent['agent_type']: agent['id']
            for agent in store.report(host, 'nova', starting=True)}


def network_ids(api: NetworkApi, agent_id: str) -> list[str]:
    response = api.get(f'/v2.0/agents/{agent_id}/dhcp-networks')
    assert response.status_int == 200, response.body
    return [network['id'] for network in response.json['networks']]


def dhcp_agent_ids(api: NetworkApi, network_id: str) -> list[str]:
    response = api.get(f'/v2.0/networks/{network_id}/dhcp-agents')
    assert response.status_int == 200, response.body
    return [agent['id'] for agent in response.json['agents']]


def create(api: NetworkApi, collection: str, body: dict) -> dict:
    key = collection[:-1]
    response = api.post(f'/v2.0/{collection}', {key: body})
    assert response.status_int == 201, response.body
    return response.json[key]


def test_dhcp_scheduling_as_neutron(api: NetworkApi) -> None:
    # The network the environment made before any agent existed is taken when
    # the agent starts.
    host1 = report(api, 'host1')
    dhcp = host1['DHCP agent']
    assert network_ids(api, dhcp) == [api.env.network['id']]
    # A network needs a DHCP agent once it has a subnet with DHCP.
    network = create(api, 'networks', {'name': 'n1'})
    assert dhcp_agent_ids(api, network['id']) == []
    create(api, 'subnets', {'network_id': network['id'], 'cidr': '10.9.0.0/24',
                            'ip_version': 4, 'enable_dhcp': False})
    assert dhcp_agent_ids(api, network['id']) == []
    create(api, 'subnets', {'network_id': network['id'], 'cidr': '10.9.1.0/24',
                            'ip_version': 4})
    assert dhcp_agent_ids(api, network['id']) == [dhcp]
    shown = api.get(f'/v2.0/agents/{dhcp}').json['agent']
    assert shown['configurations']['networks'] == 1  # counted at the last heartbeat
    assert report(api, 'host1') and api.get(
        f'/v2.0/agents/{dhcp}').json['agent']['configurations']['networks'] == 2

    # An admin removes it by hand; a new port schedules it again.
    assert api.delete(f'/v2.0/agents/{dhcp}/dhcp-networks/{network["id"]}').status_int == 204
    assert network['id'] not in network_ids(api, dhcp)
    again = api.delete(f'/v2.0/agents/{dhcp}/dhcp-networks/{network["id"]}')
    assert again.status_int == 409
    assert neutron_error(again)['type'] == 'NetworkNotHostedByDhcpAgent'
    create(api, 'ports', {'network_id': network['id']})
    assert dhcp_agent_ids(api, network['id']) == [dhcp]

    # Adding by hand, also a network without subnets; twice is a 409.
    bare = create(api, 'networks', {'name': 'bare'})
    added = api.post(f'/v2.0/agents/{dhcp}/dhcp-networks', {'network_id': bare['id']})
    assert added.status_int == 201 and added.body == b'null'
    assert bare['id'] in network_ids(api, dhcp)
    twice = api.post(f'/v2.0/agents/{dhcp}/dhcp-networks', {'network_id': bare['id']})
    assert twice.status_int == 409
    assert neutron_error(twice)['type'] == 'NetworkHostedByDHCPAgent'
    for agent_id, body, status, kind in (
            (host1['L3 agent'], {'network_id': bare['id']}, 404, 'InvalidDHCPAgent'),
            (_MISSING, {'network_id': bare['id']}, 404, 'InvalidDHCPAgent'),
            (dhcp, {'network_id': _MISSING}, 404, 'NetworkNotFound'),
            (dhcp, {'network_id': 'not-a-uuid'}, 400, None),
            (dhcp, {}, 400, None)):
        refused = api.post(f'/v2.0/agents/{agent_id}/dhcp-networks', body)
        assert refused.status_int == status, (agent_id, body, refused.body)
        if kind is not None:
            assert neutron_error(refused)['type'] == kind
        else:
            assert 'network_id' in neutron_error(refused)['message']
    assert api.get(f'/v2.0/networks/{_MISSING}/dhcp-agents').status_int == 404
    assert api.get(f'/v2.0/agents/{_MISSING}/dhcp-networks').json == {'networks': []}

    # Deleting a network removes its bindings.
    assert api.delete(f'/v2.0/networks/{bare["id"]}').status_int == 204
    assert bare['id'] not in network_ids(api, dhcp)

    # Only a live, admin-up agent is scheduled to: the less busy one.
    host2 = report(api, 'host2')
    busiest = create(api, 'networks', {'name': 'n2'})
    create(api, 'subnets', {'network_id': busiest['id'], 'cidr': '10.9.2.0/24',
                            'ip_version': 4})
    assert dhcp_agent_ids(api, busiest['id']) == [host2['DHCP agent']]
    api.put(f'/v2.0/agents/{host2["DHCP agent"]}', {'agent': {'admin_state_up': False}})
    with api.env.cloud.db.session() as session:
        session.execute(sa.update(agent_models.Agent)
                        .where(agent_models.Agent.id == dhcp)
                        .values(heartbeat_timestamp=datetime.datetime(2020, 1, 1)))
    orphan = create(api, 'networks', {'name': 'n3'})
    create(api, 'subnets', {'network_id': orphan['id'], 'cidr': '10.9.3.0/24',
                            'ip_version': 4})
    assert dhcp_agent_ids(api, orphan['id']) == []
    disabled = api.post(f'/v2.0/agents/{host2["DHCP agent"]}/dhcp-networks',
                        {'network_id': orphan['id']})
    assert disabled.status_int == 404
    # Deleting an agent deletes its bindings.
    assert api.delete(f'/v2.0/agents/{dhcp}').status_int == 204
    assert dhcp_agent_ids(api, network['id']) == []


def test_l3_scheduling_and_admin_only_calls(api: NetworkApi) -> None:
    early = create(api, 'routers', {'name': 'early'})
    l3 = report(api, 'host1')['L3 agent']
    assert [r['id'] for r in api.get(f'/v2.0/agents/{l3}/l3-routers').json['routers']] == [
        early['id']]
    router = create(api, 'routers', {'name': 'r1'})
    hosting = api.get(f'/v2.0/routers/{router["id"]}/l3-agents').json['agents']
    assert [(a['id'], a['agent_type']) for a in hosting] == [(l3, 'L3 agent')]
    assert api.delete(f'/v2.0/agents/{l3}/l3-routers/{router["id"]}').status_int == 204
    assert api.get(f'/v2.0/routers/{router["id"]}/l3-agents').json == {'agents': []}
    gone = api.delete(f'/v2.0/agents/{l3}/l3-routers/{router["id"]}')
    assert neutron_error(gone)['type'] == 'RouterNotHostedByL3Agent'
    added = api.post(f'/v2.0/agents/{l3}/l3-routers', {'router_id': router['id']})
    assert added.status_int == 201
    assert neutron_error(api.post(f'/v2.0/agents/{l3}/l3-routers', {
        'router_id': router['id']}))['type'] == 'RouterHostedByL3Agent'
    assert api.get(f'/v2.0/routers/{_MISSING}/l3-agents').status_int == 404
    assert api.delete(f'/v2.0/routers/{router["id"]}').status_int == 204
    remaining = api.get(f'/v2.0/agents/{l3}/l3-routers').json['routers']
    assert [r['id'] for r in remaining] == [early['id']]

    token = api.user_token('p-member', 'u-member', ('member',))
    network_id = api.env.network['id']
    for method, path, body in (
            ('GET', f'/v2.0/networks/{network_id}/dhcp-agents', None),
            ('GET', f'/v2.0/agents/{l3}/dhcp-networks', None),
            ('POST', f'/v2.0/agents/{l3}/dhcp-networks', {'network_id': network_id}),
            ('DELETE', f'/v2.0/agents/{l3}/dhcp-networks/{network_id}', None),
            ('GET', f'/v2.0/routers/{early["id"]}/l3-agents', None),
            ('GET', f'/v2.0/agents/{l3}/l3-routers', None),
            ('POST', f'/v2.0/agents/{l3}/l3-routers', {'router_id': early['id']}),
            ('DELETE', f'/v2.0/agents/{l3}/l3-routers/{early["id"]}', None)):
        response = api.call(method, path, body, token=token)
        assert response.status_int == 403, (method, path, response.body)
