"""Names of the volume flows, their tasks and the values in their store.

Tasks declare ``requires``/``provides`` with these names only, so each flow's
contract can be read (and tested) in one place. Nothing else lives here.
"""

# Store values (given by the service, or provided by a task).
VOLUME_ID = 'volume_id'
SIZE = 'size'
BOOTABLE = 'bootable'
# The image written into a new volume: {'id': ..., 'disk_format': ...}.
IMAGE_REF = 'image_ref'
# Where the source of a copy lives, and what it is ('snapshot', 'source volume').
SOURCE_LOCATION = 'source_location'
SOURCE_KIND = 'source_kind'
VOLUME_LOCATION = 'volume_location'
SNAPSHOT_ID = 'snapshot_id'
SNAPSHOT_LOCATION = 'snapshot_location'
OLD_SIZE = 'old_size'
NEW_SIZE = 'new_size'
# A re-image: the status the volume goes back to, and its new image metadata.
PREVIOUS_STATUS = 'previous_status'
IMAGE_METADATA = 'image_metadata'

# Flow names (also what ``nova-lite flow graph --flow`` accepts for them).
CREATE_FLOW = 'volume-create'
CREATE_FROM_IMAGE_FLOW = 'volume-create-from-image'
CREATE_FROM_SNAPSHOT_FLOW = 'volume-create-from-snapshot'
CLONE_FLOW = 'volume-clone'
SNAPSHOT_CREATE_FLOW = 'volume-snapshot-create'
EXTEND_FLOW = 'volume-extend'
DELETE_FLOW = 'volume-delete'
SNAPSHOT_DELETE_FLOW = 'volume-snapshot-delete'
REIMAGE_FLOW = 'volume-reimage'

# Task names.
VOLUME_TO_ERROR_ON_REVERT = 'volume-to-error-on-revert'
VOLUME_REMOVED_ON_REVERT = 'volume-removed-on-revert'
ALLOCATE_STORAGE = 'allocate-storage'
WRITE_IMAGE = 'write-image'
COPY_SOURCE = 'copy-source'
MARK_VOLUME_AVAILABLE = 'mark-volume-available'
SNAPSHOT_REMOVED_ON_REVERT = 'snapshot-removed-on-revert'
COPY_TO_SNAPSHOT = 'copy-to-snapshot'
MARK_SNAPSHOT_AVAILABLE = 'mark-snapshot-available'
EXTEND_TO_AVAILABLE_ON_REVERT = 'extend-to-available-on-revert'
GROW_STORAGE = 'grow-storage'
MARK_EXTENDED = 'mark-extended'
VOLUME_TO_ERROR_DELETING_ON_REVERT = 'volume-to-error-deleting-on-revert'
FREE_STORAGE = 'free-storage'
REMOVE_VOLUME = 'remove-volume'
SNAPSHOT_TO_ERROR_DELETING_ON_REVERT = 'snapshot-to-error-deleting-on-revert'
FREE_SNAPSHOT_STORAGE = 'free-snapshot-storage'
REMOVE_SNAPSHOT = 'remove-snapshot'
REIMAGE_TO_ERROR_ON_REVERT = 'reimage-to-error-on-revert'
MARK_REIMAGED = 'mark-reimaged'

# Each flow's tasks, in the order they run.
CREATE_TASKS = (VOLUME_TO_ERROR_ON_REVERT, ALLOCATE_STORAGE, MARK_VOLUME_AVAILABLE)
CREATE_FROM_IMAGE_TASKS = (VOLUME_TO_ERROR_ON_REVERT, ALLOCATE_STORAGE, WRITE_IMAGE,
                           MARK_VOLUME_AVAILABLE)
COPY_TASKS = (VOLUME_REMOVED_ON_REVERT, COPY_SOURCE, MARK_VOLUME_AVAILABLE)
SNAPSHOT_CREATE_TASKS = (SNAPSHOT_REMOVED_ON_REVERT, COPY_TO_SNAPSHOT, MARK_SNAPSHOT_AVAILABLE)
EXTEND_TASKS = (EXTEND_TO_AVAILABLE_ON_REVERT, GROW_STORAGE, MARK_EXTENDED)
DELETE_TASKS = (VOLUME_TO_ERROR_DELETING_ON_REVERT, FREE_STORAGE, REMOVE_VOLUME)
SNAPSHOT_DELETE_TASKS = (SNAPSHOT_TO_ERROR_DELETING_ON_REVERT, FREE_SNAPSHOT_STORAGE,
                         REMOVE_SNAPSHOT)
REIMAGE_TASKS = (REIMAGE_TO_ERROR_ON_REVERT, WRITE_IMAGE, MARK_REIMAGED)

FLOW_TASKS = {
    CREATE_FLOW: CREATE_TASKS,
    CREATE_FROM_IMAGE_FLOW: CREATE_FROM_IMAGE_TASKS,
    CREATE_FROM_SNAPSHOT_FLOW: COPY_TASKS,
    CLONE_FLOW: COPY_TASKS,
    SNAPSHOT_CREATE_FLOW: SNAPSHOT_CREATE_TASKS,
    EXTEND_FLOW: EXTEND_TASKS,
    DELETE_FLOW: DELETE_TASKS,
    SNAPSHOT_DELETE_FLOW: SNAPSHOT_DELETE_TASKS,
    REIMAGE_FLOW: REIMAGE_TASKS,
}
