"""Network API: /v2.0/agents (the network service's DHCP and L3 agent) and
/v2.0/service-providers."""

from __future__ import annotations

import datetime

import sqlalchemy as sa

from nova_lite.db.models import network_agents as agent_models
from nova_lite.network import agents
from nova_lite.network.rest import extensions, policies
from nova_lite.wiring import network_agents
from tests.unit.network_rest.conftest import NetworkApi, neutron_error

_MISSING = '00000000-0000-0000-0000-000000000000'


def report(api: NetworkApi, host: str = 'host1') -> list[dict]:
    """The heartbeat of ``host``'s agents, as the network service's process sends it."""
    cloud = api.env.cloud
    store = agents.AgentStore(cloud.db, cloud.conf.network.agent_down_time)
    return store.report(host, 'nova', starting=True)


def test_the_network_service_reports_a_dhcp_and_an_l3_agent(api: NetworkApi) -> None:
    assert api.get('/v2.0/agents').json == {'agents': []}
    report(api)
    listed = api.get('/v2.0/agents').json['agents']
    assert [(a['agent_type'], a['binary'], a['topic'], a['host']) for a in listed] == [
        ('DHCP agent', 'neutron-dhcp-agent', 'dhcp_agent', 'host1'),
        ('L3 agent', 'neutron-l3-agent', 'l3_agent', 'host1')]
    dhcp = listed[0]
    assert dhcp['alive'] is True and dhcp['admin_state_up'] is True
    assert dhcp['availability_zone'] == 'nova' and dhcp['description'] is None
    hosted = api.get(f'/v2.0/agents/{dhcp["id"]}/dhcp-networks').json['networks']
    assert dhcp['configurations']['networks'] == len(hosted)
    assert listed[1]['configurations']['agent_mode'] == 'legacy'
    assert set(dhcp) >= {'created_at', 'started_at', 'heartbeat_timestamp', 'configurations'}
    datetime.datetime.strptime(dhcp['heartbeat_timestamp'], '%Y-%m-%d %H:%M:%S')
    shown = api.get(f'/v2.0/agents/{dhcp["id"]}?fields=id&fields=host')
    assert shown.json == {'agent': {'id': dhcp['id'], 'host': 'host1'}}
    # A second heartbeat keeps the same rows.
    report(api)
    assert [a['id'] for a in api.get('/v2.0/agents').json['agents']] == [
        a['id'] for a in listed]
    check_list_filters(api)
    check_an_agent_without_a_recent_heartbeat_is_dead(api)
    check_the_reporter(api)


def check_list_filters(api: NetworkApi) -> None:
    report(api, 'host2')
    dhcp = api.get('/v2.0/agents?agent_type=DHCP Agent').json['agents']
    assert {a['host'] for a in dhcp} == {'host1', 'host2'}
    assert {a['agent_type'] for a in dhcp} == {'DHCP agent'}
    l3_host2 = api.get('/v2.0/agents?binary=neutron-l3-agent&host=host2').json['agents']
    assert [(a['topic'], a['host']) for a in l3_host2] == [('l3_agent', 'host2')]
    assert len(api.get('/v2.0/agents?alive=true').json['agents']) == 4
    # The sorting extension covers this list too (in memory), with paging.
    by_host = api.get('/v2.0/agents?sort_key=host&sort_dir=desc&sort_key=agent_type'
                      '&sort_dir=asc').json['agents']
    assert [(a['host'], a['agent_type']) for a in by_host] == [
        ('host2', 'DHCP agent'), ('host2', 'L3 agent'), ('host1', 'DHCP agent'),
        ('host1', 'L3 agent')]
    first = api.get('/v2.0/agents?sort_key=host&sort_dir=desc&limit=2').json
    assert [a['host'] for a in first['agents']] == ['host2', 'host2']
    assert 'sort_key=host' in first['agents_links'][0]['href']
    bad = api.get('/v2.0/agents?sort_key=configurations&sort_dir=asc')
    assert bad.status_int == 400 and 'sort_key' in bad.json['NeutronError']['message']
    assert api.get('/v2.0/agents?alive=false').json['agents'] == []
    bad = api.get('/v2.0/agents?alive=maybe')
    assert bad.status_int == 400 and 'alive' in neutron_error(bad)['message']
    assert api.get('/v2.0/agents?colour=blue').status_int == 400


def check_an_agent_without_a_recent_heartbeat_is_dead(api: NetworkApi) -> None:
    old = datetime.datetime(2020, 1, 1)
    with api.env.cloud.db.session() as session:
        session.execute(sa.update(agent_models.Agent).values(heartbeat_timestamp=old))
    listed = api.get('/v2.0/agents').json['agents']
    assert [a['alive'] for a in listed] == [False] * 4
    assert len(api.get('/v2.0/agents?alive=false').json['agents']) == 4
    report(api)
    assert [a['alive'] for a in api.get('/v2.0/agents').json['agents']] == [True, True,
                                                                           False, False]


