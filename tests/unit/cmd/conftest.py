"""Fixtures of the command-line tests."""

from __future__ import annotations

import pathlib
from collections.abc import Iterator

import pytest

from nova_lite.cmd import manage
from nova_lite.db import api as db_api


@pytest.fixture
def synced_state(tmp_path: pathlib.Path) -> Iterator[tuple[str, db_api.Database]]:
    """A config file whose database ``nova-lite-manage db sync`` migrated, and that DB."""
    state = tmp_path / 'state'
    url = f'sqlite:///{state}/flows.sqlite'
    conf_file = tmp_path / 'nova-lite.conf'
    conf_file.write_text(f'[DEFAULT]\nstate_path = {state}\n\n'
                         f'[database]\nconnection = {url}\n')
    assert manage.main(['--config-file', str(conf_file), 'db', 'sync']) == 0
    database = db_api.Database(url)
    yield str(conf_file), database
    database.dispose()
