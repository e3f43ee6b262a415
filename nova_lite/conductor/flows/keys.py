"""Names of the flows' atoms and of the values in their store.

Tasks declare ``requires``/``provides`` with these names only, so a flow's
contract can be read (and tested) in one place. Nothing else lives here.
"""

# Store values (inputs given by the conductor, or provided by a task).
INSTANCE_ID = 'instance_id'
# The user's token sealed by the conductors' keys (token_seal): never the token itself.
SEALED_TOKEN = 'sealed_token'
REQUEST_SPEC = 'request_spec'
# The boot request's ids (RequestContext.request_id and global_request_id), so that
# the boot's context logs under them; optional (boots saved before had none).
REQUEST_IDS = 'request_ids'
CONTEXT = 'context'
FAILED_HOSTS = 'failed_hosts'
HOST = 'host'
ALTERNATE_HOSTS = 'alternate_hosts'
FLAVOR = 'flavor'
IMAGE = 'image'
NETWORK_INFO = 'network_info'
BLOCK_DEVICES = 'block_devices'
# The server's volumes (block_devices.Mapping dicts), each with the volume_id it
# has once create-volumes made the image and blank ones ('created': True).
BLOCK_DEVICE_MAPPING = 'block_device_mapping'
SPAWN_RESULT = 'spawn_result'
INSTANCE = 'instance'

# Flow names.
BOOT_FLOW = 'boot-instance'
RESCHEDULE_FLOW = 'reschedule'
GATHER_FLOW = 'gather'
DELETE_FLOW = 'delete-instance'

# Boot flow atom names (also the values `fail_at` fault injection accepts).
INSTANCE_TO_ERROR_ON_REVERT = 'instance-to-error-on-revert'
AUTHENTICATE = 'authenticate'
HOST_RETRY = 'host-retry'
SCHEDULE = 'schedule'
GET_FLAVOR = 'flavor'
GET_IMAGE = 'image'
ALLOCATE_NETWORK = 'network'
ATTACH_VOLUMES = 'volume'
CREATE_VOLUMES = 'create-volumes'
SPAWN = 'spawn'
MARK_ACTIVE = 'mark-active'

BOOT_TASKS = (INSTANCE_TO_ERROR_ON_REVERT, AUTHENTICATE, CREATE_VOLUMES, SCHEDULE, GET_FLAVOR,
              GET_IMAGE, ALLOCATE_NETWORK, ATTACH_VOLUMES, SPAWN, MARK_ACTIVE)

# Delete flow atom names.
DELETE_TO_ERROR_ON_REVERT = 'delete-to-error-on-revert'
DESTROY_DOMAIN = 'destroy-domain'
DETACH_VOLUMES = 'detach-volumes'
DEALLOCATE_NETWORK = 'deallocate-network'
RELEASE_CLAIM = 'release-claim'
MARK_DELETED = 'mark-deleted'

# Server action flows (one per action, server_action.action_flow_name(action)).
# Store: the action's request (its name, request ids, the vm_state it started
# from, its arguments) and the power state the host reported.
ACTION_REQUEST = 'action_request'
POWER_STATE = 'power_state'
SERVER_ACTION_FLOW_PREFIX = 'server-action-'
ACTION_TO_ERROR_ON_REVERT = 'action-to-error-on-revert'
HOST_CALL = 'host-call'
RECORD_STATE = 'record-state'
ACTION_TASKS = (ACTION_TO_ERROR_ON_REVERT, HOST_CALL, RECORD_STATE)

# The snapshot action's own task (in place of host-call; its first task is a
# snapshot's action-to-error-on-revert). Store: also the sealed user token
# (keys.SEALED_TOKEN); the image id and disk format are in the request's args.
SNAPSHOT_UPLOAD = 'snapshot-upload'
SNAPSHOT_TASKS = (ACTION_TO_ERROR_ON_REVERT, SNAPSHOT_UPLOAD, RECORD_STATE)
# createBackup: the snapshot's tasks, then the rotation of the older backups.
ROTATE_BACKUPS = 'rotate-backups'
BACKUP_TASKS = (ACTION_TO_ERROR_ON_REVERT, SNAPSHOT_UPLOAD, ROTATE_BACKUPS, RECORD_STATE)

