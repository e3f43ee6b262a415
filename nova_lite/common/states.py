"""The names of the states the services store and show, in one place.

As Nova's ``vm_states`` and ``task_states``, Neutron's port statuses and
Cinder's volume and attachment statuses. They are plain ``str`` constants,
not Enum members: they are stored in string columns and sent in JSON bodies
as they are. Each class is a namespace only.
"""

from __future__ import annotations

from typing import Final


class VmState:
    """An instance's state (``instances.vm_state``)."""

    BUILDING: Final = 'building'
    ACTIVE: Final = 'active'
    STOPPED: Final = 'stopped'
    PAUSED: Final = 'paused'
    SUSPENDED: Final = 'suspended'
    ERROR: Final = 'error'
    DELETED: Final = 'deleted'
    SHELVED: Final = 'shelved'
    SHELVED_OFFLOADED: Final = 'shelved_offloaded'
    # Resized (same host) and waiting for the user's confirm or revert (VERIFY_RESIZE).
    RESIZED: Final = 'resized'


class TaskState:
    """What is being done to an instance (``instances.task_state``; None: nothing)."""

    SCHEDULING: Final = 'scheduling'
    NETWORKING: Final = 'networking'
    BLOCK_DEVICE_MAPPING: Final = 'block_device_mapping'
    SPAWNING: Final = 'spawning'
    DELETING: Final = 'deleting'
    REBOOTING: Final = 'rebooting'
    REBOOTING_HARD: Final = 'rebooting_hard'
    POWERING_OFF: Final = 'powering-off'
    POWERING_ON: Final = 'powering-on'
    PAUSING: Final = 'pausing'
    UNPAUSING: Final = 'unpausing'
    SUSPENDING: Final = 'suspending'
    RESUMING: Final = 'resuming'
    IMAGE_SNAPSHOT: Final = 'image_snapshot'
    IMAGE_BACKUP: Final = 'image_backup'
    SHELVING: Final = 'shelving'
    SHELVING_IMAGE_PENDING_UPLOAD: Final = 'shelving_image_pending_upload'
    SHELVING_IMAGE_UPLOADING: Final = 'shelving_image_uploading'
    SHELVING_OFFLOADING: Final = 'shelving_offloading'
    UNSHELVING: Final = 'unshelving'
    # Resize (and its confirm and revert) and rebuild, as Nova names them.
    RESIZE_PREP: Final = 'resize_prep'
    RESIZE_REVERTING: Final = 'resize_reverting'
    RESIZE_CONFIRMING: Final = 'resize_confirming'
    REBUILDING: Final = 'rebuilding'


class ServerStatus:
    """A server's status in the compute API (what its vm_state and task_state show as)."""

    BUILD: Final = 'BUILD'
    ACTIVE: Final = 'ACTIVE'
    SHUTOFF: Final = 'SHUTOFF'
    PAUSED: Final = 'PAUSED'
    SUSPENDED: Final = 'SUSPENDED'
    ERROR: Final = 'ERROR'
    DELETED: Final = 'DELETED'
    REBOOT: Final = 'REBOOT'
    HARD_REBOOT: Final = 'HARD_REBOOT'
    RESIZE: Final = 'RESIZE'
    VERIFY_RESIZE: Final = 'VERIFY_RESIZE'
    REVERT_RESIZE: Final = 'REVERT_RESIZE'
    REBUILD: Final = 'REBUILD'


class NetworkStatus:
    """A network's status (network API)."""

    ACTIVE: Final = 'ACTIVE'


class PortStatus:
    """A port's status (network API)."""

    ACTIVE: Final = 'ACTIVE'
    DOWN: Final = 'DOWN'
    BUILD: Final = 'BUILD'

    ALL: Final = (ACTIVE, DOWN, BUILD)


class VolumeStatus:
    """A volume's status (block storage API)."""

    CREATING: Final = 'creating'
    AVAILABLE: Final = 'available'
    RESERVED: Final = 'reserved'
    ATTACHING: Final = 'attaching'
    IN_USE: Final = 'in-use'
    DETACHING: Final = 'detaching'
    DELETING: Final = 'deleting'
    ERROR: Final = 'error'
    ERROR_DELETING: Final = 'error_deleting'
    AWAITING_TRANSFER: Final = 'awaiting-transfer'

    ALL: Final = (CREATING, AVAILABLE, RESERVED, ATTACHING, IN_USE, DETACHING, DELETING,
                  ERROR, ERROR_DELETING, AWAITING_TRANSFER)
    # Set by os-volume_upload_image while the volume is copied to an image.
    UPLOADING: Final = 'uploading'


class AttachStatus:
    """A volume attachment's status (block storage API)."""

    RESERVED: Final = 'reserved'
    ATTACHING: Final = 'attaching'
    ATTACHED: Final = 'attached'


class SnapshotStatus:
    """A volume snapshot's status (block storage API)."""

    CREATING: Final = 'creating'
    AVAILABLE: Final = 'available'
    DELETING: Final = 'deleting'
    ERROR: Final = 'error'
    ERROR_DELETING: Final = 'error_deleting'

    ALL: Final = (CREATING, AVAILABLE, DELETING, ERROR, ERROR_DELETING)


class ImageStatus:
    """An image's status (image API)."""

    QUEUED: Final = 'queued'
    SAVING: Final = 'saving'
    ACTIVE: Final = 'active'
    KILLED: Final = 'killed'
    DELETED: Final = 'deleted'
    DEACTIVATED: Final = 'deactivated'
    # Interoperable image import: data staged, then moved to the store by a task.
    UPLOADING: Final = 'uploading'
    IMPORTING: Final = 'importing'
