"""Helpers of the scheduler tests: host states, request specs, rows."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from nova_lite.db import api as db_api
from nova_lite.db.models import compute as compute_models
from nova_lite.db.models import scheduler as models
from nova_lite.scheduler import host_state

SMALL_FLAVOR = {'vcpus': 1, 'memory_mb': 512, 'root_gb': 1, 'ephemeral_gb': 0, 'swap': 0}

AddHost = Callable[..., dict[str, Any]]
MakeInstance = Callable[..., str]


def make_state(host: str = 'h1', **overrides: Any) -> host_state.HostState:
    values: dict[str, Any] = {'compute_node_id': f'node-{host}', 'vcpus': 4,
                              'memory_mb': 4096, 'local_gb': 100}
    values.update(overrides)
    return host_state.HostState(host=host, **values)


def spec(instance_id: str = 'inst', **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {'instance_id': instance_id, 'flavor': dict(SMALL_FLAVOR),
                              'image': {'id': 'img', 'properties': {}},
                              'availability_zone': None, 'ignore_hosts': [],
                              'num_alternates': 2}
    values.update(overrides)
    return values


def insert_instance(db: db_api.Database, name: str = 'vm') -> str:
    instance_id = str(uuid.uuid4())
    with db.session() as session:
        session.add(compute_models.Instance(id=instance_id, name=name, project_id='p',
                                            user_id='u', flavor_id='small',
                                            vm_state='building'))
    return instance_id


def node_row(db: db_api.Database, host: str) -> dict[str, Any]:
    with db.reader() as session:
        node = session.scalar(sa.select(models.ComputeNode)
                              .where(models.ComputeNode.host == host))
        assert node is not None
        return {'id': node.id, 'vcpus_used': node.vcpus_used,
                'memory_mb_used': node.memory_mb_used, 'local_gb_used': node.local_gb_used}


def instance_row(db: db_api.Database, instance_id: str) -> tuple[str | None, str | None]:
    with db.reader() as session:
        row = session.get(compute_models.Instance, instance_id)
        assert row is not None
        return row.host, row.availability_zone


def set_last_seen(db: db_api.Database, host: str, when: datetime.datetime) -> None:
    with db.session() as session:
        session.execute(sa.update(models.ComputeNode)
                        .where(models.ComputeNode.host == host).values(last_seen_at=when))
