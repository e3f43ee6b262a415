"""Domains, projects, users, roles and assignments; bad input writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.identity import manager
from tests.unit.identity.conftest import row_counts


@pytest.fixture
def domain(identity: manager.IdentityManager) -> dict[str, Any]:
    return identity.create_domain('Default', id='default')


def test_create_and_read_back(identity: manager.IdentityManager,
                              domain: dict[str, Any]) -> None:
    project = identity.create_project('demo', 'default', description='a project')
    user = identity.create_user('alice', 'default', 'pw', default_project_id=project['id'])
    role = identity.create_role('member')
    assert len(project['id']) == 32 and int(project['id'], 16) >= 0
    assert identity.get_domain('default') == domain == identity.find_domain('Default')
    assert identity.get_project(project['id']) == project
    assert identity.find_project('demo', 'default') == project
    assert identity.find_project('demo', domain_name='Default') == project
    assert identity.get_user(user['id']) == user == identity.find_user('alice', 'default')
    assert 'password_hash' not in user and 'pw' not in str(user)
    assert user['default_project_id'] == project['id']
    assert identity.list_roles() == [role] and identity.find_role('member') == role
    assert identity.list_projects() == [project]
    assert identity.list_projects(domain_id='other') == []


def test_assign_role_is_idempotent(identity: manager.IdentityManager,
                                   domain: dict[str, Any], db: db_api.Database) -> None:
    project = identity.create_project('demo', 'default')
    user = identity.create_user('alice', 'default', 'pw')
    role = identity.create_role('member')
    first = identity.assign_role(user['id'], project['id'], role['id'])
    assert identity.assign_role(user['id'], project['id'], role['id']) == first
    assert first['role_name'] == 'member'
    assert row_counts(db)['role_assignments'] == 1
    assert identity.list_role_assignments(user_id=user['id']) == [first]
    assert identity.list_role_assignments(project_id='nope') == []
    assert identity.list_projects(user_id=user['id']) == [project]
    identity.unassign_role(user['id'], project['id'], role['id'])
    assert identity.list_role_assignments() == []
    with pytest.raises(exception.NotFound):
        identity.unassign_role(user['id'], project['id'], role['id'])


@pytest.mark.parametrize('call,error,field', [
    (lambda m: m.create_domain(''), exception.InvalidInput, 'name'),
    (lambda m: m.create_domain('   '), exception.InvalidInput, 'name'),
    (lambda m: m.create_domain('x' * 256), exception.InvalidInput, 'name'),
    (lambda m: m.create_domain('ok', id='bad id!'), exception.InvalidInput, 'id'),
    (lambda m: m.create_domain('Default'), exception.Duplicate, 'Default'),
    (lambda m: m.create_domain('Other', id='default'), exception.Duplicate, 'default'),
    (lambda m: m.create_project('p', 'missing'), exception.NotFound, 'domain_id'),
    (lambda m: m.create_project(None, 'default'), exception.InvalidInput, 'name'),
    (lambda m: m.create_project('p', 'default', description=5), exception.InvalidInput,
     'description'),
    (lambda m: m.create_project('existing', 'default'), exception.Duplicate, 'existing'),
    (lambda m: m.create_user('u', 'missing', 'pw'), exception.NotFound, 'domain_id'),
    (lambda m: m.create_user('u', 'default', ''), exception.InvalidInput, 'password'),
    (lambda m: m.create_user('u', 'default', 'pw', default_project_id='0' * 32),
     exception.NotFound, 'default_project_id'),
    (lambda m: m.create_user('bob', 'default', 'pw'), exception.Duplicate, 'bob'),
    (lambda m: m.create_user(['u'], 'default', 'pw'), exception.InvalidInput, 'name'),
    (lambda m: m.create_role(''), exception.InvalidInput, 'name'),
    (lambda m: m.create_role('member'), exception.Duplicate, 'member'),
    (lambda m: m.get_project('0' * 32), exception.NotFound, 'project_id'),
    (lambda m: m.get_user(123), exception.InvalidInput, 'user_id'),
    (lambda m: m.get_role('x' * 65), exception.InvalidInput, 'role_id'),
    (lambda m: m.get_domain('nope'), exception.NotFound, 'domain_id'),
    (lambda m: m.find_project('existing'), exception.InvalidInput, 'domain'),
    (lambda m: m.find_project('nope', 'default'), exception.NotFound, 'name'),
    (lambda m: m.find_user('bob', domain_name='Nope'), exception.NotFound, 'domain_name'),
    (lambda m: m.update_user('0' * 32, enabled=False), exception.NotFound, 'user_id'),
    (lambda m: m.update_project('0' * 32, enabled='no'), exception.InvalidInput, 'enabled'),
])
def test_bad_input_changes_nothing(identity: manager.IdentityManager, domain: dict[str, Any],
                                   db: db_api.Database, call: Callable[[Any], Any],
                                   error: type[Exception], field: str) -> None:
    identity.create_project('existing', 'default')
    identity.create_user('bob', 'default', 'pw')
    identity.create_role('member')
    before = row_counts(db)
    with pytest.raises(error, match=field):
        call(identity)
    assert row_counts(db) == before


@pytest.mark.parametrize('args,field', [
    (('missing', 'P', 'R'), 'user_id'), (('U', 'missing', 'R'), 'project_id'),
    (('U', 'P', 'missing'), 'role_id'), (('U', 'P', None), 'role_id')])
def test_assign_role_unknown_ids(identity: manager.IdentityManager, domain: dict[str, Any],
                                 db: db_api.Database, args: tuple[str, str, str],
                                 field: str) -> None:
    ids = {'U': identity.create_user('bob', 'default', 'pw')['id'],
           'P': identity.create_project('p', 'default')['id'],
           'R': identity.create_role('member')['id']}
    before = row_counts(db)
    with pytest.raises((exception.NotFound, exception.InvalidInput), match=field) as err:
        identity.assign_role(*(ids.get(a, a) if a else a for a in args))
    assert 400 <= err.value.code < 500
    assert row_counts(db) == before


def test_same_names_in_different_domains(identity: manager.IdentityManager,
                                         domain: dict[str, Any]) -> None:
    other = identity.create_domain('Other')
    assert len(other['id']) == 32
    first = identity.create_project('demo', 'default')
    second = identity.create_project('demo', other['id'])
    assert first['id'] != second['id']
    assert identity.find_project('demo', domain_name='Other') == second
