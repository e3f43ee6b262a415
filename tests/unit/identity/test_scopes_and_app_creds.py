"""The identity manager: system scope, implied roles, application credentials,
stored credentials."""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import exception, fernet_keys
from nova_lite.db import api as db_api
from nova_lite.db.models import identity_auth as auth_models
from nova_lite.identity import bootstrap, manager
from tests.unit.identity.conftest import ADMIN_PASSWORD, Clock, admin_login


def _member(identity: manager.IdentityManager, booted: dict[str, Any],
            name: str = 'alice') -> dict[str, Any]:
    user = identity.create_user(name, 'default', f'{name}-password',
                                default_project_id=booted['project_id'])
    identity.assign_role(user['id'], booted['project_id'], booted['roles']['member'])
    return user


def test_bootstrap_sets_implications_and_the_admin_system_grant(
        identity: manager.IdentityManager, booted: dict[str, Any]) -> None:
    roles = booted['roles']
    assert {(r['prior_role_id'], r['implied_role_id'])
            for r in identity.list_implied_roles()} == {
        (roles['admin'], roles['manager']), (roles['manager'], roles['member']),
        (roles['member'], roles['reader'])}
    assert [r['name'] for r in identity.list_system_roles(booted['user_id'])] == ['admin']
    again = bootstrap.bootstrap(identity, password=ADMIN_PASSWORD)
    assert again['changed'] == []


def test_system_token_validates_and_loses_its_roles(identity: manager.IdentityManager,
                                                    booted: dict[str, Any]) -> None:
    body = identity.authenticate(user_name='admin', user_domain_id='default',
                                 password=ADMIN_PASSWORD, system=True)
    assert body['system'] == {'all': True} and 'project' not in body
    assert identity.validate_token(body['token'])['system'] == {'all': True}
    identity.revoke_system_role(booted['user_id'], booted['roles']['admin'])
    with pytest.raises(exception.TokenInvalid, match='no role'):
        identity.validate_token(body['token'])
    with pytest.raises(exception.NotAuthorized, match='system'):
        identity.authenticate(user_name='admin', user_domain_id='default',
                              password=ADMIN_PASSWORD, system=True)


def test_rescoping_keeps_the_scope_or_changes_it(identity: manager.IdentityManager,
                                                 booted: dict[str, Any]) -> None:
    project_token = admin_login(identity)['token']
    system = identity.rescope_token(project_token, system=True)
    assert system['system'] == {'all': True} and system['methods'] == ['token', 'password']
    same = identity.rescope_token(system['token'])
    assert same['system'] == {'all': True}
    back = identity.rescope_token(system['token'], project_id=booted['project_id'])
    assert back['project']['id'] == booted['project_id']
    with pytest.raises(exception.InvalidInput, match='not both'):
        identity.rescope_token(project_token, system=True, project_id=booted['project_id'])


def test_implication_cycles_are_refused(identity: manager.IdentityManager,
                                        booted: dict[str, Any]) -> None:
    roles = booted['roles']
    with pytest.raises(exception.InvalidInput, match='cycle'):
        identity.create_implied_role(roles['reader'], roles['admin'])
    with pytest.raises(exception.InvalidInput, match='itself'):
        identity.create_implied_role(roles['reader'], roles['reader'])


def test_app_cred_expiry_and_restriction(identity: manager.IdentityManager,
                                         booted: dict[str, Any], clock: Clock) -> None:
    user = _member(identity, booted)
    expires = (datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
               + datetime.timedelta(minutes=30))
    cred = identity.create_application_credential(
        user['id'], booted['project_id'], 'short', held_role_ids={booted['roles']['member']},
        expires_at=expires.isoformat())
    token = identity.authenticate_app_cred(app_cred_id=cred['id'], secret=cred['secret'])
    assert token['application_credential']['restricted'] is True
    lifetime = (datetime.datetime.fromisoformat(token['expires_at'].rstrip('Z'))
                - datetime.datetime.fromisoformat(token['issued_at'].rstrip('Z')))
    assert lifetime <= datetime.timedelta(minutes=30, seconds=1)
    with pytest.raises(exception.Forbidden):
        identity.rescope_token(token['token'], system=True)
    clock.advance(3600)
    with pytest.raises(exception.NotAuthorized, match='expired'):
        identity.authenticate_app_cred(app_cred_id=cred['id'], secret=cred['secret'])


def test_app_cred_secret_is_hashed_and_rows_go_with_the_project(
        identity: manager.IdentityManager, booted: dict[str, Any],
        db: db_api.Database) -> None:
    project = identity.create_project('scratch', 'default')
    user = _member(identity, booted, 'bob')
    identity.assign_role(user['id'], project['id'], booted['roles']['member'])
    cred = identity.create_application_credential(
        user['id'], project['id'], 'c', held_role_ids={booted['roles']['member']},
        secret='plain-secret')
    with db.reader() as session:
        stored = session.get(auth_models.ApplicationCredential, cred['id'])
        assert stored is not None and 'plain-secret' not in stored.secret_hash
    identity.delete_project(project['id'])
    with db.reader() as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(
            auth_models.ApplicationCredentialRole)) == 0
    assert identity.list_application_credentials(user['id']) == []


def test_credentials_survive_a_new_key_and_fail_without_theirs(
        conf: cfg.ConfigOpts, identity: manager.IdentityManager,
        booted: dict[str, Any]) -> None:
    record = identity.create_credential(booted['user_id'], 'totp', 'seed-1')
    repo = conf.identity.credential_key_repository
    assert fernet_keys.key_indexes(repo)
    fernet_keys.rotate(repo, 3)
    assert identity.get_credential(record['id'])['blob'] == 'seed-1'
    for index in fernet_keys.key_indexes(repo):
        os.remove(os.path.join(repo, str(index)))
    fernet_keys.setup(repo)
    with pytest.raises(exception.NovaLiteError, match='decrypted'):
        identity.get_credential(record['id'])


def test_ec2_ids_and_project_required(identity: manager.IdentityManager,
                                      booted: dict[str, Any]) -> None:
    with pytest.raises(exception.InvalidInput, match='project'):
        identity.create_credential(booted['user_id'], 'ec2', json.dumps({'access': 'a'}))
    ec2 = identity.create_ec2_credential(booted['user_id'], booted['project_id'])
    assert identity.get_ec2_credential(booted['user_id'], ec2['access']) == ec2
    with pytest.raises(exception.NotFound):
        identity.get_ec2_credential('someone-else', ec2['access'])
