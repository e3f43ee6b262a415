"""The keypair store: per-user names, imported or generated keys, paging by name."""

from __future__ import annotations

import pytest

from nova_lite.api import paging
from nova_lite.common import exception
from nova_lite.compute import keypairs
from nova_lite.db import api as db_api
from nova_lite.db.models import compute_keypairs as models
from tests.unit.compute.test_keypair_keys import TEMPEST_RSA


def _count(db: db_api.Database) -> int:
    with db.reader() as session:
        return session.query(models.KeyPair).count()


def test_import_get_delete(db: db_api.Database) -> None:
    store = keypairs.KeypairStore(db)
    created = store.create(user_id='u1', name='k1', public_key=f'  {TEMPEST_RSA}\n')
    assert created.private_key is None
    keypair = created.keypair
    assert keypair['public_key'] == TEMPEST_RSA and keypair['type'] == 'ssh'
    assert isinstance(keypair['id'], int) and keypair['updated_at'] is None
    assert store.get('u1', 'k1') == keypair
    with pytest.raises(exception.NotFound, match='Keypair k1 not found for user u2'):
        store.get('u2', 'k1')
    store.delete('u1', 'k1')
    with pytest.raises(exception.NotFound):
        store.delete('u1', 'k1')
    assert _count(db) == 0


def test_generated_pair_keeps_only_the_public_half(db: db_api.Database) -> None:
    store = keypairs.KeypairStore(db)
    created = store.create(user_id='u1', name='gen')
    assert created.private_key and 'PRIVATE KEY' in created.private_key
    stored = store.get('u1', 'gen')
    assert stored['public_key'].startswith('ssh-rsa ')
    assert 'PRIVATE' not in repr(stored)
    x509_pair = store.create(user_id='u1', name='cert', key_type='x509')
    assert x509_pair.keypair['public_key'].startswith('-----BEGIN CERTIFICATE-----')
    assert x509_pair.keypair['type'] == 'x509'


def test_names_are_unique_per_user(db: db_api.Database) -> None:
    store = keypairs.KeypairStore(db)
    store.create(user_id='u1', name='same', public_key=TEMPEST_RSA)
    with pytest.raises(exception.Conflict, match="Key pair 'same' already exists"):
        store.create(user_id='u1', name='same', public_key=TEMPEST_RSA)
    store.create(user_id='u2', name='same', public_key=TEMPEST_RSA)
    assert _count(db) == 2


def test_bad_key_stores_nothing(db: db_api.Database) -> None:
    store = keypairs.KeypairStore(db)
    with pytest.raises(exception.InvalidInput):
        store.create(user_id='u1', name='bad', public_key='ssh-rsa JUNK')
    assert _count(db) == 0


def test_paging_by_name_marker(db: db_api.Database) -> None:
    store = keypairs.KeypairStore(db)
    for name in ('c', 'a', 'b'):
        store.create(user_id='u1', name=name, public_key=TEMPEST_RSA)
    store.create(user_id='u2', name='other', public_key=TEMPEST_RSA)
    assert [k['name'] for k in store.page('u1').items] == ['c', 'a', 'b']
    first = store.page('u1', paging.PageRequest(limit=2, paged=True))
    assert [k['name'] for k in first.items] == ['c', 'a'] and first.next_marker == 'a'
    rest = store.page('u1', paging.PageRequest(limit=2, marker='a', paged=True))
    assert [k['name'] for k in rest.items] == ['b'] and rest.next_marker is None
    with pytest.raises(exception.InvalidInput, match='marker'):
        store.page('u1', paging.PageRequest(marker='other'))
