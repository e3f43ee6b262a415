"""Fixtures of the task tests: the real token sealer on a temporary key
repository, the context the authenticate task provides, and the fakes."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest

from nova_lite.common import fernet_keys
from nova_lite.conductor import token_seal
from nova_lite.conductor.tasks import base
from tests.unit.conductor.tasks import fake_services, fakes


@pytest.fixture
def sealer(tmp_path: pathlib.Path) -> token_seal.TokenSealer:
    repository = str(tmp_path / 'conductor-keys')
    fernet_keys.setup(repository)
    return token_seal.TokenSealer.from_repository(repository)


@pytest.fixture
def identity() -> fakes.FakeIdentity:
    return fakes.FakeIdentity()


@pytest.fixture
def context(sealer: token_seal.TokenSealer) -> dict[str, Any]:
    """The boot's context as the authenticate task keeps it: the user's, token sealed."""
    return base.sealed_context_dict(fakes.user_request_context(), sealer.seal(fakes.TOKEN))


@pytest.fixture
def instances() -> fake_services.FakeInstanceStore:
    return fake_services.FakeInstanceStore()


@pytest.fixture
def instance_id(instances: fake_services.FakeInstanceStore) -> str:
    """A building instance of flavor f1 and image img1."""
    return instances.create(name='vm1', project_id='p1', user_id='u1', flavor_id='f1',
                            image_id='img1', availability_zone=None, metadata={'k': 'v'},
                            build_request={})['id']
