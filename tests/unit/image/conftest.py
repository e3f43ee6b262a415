"""Fixtures for the image service tests: a file store and a manager over the test DB."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from oslo_config import cfg

from nova_lite.common import context as nl_context
from nova_lite.db import api as db_api
from nova_lite.db.models import image as models
from nova_lite.image import manager as image_manager
from nova_lite.image.backends import base as store_base


@pytest.fixture
def image_override(conf: cfg.ConfigOpts) -> Iterator[Callable[[str, Any], None]]:
    """Set an [image] option for one test only.

    The [image] OptGroup object is shared by every ConfigOpts that registers it,
    so a group override would otherwise leak into later tests.
    """
    names: list[str] = []

    def _set(name: str, value: Any) -> None:
        conf.set_override(name, value, group='image')
        names.append(name)

    yield _set
    for name in names:
        conf.clear_override(name, group='image')


@pytest.fixture
def store(conf: cfg.ConfigOpts) -> store_base.ImageStore:
    return store_base.load_store(conf)


@pytest.fixture
def images(conf: cfg.ConfigOpts, db: db_api.Database,
           store: store_base.ImageStore) -> image_manager.ImageManager:
    return image_manager.ImageManager(conf, db, store)


@pytest.fixture
def other_ctx() -> nl_context.RequestContext:
    return nl_context.RequestContext(user_id='other-user', project_id='project-b',
                                     roles=['member', 'reader'])


def count_images(db: db_api.Database) -> int:
    with db.reader() as session:
        return int(session.scalar(sa.select(sa.func.count()).select_from(models.Image)) or 0)


def store_files(conf: cfg.ConfigOpts) -> list[str]:
    """Every entry (temporary files included) in the file store's directory."""
    datadir = conf.image.filesystem_store_datadir
    return sorted(os.listdir(datadir)) if os.path.isdir(datadir) else []
