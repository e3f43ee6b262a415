"""Volume transfers: create, list, show, delete and accept across projects."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from nova_lite.db.models import volume_transfers as models
from tests.functional.conftest import CloudEnv
from tests.unit.volume_rest.conftest import Client, make_user, osc_create_body


def _volume(client: Client, name: str = 'to-give') -> str:
    response = client.post('/volumes', osc_create_body(name=name))
    assert response.status_int == 202, response.text
    return response.json['volume']['id']


def _status(client: Client, volume_id: str) -> str:
    return client.get(f'/volumes/{volume_id}').json['volume']['status']


def test_create_accept_moves_the_volume(app: Any, env: CloudEnv) -> None:
    giver = make_user(env, app, ['member'])
    taker = make_user(env, app, ['member'])
    volume_id = _volume(giver)
    created = giver.post('/os-volume-transfer', {'transfer': {'volume_id': volume_id,
                                                              'name': 'gift'}})
    assert created.status_int == 202, created.text
    transfer = created.json['transfer']
    assert transfer['name'] == 'gift' and len(transfer['auth_key']) == 16
    assert _status(giver, volume_id) == 'awaiting-transfer'
    shown = giver.get(f'/os-volume-transfer/{transfer["id"]}').json['transfer']
    assert 'auth_key' not in shown and shown['volume_id'] == volume_id
    listed = giver.get('/os-volume-transfer').json['transfers']
    assert [t['id'] for t in listed] == [transfer['id']] and 'created_at' not in listed[0]
    assert 'created_at' in giver.get('/os-volume-transfer/detail').json['transfers'][0]
    assert taker.get(f'/os-volume-transfer/{transfer["id"]}').status_int == 404
    # a volume awaiting transfer cannot be deleted or offered twice
    assert giver.delete(f'/volumes/{volume_id}').status_int == 400
    again = giver.post('/os-volume-transfer', {'transfer': {'volume_id': volume_id}})
    assert again.status_int == 400

    wrong = taker.post(f'/os-volume-transfer/{transfer["id"]}/accept',
                       {'accept': {'auth_key': 'not-the-key'}})
    assert wrong.status_int == 400
    accepted = taker.post(f'/os-volume-transfer/{transfer["id"]}/accept',
                          {'accept': {'auth_key': transfer['auth_key']}})
    assert accepted.status_int == 202, accepted.text
    assert accepted.json['transfer']['volume_id'] == volume_id
    volume = taker.get(f'/volumes/{volume_id}').json['volume']
    assert volume['status'] == 'available'
    assert volume['os-vol-tenant-attr:tenant_id'] == taker.project_id
    assert giver.get(f'/volumes/{volume_id}').status_int == 404
    assert giver.get(f'/os-volume-transfer/{transfer["id"]}').status_int == 404
    assert taker.delete(f'/volumes/{volume_id}').status_int == 202


def test_delete_gives_the_volume_back(admin: Client) -> None:
    volume_id = _volume(admin)
    transfer = admin.post('/os-volume-transfer', {'transfer': {'volume_id': volume_id}})
    transfer_id = transfer.json['transfer']['id']
    assert transfer.json['transfer']['name'] is None
    assert admin.delete(f'/os-volume-transfer/{transfer_id}').status_int == 202
    assert _status(admin, volume_id) == 'available'
    assert admin.delete(f'/os-volume-transfer/{transfer_id}').status_int == 404
    assert admin.post(f'/os-volume-transfer/{transfer_id}/accept',
                      {'accept': {'auth_key': 'x'}}).status_int == 404
    assert admin.delete(f'/volumes/{volume_id}').status_int == 202


def test_auth_key_is_stored_hashed(admin: Client, env: CloudEnv) -> None:
    volume_id = _volume(admin)
    transfer = admin.post('/os-volume-transfer', {'transfer': {'volume_id': volume_id}})
    body = transfer.json['transfer']
    with env.cloud.services.volumes.db.reader() as session:
        row = session.scalar(sa.select(models.VolumeTransfer).where(
            models.VolumeTransfer.id == body['id']))
        assert row is not None
        stored = (row.salt, row.key_hash)
    assert body['auth_key'] not in stored
    admin.delete(f'/os-volume-transfer/{body["id"]}')
    admin.delete(f'/volumes/{volume_id}')


def test_bad_input(admin: Client) -> None:
    missing = admin.post('/os-volume-transfer', {'transfer': {}})
    assert missing.status_int == 400 and 'volume_id' in missing.text
    unknown = admin.post('/os-volume-transfer',
                         {'transfer': {'volume_id': '7b7f6c2e-0000-4000-8000-000000000000'}})
    assert unknown.status_int == 404
    no_key = admin.post('/os-volume-transfer/7b7f6c2e-0000-4000-8000-000000000000/accept',
                        {'accept': {}})
    assert no_key.status_int == 400 and 'auth_key' in no_key.text


def _offer(client: Client, volume_id: str) -> dict[str, Any]:
    created = client.post('/os-volume-transfer', {'transfer': {'volume_id': volume_id}})
    assert created.status_int == 202, created.text
    return created.json['transfer']


def _accept(client: Client, transfer: dict[str, Any]) -> Any:
    return client.post(f'/os-volume-transfer/{transfer["id"]}/accept',
                       {'accept': {'auth_key': transfer['auth_key']}})


def test_accept_over_the_takers_quota_is_413(app: Any, env: CloudEnv) -> None:
    giver = make_user(env, app, ['member'])
    taker = make_user(env, app, ['member'])
    volume_id = _volume(giver)
    transfer = _offer(giver, volume_id)
    engine = env.cloud.volumes.quotas
    engine.update(taker.project_id, {'volumes': 0})
    refused = _accept(taker, transfer)
    assert refused.status_int == 413, refused.text
    assert "'volumes'" in refused.text
    # nothing moved: the volume still waits in the giver's project
    assert _status(giver, volume_id) == 'awaiting-transfer'
    assert taker.get(f'/volumes/{volume_id}').status_int == 404
    engine.update(taker.project_id, {'volumes': 1, 'gigabytes': 0})
    refused = _accept(taker, transfer)
    assert refused.status_int == 413 and "gigabytes" in refused.text, refused.text
    engine.update(taker.project_id, {'gigabytes': 1})
    assert _accept(taker, transfer).status_int == 202
    assert engine.usage(taker.project_id)['volumes'] == 1
    assert engine.usage(giver.project_id)['volumes'] == 0
    assert taker.delete(f'/volumes/{volume_id}').status_int == 202


def test_accept_counts_the_volumes_snapshots(app: Any, env: CloudEnv) -> None:
    giver = make_user(env, app, ['member'])
    taker = make_user(env, app, ['member'])
    volume_id = _volume(giver)
    snapshot = giver.post('/snapshots', {'snapshot': {'volume_id': volume_id,
                                                      'name': 'goes-along'}})
    assert snapshot.status_int == 202, snapshot.text
    transfer = _offer(giver, volume_id)
    engine = env.cloud.volumes.quotas
    engine.update(taker.project_id, {'snapshots': 0})
    refused = _accept(taker, transfer)
    assert refused.status_int == 413 and 'snapshots' in refused.text, refused.text
    # the volume (1 GiB) fits, it with its snapshot (2 GiB in all) does not
    engine.update(taker.project_id, {'snapshots': 1, 'gigabytes': 1})
    refused = _accept(taker, transfer)
    assert refused.status_int == 413 and 'gigabytes' in refused.text, refused.text
    engine.update(taker.project_id, {'gigabytes': 2})
    assert _accept(taker, transfer).status_int == 202
    usage = engine.usage(taker.project_id)
    assert (usage['volumes'], usage['snapshots'], usage['gigabytes']) == (1, 1, 2)