def test_update_delete_and_non_admins(api: NetworkApi) -> None:
    check_update_takes_admin_state_up_and_description_only(api)
    check_a_non_admin_sees_no_agent_and_changes_none(api)
    check_delete_removes_the_agent_until_its_next_heartbeat(api)


def check_update_takes_admin_state_up_and_description_only(api: NetworkApi) -> None:
    agent_id = report(api)[0]['id']
    response = api.put(f'/v2.0/agents/{agent_id}',
                       {'agent': {'admin_state_up': False, 'description': 'spare'}})
    assert response.status_int == 200, response.body
    assert (response.json['agent']['admin_state_up'],
            response.json['agent']['description']) == (False, 'spare')
    assert api.get(f'/v2.0/agents/{agent_id}').json['agent']['admin_state_up'] is False
    for field, value in (('host', 'other'), ('agent_type', 'L3 agent'), ('alive', True)):
        refused = api.put(f'/v2.0/agents/{agent_id}', {'agent': {field: value}})
        assert refused.status_int == 400, refused.body
        assert field in neutron_error(refused)['message']
    bad = api.put(f'/v2.0/agents/{agent_id}', {'agent': {'admin_state_up': 'perhaps'}})
    assert bad.status_int == 400 and 'admin_state_up' in neutron_error(bad)['message']
    assert api.get(f'/v2.0/agents/{agent_id}').json['agent']['host'] == 'host1'
    missing = api.put(f'/v2.0/agents/{_MISSING}', {'agent': {'description': 'x'}})
    assert missing.status_int == 404
    assert neutron_error(missing)['type'] == 'AgentNotFound'


def check_delete_removes_the_agent_until_its_next_heartbeat(api: NetworkApi) -> None:
    agent_id = report(api)[0]['id']
    assert api.delete(f'/v2.0/agents/{agent_id}').status_int == 204
    assert api.get(f'/v2.0/agents/{agent_id}').status_int == 404
    assert api.delete(f'/v2.0/agents/{agent_id}').status_int == 404
    assert len(api.get('/v2.0/agents').json['agents']) == 1
    report(api)
    again = api.get('/v2.0/agents?agent_type=DHCP agent').json['agents']
    assert len(again) == 1 and again[0]['id'] != agent_id


def check_a_non_admin_sees_no_agent_and_changes_none(api: NetworkApi) -> None:
    agent_id = report(api)[0]['id']
    for roles in (('reader',), ('member',)):
        token = api.user_token(f'p-{roles[0]}', f'u-{roles[0]}', roles)
        response = api.get('/v2.0/agents', token=token)
        assert response.status_int == 200, response.body
        assert response.json == {'agents': []}
        assert api.get(f'/v2.0/agents/{agent_id}', token=token).status_int == 404
        assert api.put(f'/v2.0/agents/{agent_id}', {'agent': {'description': 'x'}},
                       token=token).status_int == 404
        assert api.delete(f'/v2.0/agents/{agent_id}', token=token).status_int == 404
    assert api.get(f'/v2.0/agents/{agent_id}').json['agent']['description'] == 'spare'


def test_agent_rules_are_admin_only_and_the_extensions_are_advertised() -> None:
    rules = {rule.name: rule.check_str for rule in policies.list_rules()}
    for name in ('get_agent', 'update_agent', 'delete_agent', 'get_dhcp-agents',
                 'get_dhcp-networks', 'create_dhcp-network', 'delete_dhcp-network',
                 'get_l3-agents', 'get_l3-routers', 'create_l3-router', 'delete_l3-router'):
        assert rules[name] == 'role:admin', name
    for alias in ('agent', 'dhcp_agent_scheduler', 'l3_agent_scheduler'):
        assert alias in extensions.EXTENSIONS


def check_the_reporter(api: NetworkApi) -> None:
    """The reporter registers at start and survives a failing report."""
    cloud = api.env.cloud
    store = agents.AgentStore(cloud.db, 75)
    reporter = network_agents.AgentReporter(store, 'host9', 'az9', interval=3600)
    reporter.start()
    try:
        listed = api.get('/v2.0/agents?host=host9').json['agents']
        assert {(a['agent_type'], a['availability_zone']) for a in listed} == {
            ('DHCP agent', 'az9'), ('L3 agent', 'az9')}
    finally:
        reporter.stop()

    class Broken:
        def report(self, *args: object, **kwargs: object) -> list[dict]:
            raise RuntimeError('database gone')

    network_agents.AgentReporter(Broken(), 'h', 'az', 1).report()  # type: ignore[arg-type]


def test_service_providers_are_listed_empty_and_filtered(api: NetworkApi) -> None:
    response = api.get('/v2.0/service-providers?service_type=L3_ROUTER_NAT&fields=name')
    assert response.status_int == 200, response.body
    assert response.json == {'service_providers': []}
    bad = api.get('/v2.0/service-providers?default=maybe')
    assert bad.status_int == 400
    assert 'default' in bad.json['NeutronError']['message']
    assert api.get('/v2.0/service-providers', token='').status_int == 401
    assert api.get('/v2.0/extensions/service-type').status_int == 200
