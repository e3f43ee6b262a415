"""SIGKILL the API process in the middle of a volume create; its restart carries it on.

One cloud of separate daemons (RabbitMQ, PostgreSQL, the Redis jobboard). A
volume create is held by fault injection inside ``allocate-storage``: its
file made, its result not saved. The API process (which runs the volume
flows) is killed there and started again: it takes the run over once the
dead process's claim has expired, re-runs ``allocate-storage`` (which first
frees the file the dead run left) and ends the volume ``available``, with
one file and nothing the audit calls an orphan.
"""

from __future__ import annotations

import os
import re
import threading
import time
from typing import Any

import pytest
import requests

from nova_lite.db import api as db_api
from nova_lite.db import migration
from nova_lite.volume.flows import keys
from tests.functional import cluster, nova_lite_all

HOLD_SECONDS = 60


@pytest.mark.postgresql
@pytest.mark.rabbitmq
def test_sigkill_of_the_api_inside_a_volume_create(
        tmp_path: Any, pg_url: str, rabbit_url: str, redis_namespace: str) -> None:
    daemons = cluster.Daemons(str(tmp_path), pg_url, rabbit_url,
                              redis_namespace=redis_namespace,
                              extra_config='[fault_injection]\nenabled = true\n')
    try:
        # The volume API alone is needed: no scheduler, compute host nor conductor.
        database = db_api.Database(pg_url)
        migration.upgrade(database)  # in this process: one daemon start less
        database.dispose()
        daemons.manage('bootstrap', '--bootstrap-password', nova_lite_all.ADMIN_PASSWORD,
                       '--service-password', nova_lite_all.SERVICE_PASSWORD,
                       '--clouds-yaml', daemons.clouds_yaml)
        started = time.monotonic()
        _start_api(daemons)
        print(f'\nAPI up in {time.monotonic() - started:.1f} s')
        api = cluster.Api(daemons.ports)
        project = api.session.get(
            f'{api.base["identity"]}/v3/auth/tokens', timeout=30,
            headers={'X-Subject-Token': api.session.headers['X-Auth-Token']},
        ).json()['token']['project']['id']

        def create() -> None:
            # The API dies under this request: no answer is expected.
            try:
                api.call('POST', 'volume', f'/v3/{project}/volumes', json={'volume': {
                    'size': 1, 'name': 'held', 'metadata': {
                        'nova_lite:delay_after': f'{keys.ALLOCATE_STORAGE}:{HOLD_SECONDS}'}}})
            except requests.RequestException:
                pass

        request = threading.Thread(target=create, daemon=True)
        request.start()
        held = re.compile(rf'Fault injection: {keys.ALLOCATE_STORAGE} of (\S+) waits')
        match = cluster.wait_until(lambda: held.search(daemons.log('api')), 60,
                                   'the create to be held inside allocate-storage')
        volume_id = match.group(1)
        volumes_dir = os.path.join(str(tmp_path), 'state', 'volumes')
        assert os.listdir(volumes_dir) == [f'volume-{volume_id}']
        daemons.kill('api')
        request.join(timeout=30)

        killed_at = time.monotonic()
        _start_api(daemons)
        api = cluster.Api(daemons.ports)

        def ended() -> dict[str, Any] | None:
            volume = api.call('GET', 'volume', f'/v3/{project}/volumes/{volume_id}',
                              200)['volume']
            return volume if volume['status'] != 'creating' else None

        volume = cluster.wait_until(ended, 30, 'the volume create to be carried on')
        print(f'volume {volume["status"]} {time.monotonic() - killed_at:.1f} s after the kill')
        assert volume['status'] == 'available'
        assert f'Taking over volume flow {keys.CREATE_FLOW} of {volume_id}' in daemons.log('api')
        assert os.listdir(volumes_dir) == [f'volume-{volume_id}']
        audit = daemons.manage('audit', check=False)
        assert audit.returncode == 0, audit.stdout + audit.stderr
        assert '0 orphan(s)' in audit.stdout
    finally:
        daemons.kill_all()


def _start_api(daemons: cluster.Daemons) -> None:
    daemons.run('api', 'api')
    for service in ('identity', 'volume'):
        cluster.wait_for_url(f'http://127.0.0.1:{daemons.ports[service]}/')
