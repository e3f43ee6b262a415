"""SIGKILL nova-lite-all in the middle of a boot; restarted, it finishes the boot.

The boot flow is saved as it runs (every boot is a saved run), so the restarted
conductor resumes it: finished tasks are not run again, and the task that was
running when the process died runs again without doing its side effect twice
(one port, one volume attachment, one domain).
"""

from __future__ import annotations

import time

from tests.functional import nova_lite_all


def test_boot_resumes_after_sigkill_before_spawn(tmp_path, image_file_factory):
    with nova_lite_all.running_cloud(str(tmp_path)) as cloud:
        cloud.openstack('image', 'create', '--disk-format', 'qcow2', '--container-format',
                        'bare', '--file', image_file_factory(), 'img')
        cloud.openstack('flavor', 'create', '--ram', '128', '--disk', '1', '--vcpus', '1',
                        'f1')
        cloud.openstack('network', 'create', 'n1')
        cloud.openstack('subnet', 'create', '--network', 'n1', '--subnet-range',
                        '10.30.0.0/24', 's1')
        volume = cloud.openstack_json('volume', 'create', '--size', '1', 'v1')
        cloud.openstack('server', 'create', '--flavor', 'f1', '--image', 'img', '--network',
                        'n1', '--block-device', f'uuid={volume["id"]},source_type=volume,'
                        'destination_type=volume', '--property',
                        'nova_lite:delay_at=spawn:15', 'vm')
        # The gather is done (the volume is attached, the port made) and spawn waits
        # 15 s: the process dies with the boot half done.
        deadline = time.monotonic() + 120
        while cloud.openstack_json('volume', 'show', 'v1')['status'] != 'in-use':
            assert time.monotonic() < deadline, 'the boot never attached the volume'
            time.sleep(0.3)
        assert cloud.openstack_json('server', 'show', 'vm')['status'] == 'BUILD'
        cloud.kill()
        cloud.restart()
        deadline = time.monotonic() + 180
        while (server := cloud.openstack_json('server', 'show', 'vm'))['status'] == 'BUILD':
            assert time.monotonic() < deadline, 'the resumed boot never finished'
            time.sleep(1)
        assert server['status'] == 'ACTIVE', server.get('fault')
        assert len(cloud.openstack_json('port', 'list')) == 1
        assert cloud.openstack_json('volume', 'show', 'v1')['status'] == 'in-use'
        audit = cloud.manage_result('audit')
        assert audit.returncode == 0, audit.stdout
        assert '0 orphan(s)' in audit.stdout
        with open(cloud.log_file) as log:
            assert 'Taking over the boot of' in log.read()


def test_boot_from_volume_resumes_after_sigkill_inside_create_volumes(tmp_path,
                                                                       image_file_factory):
    """Killed after create-volumes made the boot volume but before its result was
    saved: the resumed boot finds the volume recorded with the instance and makes
    no second one; the server ends ACTIVE on it and its delete deletes it."""
    with nova_lite_all.running_cloud(str(tmp_path)) as cloud:
        image = cloud.openstack_json('image', 'create', '--disk-format', 'qcow2',
                                     '--container-format', 'bare', '--file',
                                     image_file_factory(), 'img')
        cloud.openstack('flavor', 'create', '--ram', '128', '--disk', '1', '--vcpus', '1',
                        'f1')
        cloud.openstack('network', 'create', 'n1')
        cloud.openstack('subnet', 'create', '--network', 'n1', '--subnet-range',
                        '10.31.0.0/24', 's1')
        cloud.openstack('server', 'create', '--flavor', 'f1', '--network', 'n1',
                        '--block-device', f'uuid={image["id"]},source_type=image,'
                        'destination_type=volume,volume_size=1,boot_index=0,'
                        'delete_on_termination=true', '--property',
                        'nova_lite:delay_after=create-volumes:15', 'bfv')
        deadline = time.monotonic() + 120
        while not cloud.openstack_json('volume', 'list'):
            assert time.monotonic() < deadline, 'the boot never made its volume'
            time.sleep(0.3)
        assert cloud.openstack_json('server', 'show', 'bfv')['status'] == 'BUILD'
        cloud.kill()
        cloud.restart()
        deadline = time.monotonic() + 180
        while (server := cloud.openstack_json('server', 'show', 'bfv'))['status'] == 'BUILD':
            assert time.monotonic() < deadline, 'the resumed boot never finished'
            time.sleep(1)
        assert server['status'] == 'ACTIVE', server.get('fault')
        [volume] = cloud.openstack_json('volume', 'list')
        assert volume['Status'] == 'in-use'
        audit = cloud.manage_result('audit')
        assert audit.returncode == 0, audit.stdout
        assert '0 orphan(s)' in audit.stdout
        cloud.openstack('server', 'delete', '--wait', 'bfv')
        assert cloud.openstack_json('volume', 'list') == []
