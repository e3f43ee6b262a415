"""Network API: /v2.0/agents (nova_lite runs no neutron agents) and /v2.0/service-providers."""

from __future__ import annotations

from nova_lite.network.rest import extensions, policies
from tests.unit.network_rest.conftest import NetworkApi, neutron_error


def test_agents_are_for_admins_and_there_are_none(api: NetworkApi) -> None:
    response = api.get('/v2.0/agents')
    assert response.status_int == 200, response.body
    assert response.json == {'agents': []}
    missing = api.get('/v2.0/agents/00000000-0000-0000-0000-000000000000')
    assert missing.status_int == 404
    assert neutron_error(missing)['type'] == 'AgentNotFound'


def test_a_non_admin_sees_an_empty_list(api: NetworkApi) -> None:
    for roles in (('reader',), ('member',)):
        token = api.user_token(f'p-{roles[0]}', f'u-{roles[0]}', roles)
        response = api.get('/v2.0/agents', token=token)
        assert response.status_int == 200, response.body
        assert response.json == {'agents': []}
        assert api.get('/v2.0/agents/x', token=token).status_int == 404


def test_get_agent_is_an_admin_rule_and_no_agent_extension() -> None:
    rules = {rule.name: rule.check_str for rule in policies.list_rules()}
    assert rules['get_agent'] == 'role:admin'
    assert 'agent' not in extensions.EXTENSIONS


def test_service_providers_are_listed_empty_and_filtered(api: NetworkApi) -> None:
    response = api.get('/v2.0/service-providers?service_type=L3_ROUTER_NAT&fields=name')
    assert response.status_int == 200, response.body
    assert response.json == {'service_providers': []}
    bad = api.get('/v2.0/service-providers?default=maybe')
    assert bad.status_int == 400
    assert 'default' in bad.json['NeutronError']['message']
    assert api.get('/v2.0/service-providers', token='').status_int == 401
    assert api.get('/v2.0/extensions/service-type').status_int == 200
