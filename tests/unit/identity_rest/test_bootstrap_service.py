"""bootstrap's service project, role and user: created once, password reset, optional."""

from __future__ import annotations

import pytest
from oslo_config import cfg

from nova_lite.common import exception, fernet_keys
from nova_lite.db import api as db_api
from nova_lite.identity import bootstrap, manager
from tests.unit.identity.conftest import row_counts

PASSWORD = 'admin-secret-P'


@pytest.fixture
def identity(conf: cfg.ConfigOpts, db: db_api.Database) -> manager.IdentityManager:
    fernet_keys.setup(conf.identity.fernet_key_repository)
    return manager.IdentityManager(conf, db)


# admin and service granted; manager, member and reader implied by admin.
SERVICE_ROLES = ['admin', 'manager', 'member', 'reader', 'service']


def _service_roles(identity: manager.IdentityManager, password: str,
                   user: str = 'nova_lite') -> list[str]:
    token = identity.authenticate(user_name=user, user_domain_id='default', password=password,
                                  project_name='service', project_domain_id='default')
    return sorted(role['name'] for role in token['roles'])


def test_service_user_created_once(identity: manager.IdentityManager,
                                   db: db_api.Database) -> None:
    first = bootstrap.bootstrap(identity, password=PASSWORD, service_password='svc-pass')
    assert 'created user nova_lite' in first['changed']
    assert 'granted role service to nova_lite on service' in first['changed']
    assert _service_roles(identity, 'svc-pass') == SERVICE_ROLES
    assert identity.get_user(first['service_user_id'])['default_project_id'] == \
        first['service_project_id']
    counts = row_counts(db)
    assert counts['projects'] == 2 and counts['roles'] == 5 and counts['users'] == 2
    again = bootstrap.bootstrap(identity, password=PASSWORD, service_password='svc-pass')
    assert again['changed'] == [] and again['service_password_reset'] is False
    assert again['service_user_id'] == first['service_user_id']
    assert row_counts(db) == counts


def test_service_password_reset(identity: manager.IdentityManager) -> None:
    bootstrap.bootstrap(identity, password=PASSWORD, service_password='svc-pass')
    again = bootstrap.bootstrap(identity, password=PASSWORD, service_password='svc-new')
    assert again['service_password_reset'] is True and again['password_reset'] is False
    assert again['changed'] == ['reset password of user nova_lite']
    assert _service_roles(identity, 'svc-new') == SERVICE_ROLES
    with pytest.raises(exception.NotAuthorized):
        _service_roles(identity, 'svc-pass')


def test_service_user_name_and_skip(identity: manager.IdentityManager,
                                    db: db_api.Database) -> None:
    summary = bootstrap.bootstrap(identity, password=PASSWORD)
    assert 'service_user_id' not in summary
    assert row_counts(db)['projects'] == 1 and row_counts(db)['roles'] == 4
    summary = bootstrap.bootstrap(identity, password=PASSWORD, service_password='svc-pass',
                                  service_user='glance')
    assert _service_roles(identity, 'svc-pass', user='glance') == SERVICE_ROLES


def test_bad_service_password_changes_nothing(identity: manager.IdentityManager,
                                              db: db_api.Database) -> None:
    before = row_counts(db)
    with pytest.raises(exception.InvalidInput) as caught:
        bootstrap.bootstrap(identity, password=PASSWORD, service_password='')
    assert caught.value.kwargs['field'] == 'password'
    assert row_counts(db) == before