# Volume attach and detach after boot (their own tasks in place of host-call).
# Store: also the sealed user token; the volume id (and mountpoint) are in the
# request's args; ATTACHMENT is the volume service's attachment record.
ATTACHMENT = 'attachment'
RESERVE_VOLUME = 'reserve-volume'
ATTACH_ON_HOST = 'attach-on-host'
DETACH_ON_HOST = 'detach-on-host'
RELEASE_VOLUME = 'release-volume'
ATTACH_VOLUME_TASKS = (ACTION_TO_ERROR_ON_REVERT, RESERVE_VOLUME, ATTACH_ON_HOST, RECORD_STATE)
DETACH_VOLUME_TASKS = (ACTION_TO_ERROR_ON_REVERT, DETACH_ON_HOST, RELEASE_VOLUME, RECORD_STATE)

# Interface attach and detach after boot (their own tasks in place of host-call).
# The port id, whether nova made the port (``created``) and the tag are in the
# request's args; VIF is the interface as the instance's network_info keeps it.
VIF = 'vif'
BIND_PORT = 'bind-port'
PLUG_ON_HOST = 'plug-on-host'
RECORD_INTERFACE = 'record-interface'
UNPLUG_ON_HOST = 'unplug-on-host'
FORGET_INTERFACE = 'forget-interface'
RELEASE_PORT = 'release-port'
ATTACH_INTERFACE_TASKS = (ACTION_TO_ERROR_ON_REVERT, BIND_PORT, PLUG_ON_HOST, RECORD_INTERFACE,
                          RECORD_STATE)
DETACH_INTERFACE_TASKS = (ACTION_TO_ERROR_ON_REVERT, UNPLUG_ON_HOST, FORGET_INTERFACE,
                          RELEASE_PORT, RECORD_STATE)
# Shelve, shelve-offload and unshelve (conductor/flows/shelve.py). Store: also the
# sealed user token; the shelved image's id and whether to offload at once are in
# the shelve request's args; the shelved image's id stays in the instance's
# build request (its 'shelved_image_id', Nova's system metadata key) until unshelve.
UNSHELVE_HOST = 'unshelve_host'
SHELVE_POWER_OFF = 'shelve-power-off'
SHELVE_UPLOAD = 'shelve-upload'
RECORD_SHELVED = 'record-shelved'
OFFLOAD_DESTROY = 'offload-destroy'
OFFLOAD_RELEASE = 'offload-release'
UNSHELVE_SCHEDULE = 'unshelve-schedule'
UNSHELVE_SPAWN = 'unshelve-spawn'
DELETE_SHELVED_IMAGE = 'delete-shelved-image'
SHELVE_TASKS = (ACTION_TO_ERROR_ON_REVERT, SHELVE_POWER_OFF, SHELVE_UPLOAD, RECORD_SHELVED,
                OFFLOAD_DESTROY, OFFLOAD_RELEASE)
SHELVE_OFFLOAD_TASKS = (ACTION_TO_ERROR_ON_REVERT, OFFLOAD_DESTROY, OFFLOAD_RELEASE)
UNSHELVE_TASKS = (ACTION_TO_ERROR_ON_REVERT, UNSHELVE_SCHEDULE, UNSHELVE_SPAWN,
                  RECORD_STATE, DELETE_SHELVED_IMAGE)
# Resize on one host, its confirm and revert, and rebuild (their own tasks).
# Store: as every action's; the flavors (old and new), the image and the
# migration are in the request's args.
RESIZE_CLAIM = 'resize-claim'
RESIZE_ON_HOST = 'resize-on-host'
RECORD_RESIZED = 'record-resized'
RELEASE_OLD_FLAVOR = 'release-old-flavor'
CONFIRM_ON_HOST = 'confirm-on-host'
RECORD_CONFIRMED = 'record-confirmed'
REVERT_ON_HOST = 'revert-on-host'
RELEASE_NEW_FLAVOR = 'release-new-flavor'
RECORD_REVERTED = 'record-reverted'
REBUILD_ON_HOST = 'rebuild-on-host'
RECORD_REBUILT = 'record-rebuilt'
RESIZE_TASKS = (ACTION_TO_ERROR_ON_REVERT, RESIZE_CLAIM, RESIZE_ON_HOST, RECORD_RESIZED)
CONFIRM_RESIZE_TASKS = (ACTION_TO_ERROR_ON_REVERT, RELEASE_OLD_FLAVOR, CONFIRM_ON_HOST,
                        RECORD_CONFIRMED)
REVERT_RESIZE_TASKS = (ACTION_TO_ERROR_ON_REVERT, REVERT_ON_HOST, RELEASE_NEW_FLAVOR,
                       RECORD_REVERTED)
REBUILD_TASKS = (ACTION_TO_ERROR_ON_REVERT, REBUILD_ON_HOST, RECORD_REBUILT)
