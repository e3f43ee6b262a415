"""InstanceStore.get reads on a Core connection; what it returns is unchanged."""

from __future__ import annotations

import pytest

from nova_lite.common import exception
from nova_lite.common.states import VmState
from nova_lite.compute import instance_store
from nova_lite.db import api as db_api


def _create(store: instance_store.InstanceStore) -> dict:
    return store.create(name='vm', project_id='p1', user_id='u1', flavor_id='f1',
                        image_id=None, availability_zone=None, metadata={'k': 'v'},
                        build_request={'networks': 'auto'}, key_name='key')


def test_get_returns_what_create_returned(db: db_api.Database) -> None:
    store = instance_store.InstanceStore(db)
    created = _create(store)
    assert store.get(created['id']) == created
    assert created['metadata'] == {'k': 'v'} and created['fault'] is None


def test_get_of_an_instance_in_error_has_its_latest_fault(db: db_api.Database) -> None:
    store = instance_store.InstanceStore(db)
    created = _create(store)
    store.set_error(created['id'], message='first', code=500)
    store.set_error(created['id'], message='second', code=409, details='d', host='h')
    got = store.get(created['id'])
    assert got['vm_state'] == VmState.ERROR and got['status'] == 'ERROR'
    assert got['fault'] is not None
    assert (got['fault']['message'], got['fault']['code'], got['fault']['host']) == (
        'second', 409, 'h')


def test_a_deleted_instance_is_not_found_unless_asked_for(db: db_api.Database) -> None:
    store = instance_store.InstanceStore(db)
    created = _create(store)
    store.mark_deleted(created['id'])
    with pytest.raises(exception.NotFound):
        store.get(created['id'])
    assert store.get(created['id'], include_deleted=True)['deleted_at'] is not None
    with pytest.raises(exception.NotFound):
        store.get('00000000-0000-0000-0000-000000000000')


def test_the_read_connection_holds_no_transaction(db: db_api.Database) -> None:
    store = instance_store.InstanceStore(db)
    created = _create(store)
    with db.read_connection() as connection:
        connection.exec_driver_sql('SELECT 1')
        if db.is_sqlite:
            assert not connection.connection.dbapi_connection.in_transaction
        store.update(created['id'], task_state='deleting')  # a writer is not held up
    assert store.get(created['id'])['task_state'] == 'deleting'
