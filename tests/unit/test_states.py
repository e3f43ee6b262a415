"""The state names are plain strings with the values already stored in databases."""

from __future__ import annotations

import json

from nova_lite.common import states


def _constants(namespace: type) -> dict[str, object]:
    return {name: value for name, value in vars(namespace).items()
            if name.isupper() and name != 'ALL'}


def test_every_state_is_a_plain_str_that_json_keeps_as_it_is() -> None:
    for namespace in (states.VmState, states.TaskState, states.ServerStatus,
                      states.NetworkStatus, states.PortStatus, states.VolumeStatus,
                      states.AttachStatus, states.ImageStatus):
        for name, value in _constants(namespace).items():
            assert type(value) is str, f'{namespace.__name__}.{name}'
            assert json.loads(json.dumps(value)) == value


def test_stored_values_do_not_change() -> None:
    """Rows written before these constants existed hold these strings."""
    assert _constants(states.VmState) == {
        'BUILDING': 'building', 'ACTIVE': 'active', 'STOPPED': 'stopped', 'ERROR': 'error',
        'DELETED': 'deleted', 'PAUSED': 'paused', 'SUSPENDED': 'suspended',
        'SHELVED': 'shelved', 'SHELVED_OFFLOADED': 'shelved_offloaded',
        'RESIZED': 'resized'}
    assert _constants(states.TaskState) == {
        'SCHEDULING': 'scheduling', 'NETWORKING': 'networking',
        'BLOCK_DEVICE_MAPPING': 'block_device_mapping', 'SPAWNING': 'spawning',
        'DELETING': 'deleting', 'REBOOTING': 'rebooting', 'REBOOTING_HARD': 'rebooting_hard',
        'POWERING_OFF': 'powering-off', 'POWERING_ON': 'powering-on',
        'PAUSING': 'pausing', 'UNPAUSING': 'unpausing', 'SUSPENDING': 'suspending',
        'RESUMING': 'resuming', 'IMAGE_SNAPSHOT': 'image_snapshot',
        'IMAGE_BACKUP': 'image_backup',
        'SHELVING': 'shelving',
        'SHELVING_IMAGE_PENDING_UPLOAD': 'shelving_image_pending_upload',
        'SHELVING_IMAGE_UPLOADING': 'shelving_image_uploading',
        'SHELVING_OFFLOADING': 'shelving_offloading', 'UNSHELVING': 'unshelving',
        'RESIZE_PREP': 'resize_prep', 'RESIZE_REVERTING': 'resize_reverting',
        'RESIZE_CONFIRMING': 'resize_confirming', 'REBUILDING': 'rebuilding'}
    assert states.PortStatus.ALL == ('ACTIVE', 'DOWN', 'BUILD')
    assert states.VolumeStatus.ALL == ('creating', 'available', 'reserved', 'attaching',
                                       'in-use', 'detaching', 'deleting', 'error',
                                       'error_deleting', 'awaiting-transfer')
    assert _constants(states.AttachStatus) == {
        'RESERVED': 'reserved', 'ATTACHING': 'attaching', 'ATTACHED': 'attached'}


def test_snapshot_statuses_are_cinders() -> None:
    """Volume snapshot rows hold these strings; clients wait for them by name."""
    assert states.SnapshotStatus.ALL == ('creating', 'available', 'deleting', 'error',
                                         'error_deleting')
    for name, value in _constants(states.SnapshotStatus).items():
        assert type(value) is str, name
