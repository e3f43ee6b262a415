"""Fixtures for the identity tests: a key repository, a manager with a settable clock."""

from __future__ import annotations

import time
from typing import Any

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import fernet_keys
from nova_lite.db import api as db_api
from nova_lite.db.models import identity as models
from nova_lite.identity import bootstrap, manager

ADMIN_PASSWORD = 'correct horse battery staple'
IDENTITY_TABLES = (models.Domain, models.Project, models.User, models.Role,
                   models.RoleAssignment, models.Region, models.CatalogService,
                   models.Endpoint, models.RevocationEvent)


class Clock:
    """A clock the tests move forward by hand."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def row_counts(db: db_api.Database) -> dict[str, int]:
    with db.reader() as session:
        return {model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(model))
                for model in IDENTITY_TABLES}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def key_repo(conf: cfg.ConfigOpts) -> str:
    repo = conf.identity.fernet_key_repository
    fernet_keys.setup(repo)
    return repo


@pytest.fixture
def identity(conf: cfg.ConfigOpts, db: db_api.Database, key_repo: str,
             clock: Clock) -> manager.IdentityManager:
    return manager.IdentityManager(conf, db, clock=clock)


@pytest.fixture
def booted(identity: manager.IdentityManager) -> dict[str, Any]:
    return bootstrap.bootstrap(identity, password=ADMIN_PASSWORD)


def admin_login(identity: manager.IdentityManager, **overrides: Any) -> dict[str, Any]:
    credentials = {'user_name': 'admin', 'user_domain_name': 'Default',
                   'password': ADMIN_PASSWORD, 'project_name': 'admin',
                   'project_domain_name': 'Default'}
    credentials.update(overrides)
    return identity.authenticate(**credentials)
