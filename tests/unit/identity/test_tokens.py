"""Password authentication, token validation, expiry, revocation, context."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import exception, fernet_keys
from nova_lite.db import api as db_api
from nova_lite.identity import manager, token_formatter
from tests.unit.identity.conftest import ADMIN_PASSWORD, Clock, admin_login, row_counts


def test_authenticate_by_names(identity: manager.IdentityManager,
                               booted: dict[str, Any], clock: Clock) -> None:
    body = admin_login(identity)
    assert body['methods'] == ['password']
    assert body['user'] == {'id': booted['user_id'], 'name': 'admin',
                            'domain': {'id': 'default', 'name': 'Default'}}
    assert body['project'] == {'id': booted['project_id'], 'name': 'admin',
                               'domain': {'id': 'default', 'name': 'Default'}}
    assert [role['name'] for role in body['roles']] == ['admin', 'manager', 'member',
                                                        'reader']
    assert {role['id'] for role in body['roles']} == set(booted['roles'].values())
    assert len(body['catalog']) == 5
    assert body['issued_at'].endswith('Z') and body['expires_at'].endswith('Z')
    assert body['audit_ids'] and isinstance(body['token'], str)


def test_authenticate_by_ids(identity: manager.IdentityManager,
                             booted: dict[str, Any]) -> None:
    body = identity.authenticate(user_id=booted['user_id'], password=ADMIN_PASSWORD,
                                 project_id=booted['project_id'])
    assert body['project']['id'] == booted['project_id']
    by_domain_ids = identity.authenticate(
        user_name='admin', user_domain_id='default', password=ADMIN_PASSWORD,
        project_name='admin', project_domain_id='default')
    assert by_domain_ids['user']['id'] == booted['user_id']


def test_authenticate_without_project_uses_default_project(
        identity: manager.IdentityManager, booted: dict[str, Any]) -> None:
    body = identity.authenticate(user_id=booted['user_id'], password=ADMIN_PASSWORD)
    assert body['project']['id'] == booted['project_id']


def test_expiry_follows_token_expiration(conf: cfg.ConfigOpts, identity: manager.IdentityManager,
                                         booted: dict[str, Any]) -> None:
    conf.set_override('token_expiration', 600, group='identity')
    body = admin_login(identity)
    payload = token_formatter.TokenFormatter(
        fernet_keys.load(conf.identity.fernet_key_repository)).validate(body['token'])
    assert payload['expires_at'] - payload['issued_at'] == 600


@pytest.mark.parametrize('overrides', [
    {'password': 'wrong'},
    {'password': ''},
    {'user_name': 'nobody'},
    {'user_domain_name': 'NoSuchDomain'},
    {'user_name': None, 'user_domain_name': None, 'user_id': '0' * 32},
])
def test_bad_credentials_get_one_answer(identity: manager.IdentityManager,
                                        booted: dict[str, Any], db: db_api.Database,
                                        overrides: dict[str, Any],
                                        caplog: pytest.LogCaptureFixture) -> None:
    before = row_counts(db)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(exception.NotAuthorized) as err:
            admin_login(identity, **overrides)
    assert type(err.value) is exception.NotAuthorized
    assert str(err.value) == manager.BAD_CREDENTIALS
    assert err.value.code == 401
    assert row_counts(db) == before
    assert ADMIN_PASSWORD not in caplog.text and 'wrong' not in caplog.text


def test_password_never_logged_on_success(identity: manager.IdentityManager,
                                          booted: dict[str, Any],
                                          caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        admin_login(identity)
    assert ADMIN_PASSWORD not in caplog.text


@pytest.mark.parametrize('overrides,field', [
    ({'user_domain_name': None}, 'user.domain'),
    ({'user_id': 'x'}, 'user'),
    ({'project_id': 'x'}, 'scope.project'),
    ({'project_domain_name': None}, 'scope.project.domain'),
    ({'password': None}, 'password'),
])
def test_malformed_auth_requests(identity: manager.IdentityManager, booted: dict[str, Any],
                                 overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(exception.InvalidInput) as err:
        admin_login(identity, **overrides)
    assert err.value.kwargs['field'] == field


def test_unknown_or_foreign_project(identity: manager.IdentityManager,
                                    booted: dict[str, Any]) -> None:
    with pytest.raises(exception.NotAuthorized):
        admin_login(identity, project_name='nope')
    other = identity.create_project('other', 'default')  # admin has no role on it
    with pytest.raises(exception.NotAuthorized, match='no access'):
        admin_login(identity, project_name=None, project_domain_name=None,
                    project_id=other['id'])


def test_disabled_user_or_project(identity: manager.IdentityManager,
                                  booted: dict[str, Any]) -> None:
    token = admin_login(identity)['token']
    identity.update_project(booted['project_id'], enabled=False)
    with pytest.raises(exception.NotAuthorized, match='disabled'):
        admin_login(identity)
    with pytest.raises(exception.TokenInvalid):
        identity.validate_token(token)
    identity.update_project(booted['project_id'], enabled=True)
    assert identity.validate_token(token)['token'] == token

    identity.update_user(booted['user_id'], enabled=False)
    with pytest.raises(exception.NotAuthorized, match='disabled'):
        admin_login(identity)
    identity.update_user(booted['user_id'], enabled=True)
    with pytest.raises(exception.TokenInvalid, match='revoked'):  # disabling revoked it
        identity.validate_token(token)
    assert admin_login(identity)['token']


def test_validate_returns_the_same_body(identity: manager.IdentityManager,
                                        booted: dict[str, Any]) -> None:
    body = admin_login(identity)
    assert identity.validate_token(body['token']) == body


def test_validation_recomputes_roles(identity: manager.IdentityManager,
                                     booted: dict[str, Any]) -> None:
    token = admin_login(identity)['token']
    user, project, roles = booted['user_id'], booted['project_id'], booted['roles']
    identity.unassign_role(user, project, roles['admin'])
    identity.unassign_role(user, project, roles['manager'])
    ctx = identity.context_from_token(token)
    assert ctx.roles == ['member', 'reader'] and not ctx.is_admin
    identity.unassign_role(user, project, roles['member'])
    identity.unassign_role(user, project, roles['reader'])
    with pytest.raises(exception.TokenInvalid, match='no role'):
        identity.validate_token(token)


def test_context_from_token(identity: manager.IdentityManager, booted: dict[str, Any]) -> None:
    token = admin_login(identity)['token']
    ctx = identity.context_from_token(token)
    assert ctx.user_id == booted['user_id'] and ctx.project_id == booted['project_id']
    assert ctx.user_name == 'admin' and ctx.project_name == 'admin'
    assert ctx.roles == ['admin', 'manager', 'member', 'reader'] and ctx.is_admin
    assert ctx.auth_token == token
    assert ctx.to_dict()['user_name'] == 'admin'


def test_member_context_is_not_admin(identity: manager.IdentityManager,
                                     booted: dict[str, Any]) -> None:
    project = identity.create_project('demo', 'default')
    user = identity.create_user('alice', 'default', 'alice-pw')
    identity.assign_role(user['id'], project['id'], booted['roles']['member'])
    token = identity.authenticate(user_name='alice', user_domain_id='default',
                                  password='alice-pw', project_id=project['id'])['token']
    ctx = identity.context_from_token(token)
    assert ctx.roles == ['member', 'reader'] and ctx.is_admin is False


def test_tampered_token(identity: manager.IdentityManager, booted: dict[str, Any]) -> None:
    token = admin_login(identity)['token']
    middle = len(token) // 2
    tampered = token[:middle] + ('x' if token[middle] != 'x' else 'y') + token[middle + 1:]
    with pytest.raises(exception.TokenInvalid):
        identity.validate_token(tampered)
    with pytest.raises(exception.TokenInvalid):
        identity.context_from_token('not-a-token')


def test_expired_token(identity: manager.IdentityManager, booted: dict[str, Any],
                       clock: Clock, conf: cfg.ConfigOpts) -> None:
    token = admin_login(identity)['token']
    clock.advance(conf.identity.token_expiration - 1)
    assert identity.validate_token(token)
    clock.advance(1)
    with pytest.raises(exception.TokenInvalid, match='expired'):
        identity.validate_token(token)


def test_revoke_one_token(identity: manager.IdentityManager, booted: dict[str, Any],
                          clock: Clock, db: db_api.Database) -> None:
    first = admin_login(identity)['token']
    clock.advance(1)
    second = admin_login(identity)['token']
    identity.revoke_token(first)
    identity.revoke_token(first)  # idempotent
    assert row_counts(db)['revocation_events'] == 1
    with pytest.raises(exception.TokenInvalid, match='revoked'):
        identity.validate_token(first)
    assert identity.validate_token(second)['token'] == second


def test_revoke_user_tokens(identity: manager.IdentityManager, booted: dict[str, Any],
                            clock: Clock) -> None:
    old = admin_login(identity)['token']
    clock.advance(0.001)
    identity.revoke_user_tokens(booted['user_id'])
    with pytest.raises(exception.TokenInvalid, match='revoked'):
        identity.context_from_token(old)
    clock.advance(0.001)
    assert identity.validate_token(admin_login(identity)['token'])
    with pytest.raises(exception.NotFound, match='user_id'):
        identity.revoke_user_tokens('0' * 32)


def test_password_change_revokes_tokens(identity: manager.IdentityManager,
                                        booted: dict[str, Any], clock: Clock) -> None:
    token = admin_login(identity)['token']
    clock.advance(1)
    identity.update_user(booted['user_id'], password='new-password')
    with pytest.raises(exception.TokenInvalid):
        identity.validate_token(token)
    with pytest.raises(exception.NotAuthorized):
        admin_login(identity)
    clock.advance(1)
    assert admin_login(identity, password='new-password')['token']


def test_old_revocation_events_are_pruned(identity: manager.IdentityManager,
                                          booted: dict[str, Any], clock: Clock,
                                          db: db_api.Database, conf: cfg.ConfigOpts) -> None:
    identity.revoke_token(admin_login(identity)['token'])
    clock.advance(conf.identity.token_expiration + manager.REVOCATION_BUFFER_SECONDS + 1)
    identity.revoke_token(admin_login(identity)['token'])
    assert row_counts(db)['revocation_events'] == 1


def test_token_survives_key_rotation(identity: manager.IdentityManager, booted: dict[str, Any],
                                     conf: cfg.ConfigOpts) -> None:
    repo, max_keys = conf.identity.fernet_key_repository, conf.identity.max_active_keys
    token = admin_login(identity)['token']
    fernet_keys.rotate(repo, max_keys)  # no restart: keys are read per call
    assert identity.validate_token(token)
    fresh = admin_login(identity)['token']
    for _ in range(max_keys - 2):  # the key that signed `token` is dropped
        fernet_keys.rotate(repo, max_keys)
    with pytest.raises(exception.TokenInvalid):
        identity.validate_token(token)
    assert identity.validate_token(fresh)
