"""The identity clients, in-process and over the identity REST API, and the
in-process clients' token checks."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from keystoneauth1 import token_endpoint

from nova_lite.api import server as wsgi_server
from nova_lite.clients import http, local
from nova_lite.common import context as nl_context
from nova_lite.common import exception
from nova_lite.identity import rest as identity_rest
from tests.functional.conftest import CloudEnv, MakeEnv, make_env  # noqa: F401


@pytest.fixture
def served(make_env: MakeEnv) -> Iterator[tuple[CloudEnv, str]]:  # noqa: F811
    env = make_env()
    server = wsgi_server.WSGIServer('identity', identity_rest.make_app(
        env.cloud.conf, env.cloud.services, None, 'http://127.0.0.1:1'), '127.0.0.1', 0)
    server.start()
    yield env, server.url
    server.stop()


def _check_context(ctx: nl_context.RequestContext, env: CloudEnv) -> None:
    assert (ctx.user_id, ctx.project_id) == (env.ctx.user_id, env.ctx.project_id)
    assert ctx.auth_token == env.token and ctx.is_admin and 'admin' in ctx.roles
    assert ctx.project_name == 'admin' and ctx.user_domain_id == env.ctx.user_domain_id


def test_http_identity_client(served: tuple[CloudEnv, str]) -> None:
    env, url = served
    client = http.IdentityClient(url)
    assert client.validate_token(env.token)['project']['id'] == env.ctx.project_id
    _check_context(client.context_from_token(env.token), env)
    with pytest.raises(exception.NotAuthorized):
        client.context_from_token('not-a-token')
    # Projects are read with the session's own credentials; none here.
    with pytest.raises(exception.NotAuthorized):
        client.get_project(str(env.ctx.project_id))

    session = http.new_session()
    session.auth = token_endpoint.Token(url, env.token)
    with_credentials = http.IdentityClient(url, session)
    assert with_credentials.get_project(str(env.ctx.project_id))['name'] == 'admin'
    assert 'admin' in {project['name'] for project in with_credentials.list_projects()}
    with pytest.raises(exception.NotFound):
        with_credentials.get_project(uuid.uuid4().hex)


def test_local_identity_client(make_env: MakeEnv) -> None:  # noqa: F811
    env = make_env()
    client = local.IdentityClient(env.cloud.identity)
    assert client.validate_token(env.token)['user']['id'] == env.ctx.user_id
    _check_context(client.context_from_token(env.token), env)
    assert client.get_project(str(env.ctx.project_id))['id'] == env.ctx.project_id
    assert env.ctx.project_id in {project['id'] for project in client.list_projects()}
    with pytest.raises(exception.NotFound):
        client.get_project(uuid.uuid4().hex)


def test_user_clients_check_the_token_service_clients_act_as_given(
        make_env: MakeEnv) -> None:  # noqa: F811
    env = make_env()
    port = env.cloud.networks.create_port(env.ctx, network_id=env.network['id'],
                                          device_id='i1', device_owner='compute:nova')
    tokenless = nl_context.get_admin_context()
    users = local.NetworkClient(env.cloud.identity, env.cloud.networks, report_steps=False)
    with pytest.raises(exception.NotAuthorized):
        users.list_ports(tokenless, device_id='i1')
    assert [p['id'] for p in users.list_ports(env.ctx, device_id='i1')] == [port['id']]

    conductors = local.ServiceNetworkClient(env.cloud.networks)
    conductors.delete_port(tokenless, port['id'])
    assert conductors.list_ports(tokenless, device_id='i1') == []

    volumes = local.ServiceVolumeClient(env.cloud.volumes)
    volume_id = env.volumes[0]['id']
    attachment = volumes.reserve_volume(tokenless, volume_id, str(uuid.uuid4()))
    assert attachment['attach_status'] == 'reserved'
    volumes.detach_volume(tokenless, attachment['id'])
    volumes.detach_volume(tokenless, attachment['id'])  # already gone: not an error
    assert volumes.get_volume(tokenless, volume_id)['status'] == 'available'
