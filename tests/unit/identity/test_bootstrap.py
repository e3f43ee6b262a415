"""bootstrap: idempotent, resets a changed password, works on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from oslo_config import cfg

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.identity import bootstrap, manager
from tests.unit.identity.conftest import ADMIN_PASSWORD, Clock, admin_login, row_counts


def test_bootstrap_creates_everything(identity: manager.IdentityManager,
                                      booted: dict[str, Any], db: db_api.Database) -> None:
    assert row_counts(db) == {
        'domains': 1, 'projects': 1, 'users': 1, 'roles': 4, 'role_assignments': 4,
        'regions': 1, 'catalog_services': 5, 'endpoints': 5, 'revocation_events': 0}
    assert booted['domain_id'] == 'default'
    assert identity.get_domain('default')['name'] == 'Default'
    assert sorted(booted['roles']) == ['admin', 'manager', 'member', 'reader']
    assert {s['type']: s['name'] for s in identity.list_services()} == {
        'identity': 'keystone', 'compute': 'nova', 'image': 'glance',
        'network': 'neutron', 'block-storage': 'cinderv3'}
    assert booted['region_id'] == 'RegionOne' and len(booted['endpoints']) == 5
    assert booted['changed'] and booted['password_reset'] is False
    assert identity.get_user(booted['user_id'])['default_project_id'] == booted['project_id']


def test_bootstrap_twice_changes_nothing(identity: manager.IdentityManager,
                                         booted: dict[str, Any], db: db_api.Database) -> None:
    before = row_counts(db)
    endpoints = identity.list_endpoints()
    token = admin_login(identity)['token']
    again = bootstrap.bootstrap(identity, password=ADMIN_PASSWORD)
    assert again['changed'] == [] and again['password_reset'] is False
    for key in ('domain_id', 'project_id', 'user_id', 'roles', 'endpoints'):
        assert again[key] == booted[key]
    assert row_counts(db) == before
    assert identity.list_endpoints() == endpoints
    assert identity.validate_token(token)  # no revocation either


def test_bootstrap_with_new_password_resets_it(identity: manager.IdentityManager,
                                               booted: dict[str, Any], clock: Clock) -> None:
    old_token = admin_login(identity)['token']
    clock.advance(1)
    again = bootstrap.bootstrap(identity, password='a new password')
    assert again['password_reset'] is True
    assert again['user_id'] == booted['user_id']
    with pytest.raises(exception.TokenInvalid):
        identity.validate_token(old_token)
    with pytest.raises(exception.NotAuthorized):
        admin_login(identity)
    clock.advance(1)
    assert admin_login(identity, password='a new password')['token']


def test_bootstrap_re_enables_admin_and_restores_roles(
        identity: manager.IdentityManager, booted: dict[str, Any], clock: Clock) -> None:
    identity.update_user(booted['user_id'], enabled=False)  # revokes tokens up to now
    clock.advance(1)
    identity.unassign_role(booted['user_id'], booted['project_id'], booted['roles']['admin'])
    again = bootstrap.bootstrap(identity, password=ADMIN_PASSWORD)
    assert 'enabled user admin' in again['changed']
    assert 'granted role admin to admin on admin' in again['changed']
    assert identity.context_from_token(admin_login(identity)['token']).is_admin


def test_bootstrap_updates_moved_endpoints(conf: cfg.ConfigOpts,
                                           identity: manager.IdentityManager,
                                           booted: dict[str, Any], db: db_api.Database) -> None:
    before = row_counts(db)
    conf.set_override('public_base_url', 'http://10.0.0.5', group='identity')
    again = bootstrap.bootstrap(identity, password=ADMIN_PASSWORD)
    assert len([c for c in again['changed'] if c.startswith('updated public endpoint')]) == 5
    assert row_counts(db) == before
    assert all('10.0.0.5' in e['url'] for e in identity.list_endpoints())


def test_bootstrap_custom_names(identity: manager.IdentityManager) -> None:
    summary = bootstrap.bootstrap(identity, password='pw', admin_user='root',
                                  admin_project='ops', region='RegionTwo')
    body = identity.authenticate(user_name='root', user_domain_id='default', password='pw',
                                 project_name='ops', project_domain_id='default')
    assert body['project']['id'] == summary['project_id']
    assert {e['endpoints'][0]['region_id'] for e in body['catalog']} == {'RegionTwo'}


def test_bootstrap_refuses_empty_password(identity: manager.IdentityManager,
                                          db: db_api.Database) -> None:
    before = row_counts(db)
    with pytest.raises(exception.InvalidInput, match='password'):
        bootstrap.bootstrap(identity, password='')
    assert row_counts(db) == before


@pytest.mark.postgresql
def test_bootstrap_and_authenticate_on_postgresql(conf: cfg.ConfigOpts, pg_db: db_api.Database,
                                                  key_repo: str, clock: Clock) -> None:
    identity = manager.IdentityManager(conf, pg_db, clock=clock)
    summary = bootstrap.bootstrap(identity, password=ADMIN_PASSWORD)
    assert bootstrap.bootstrap(identity, password=ADMIN_PASSWORD)['changed'] == []
    assert row_counts(pg_db)['endpoints'] == 5 and row_counts(pg_db)['role_assignments'] == 4
    body = admin_login(identity)
    assert body['project']['id'] == summary['project_id']
    assert identity.context_from_token(body['token']).is_admin
    with pytest.raises(exception.Duplicate):
        identity.create_project('admin', 'default')
    clock.advance(0.001)
    identity.revoke_user_tokens(summary['user_id'])
    with pytest.raises(exception.TokenInvalid, match='revoked'):
        identity.validate_token(body['token'])
    clock.advance(0.001)
    assert identity.validate_token(admin_login(identity)['token'])
