"""Who may do what on the block storage API (oslo.policy defaults, overridable)."""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base

CREATE = 'volume:create'
GET = 'volume:get'
GET_ALL = 'volume:get_all'
UPDATE = 'volume:update'
DELETE = 'volume:delete'
GET_METADATA = 'volume:get_volume_metadata'
UPDATE_METADATA = 'volume:update_volume_metadata'
DELETE_METADATA = 'volume:delete_volume_metadata'
ALL_PROJECTS = 'volume:get_all_tenants'
HOST_ATTRIBUTE = 'volume_extension:volume_host_attribute'
TYPES = 'volume_extension:types_index'
TYPES_MANAGE = 'volume_extension:types_manage'
RETYPE = 'volume:retype'
TYPE_EXTRA_SPECS = 'volume_extension:types_extra_specs'
TYPE_ACCESS = 'volume_extension:volume_type_access'
TYPE_ACCESS_MANAGE = 'volume_extension:volume_type_access:addProjectAccess'
AVAILABILITY_ZONES = 'volume_extension:availability_zone_list'
LIMITS = 'limits_extension:used_limits'
SNAPSHOTS = 'volume:get_all_snapshots'
BACKUPS = 'backup:get_all'
ATTACHMENT_CREATE = 'volume:attachment_create'
ATTACHMENT_UPDATE = 'volume:attachment_update'
ATTACHMENT_DELETE = 'volume:attachment_delete'
ATTACHMENT_GET_ALL = 'volume:attachment_get_all'
SNAPSHOT_CREATE = 'volume:create_snapshot'
SNAPSHOT_GET = 'volume:get_snapshot'
SNAPSHOT_UPDATE = 'volume:update_snapshot'
SNAPSHOT_DELETE = 'volume:delete_snapshot'
SNAPSHOT_GET_METADATA = 'volume:get_snapshot_metadata'
SNAPSHOT_UPDATE_METADATA = 'volume:update_snapshot_metadata'
SNAPSHOT_DELETE_METADATA = 'volume:delete_snapshot_metadata'
SNAPSHOT_ATTRIBUTES = 'volume_extension:extended_snapshot_attributes'
EXTEND = 'volume:extend'
SNAPSHOT_RESET_STATUS = 'volume_extension:snapshot_admin_actions:reset_status'
SNAPSHOT_FORCE_DELETE = 'volume_extension:snapshot_admin_actions:force_delete'
SNAPSHOT_UPDATE_STATUS = 'snapshot_extension:snapshot_actions:update_snapshot_status'
QOS_CREATE = 'volume_extension:qos_specs_manage:create'
QOS_GET = 'volume_extension:qos_specs_manage:get'
QOS_GET_ALL = 'volume_extension:qos_specs_manage:get_all'
QOS_UPDATE = 'volume_extension:qos_specs_manage:update'
QOS_DELETE = 'volume_extension:qos_specs_manage:delete'
TYPE_QOS_ID = 'volume_extension:access_types_qos_specs_id'
ENCRYPTION_CREATE = 'volume_extension:volume_type_encryption:create'
ENCRYPTION_GET = 'volume_extension:volume_type_encryption:get'
ENCRYPTION_UPDATE = 'volume_extension:volume_type_encryption:update'
ENCRYPTION_DELETE = 'volume_extension:volume_type_encryption:delete'
RESET_STATUS = 'volume_extension:volume_admin_actions:reset_status'
FORCE_DELETE = 'volume_extension:volume_admin_actions:force_delete'
UPLOAD_IMAGE = 'volume_extension:volume_actions:upload_image'
UPLOAD_PUBLIC = 'volume_extension:volume_actions:upload_public'
REIMAGE = 'volume_extension:volume_actions:reimage'
REIMAGE_RESERVED = 'volume_extension:volume_actions:reimage_reserved'
IMAGE_METADATA_SHOW = 'volume_extension:volume_image_metadata:show'
IMAGE_METADATA_SET = 'volume_extension:volume_image_metadata:set'
IMAGE_METADATA_REMOVE = 'volume_extension:volume_image_metadata:remove'
SERVICES = 'volume_extension:services:index'
SERVICES_UPDATE = 'volume_extension:services:update'
FREEZE_HOST = 'volume:freeze_host'
THAW_HOST = 'volume:thaw_host'
HOSTS = 'volume_extension:hosts'
POOLS = 'scheduler_extension:scheduler_stats:get_pools'
CAPABILITIES = 'volume_extension:capabilities'
TRANSFER_CREATE = 'volume:create_transfer'
TRANSFER_GET = 'volume:get_transfer'
TRANSFER_GET_ALL = 'volume:get_all_transfers'
TRANSFER_DELETE = 'volume:delete_transfer'
TRANSFER_ACCEPT = 'volume:accept_transfer'
MESSAGE_GET = 'message:get'
REVERT = 'volume:revert_to_snapshot'
MESSAGE_GET_ALL = 'message:get_all'
MESSAGE_DELETE = 'message:delete'
QUOTA_SHOW = 'volume_extension:quotas:show'
QUOTA_UPDATE = 'volume_extension:quotas:update'
QUOTA_DELETE = 'volume_extension:quotas:delete'
QUOTA_CLASS_SHOW = 'volume_extension:quota_classes'
QUOTA_CLASS_UPDATE = 'volume_extension:quota_classes:update'
RESERVE = 'volume_extension:volume_actions:reserve'
UNRESERVE = 'volume_extension:volume_actions:unreserve'
ATTACH = 'volume_extension:volume_actions:attach'
DETACH = 'volume_extension:volume_actions:detach'
BEGIN_DETACHING = 'volume_extension:volume_actions:begin_detaching'
ROLL_DETACHING = 'volume_extension:volume_actions:roll_detaching'
INITIALIZE_CONNECTION = 'volume_extension:volume_actions:initialize_connection'
TERMINATE_CONNECTION = 'volume_extension:volume_actions:terminate_connection'
UPDATE_READONLY = 'volume_extension:volume_actions:update_readonly'
FORCE_DETACH = 'volume_extension:volume_admin_actions:force_detach'
GROUP_TYPES_CREATE = 'group:group_types:create'
GROUP_TYPES_UPDATE = 'group:group_types:update'
GROUP_TYPES_DELETE = 'group:group_types:delete'
GROUP_TYPE_SPECS_ACCESS = 'group:access_group_types_specs'
GROUP_TYPE_SPECS_GET = 'group:group_types_specs:get'
GROUP_TYPE_SPECS_GET_ALL = 'group:group_types_specs:get_all'
GROUP_TYPE_SPECS_CREATE = 'group:group_types_specs:create'
GROUP_TYPE_SPECS_UPDATE = 'group:group_types_specs:update'
GROUP_TYPE_SPECS_DELETE = 'group:group_types_specs:delete'
GROUP_GET = 'group:get'
GROUP_GET_ALL = 'group:get_all'
GROUP_CREATE = 'group:create'
GROUP_CREATE_FROM_SRC = 'group:create_group_from_src'
GROUP_UPDATE = 'group:update'
GROUP_DELETE = 'group:delete'
GROUP_RESET_STATUS = 'group:reset_status'
GROUP_SNAPSHOT_CREATE = 'group:create_group_snapshot'
GROUP_SNAPSHOT_GET = 'group:get_group_snapshot'
GROUP_SNAPSHOT_GET_ALL = 'group:get_all_group_snapshots'
GROUP_SNAPSHOT_DELETE = 'group:delete_group_snapshot'
GROUP_SNAPSHOT_RESET_STATUS = 'group:reset_group_snapshot_status'


ADMIN_RULES: list[policy.RuleDefault] = [
    base.rule(SERVICES, base.ADMIN, 'List the block storage services.', 'GET',
              '/os-services'),
    base.rule(SERVICES_UPDATE, base.ADMIN, 'Enable or disable a block storage service.',
              'PUT', '/os-services/{action}'),
    base.rule(FREEZE_HOST, base.ADMIN, 'Freeze the cinder-volume service of a host.', 'PUT',
              '/os-services/freeze'),
    base.rule(THAW_HOST, base.ADMIN, 'Thaw the cinder-volume service of a host.', 'PUT',
              '/os-services/thaw'),
    base.rule(HOSTS, base.ADMIN, 'List the block storage hosts or show one\'s usage.', 'GET',
              '/os-hosts'),
    base.rule(POOLS, base.ADMIN, 'List the storage pools and their capacity.', 'GET',
              '/scheduler-stats/get_pools'),
    base.rule(CAPABILITIES, base.ADMIN, 'Show the capabilities of a storage backend.', 'GET',
              '/capabilities/{host}'),
]

TRANSFER_RULES: list[policy.RuleDefault] = [
    base.rule(TRANSFER_CREATE, base.PROJECT_MEMBER, 'Offer a volume to another project.',
              'POST', '/os-volume-transfer'),
    base.rule(TRANSFER_GET, base.PROJECT_READER, 'Show a volume transfer.', 'GET',
              '/os-volume-transfer/{transfer_id}'),
    base.rule(TRANSFER_GET_ALL, base.PROJECT_READER, 'List volume transfers.', 'GET',
              '/os-volume-transfer'),
    base.rule(TRANSFER_DELETE, base.PROJECT_MEMBER, 'Withdraw a volume transfer.', 'DELETE',
              '/os-volume-transfer/{transfer_id}'),
    base.rule(TRANSFER_ACCEPT, base.PROJECT_MEMBER,
              'Accept a volume transfer with its auth key.', 'POST',
              '/os-volume-transfer/{transfer_id}/accept'),
]

MESSAGE_RULES: list[policy.RuleDefault] = [
    base.rule(MESSAGE_GET, base.PROJECT_READER, 'Show a user message.', 'GET',
              '/messages/{message_id}'),
    base.rule(MESSAGE_GET_ALL, base.PROJECT_READER, 'List user messages.', 'GET',
              '/messages'),
    base.rule(MESSAGE_DELETE, base.PROJECT_MEMBER, 'Delete a user message.', 'DELETE',
              '/messages/{message_id}'),
    base.rule(REVERT, base.PROJECT_MEMBER, 'Revert a volume to its latest snapshot.',
              'POST', '/volumes/{volume_id}/action (revert)'),
]

ADMIN_AND_IMAGE_RULES: list[policy.RuleDefault] = [
    base.rule(RESET_STATUS, base.ADMIN, 'Set a volume\'s statuses (os-reset_status).',
              'POST', '/volumes/{volume_id}/action'),
    base.rule(FORCE_DELETE, base.ADMIN,
              'Delete a volume whatever its status (os-force_delete).', 'POST',
              '/volumes/{volume_id}/action'),
    base.rule(UPLOAD_IMAGE, base.PROJECT_MEMBER,
              'Copy a volume to a new image (os-volume_upload_image).', 'POST',
              '/volumes/{volume_id}/action'),
    base.rule(UPLOAD_PUBLIC, base.ADMIN,
              'Copy a volume to a new public image (visibility=public).', 'POST',
              '/volumes/{volume_id}/action'),
    base.rule(REIMAGE, base.PROJECT_MEMBER,
              'Write an image over a volume (os-reimage, 3.68).', 'POST',
              '/volumes/{volume_id}/action'),
    base.rule(REIMAGE_RESERVED, base.PROJECT_MEMBER,
              'Re-image a reserved volume (os-reimage with reimage_reserved).', 'POST',
              '/volumes/{volume_id}/action'),
    base.rule(IMAGE_METADATA_SHOW, base.PROJECT_READER,
              'Show a volume\'s image metadata (os-show_image_metadata).', 'POST',
              '/volumes/{volume_id}/action'),
    base.rule(IMAGE_METADATA_SET, base.PROJECT_MEMBER,
              'Set keys of a volume\'s image metadata (os-set_image_metadata).', 'POST',
              '/volumes/{volume_id}/action'),
    base.rule(IMAGE_METADATA_REMOVE, base.PROJECT_MEMBER,
              'Remove a key of a volume\'s image metadata (os-unset_image_metadata).',
              'POST', '/volumes/{volume_id}/action'),
]

SNAPSHOT_RULES: list[policy.RuleDefault] = [
    base.rule(SNAPSHOT_CREATE, base.PROJECT_MEMBER, 'Take a snapshot of a volume.', 'POST',
              '/snapshots'),
    base.rule(SNAPSHOT_GET, base.PROJECT_READER, 'Show a snapshot.', 'GET',
              '/snapshots/{snapshot_id}'),
    base.rule(SNAPSHOT_UPDATE, base.PROJECT_MEMBER, 'Rename a snapshot.', 'PUT',
              '/snapshots/{snapshot_id}'),
    base.rule(SNAPSHOT_DELETE, base.PROJECT_MEMBER, 'Delete a snapshot.', 'DELETE',
              '/snapshots/{snapshot_id}'),
    base.rule(SNAPSHOT_GET_METADATA, base.PROJECT_READER, 'Show a snapshot\'s metadata.',
              'GET', '/snapshots/{snapshot_id}/metadata'),
    base.rule(SNAPSHOT_UPDATE_METADATA, base.PROJECT_MEMBER,
              'Set or replace a snapshot\'s metadata.', 'POST',
              '/snapshots/{snapshot_id}/metadata'),
    base.rule(SNAPSHOT_DELETE_METADATA, base.PROJECT_MEMBER,
              'Remove a metadata key of a snapshot.', 'DELETE',
              '/snapshots/{snapshot_id}/metadata/{key}'),
    base.rule(SNAPSHOT_ATTRIBUTES, base.PROJECT_READER,
              'See os-extended-snapshot-attributes fields (project, progress).', 'GET',
              '/snapshots/{snapshot_id}'),
    base.rule(EXTEND, base.PROJECT_MEMBER, 'Grow a volume (os-extend).', 'POST',
              '/volumes/{volume_id}/action'),
    base.rule(SNAPSHOT_RESET_STATUS, base.ADMIN, 'Set any snapshot status (os-reset_status).',
              'POST', '/snapshots/{snapshot_id}/action'),
    base.rule(SNAPSHOT_FORCE_DELETE, base.ADMIN,
              'Delete a snapshot whatever its status (os-force_delete).', 'POST',
              '/snapshots/{snapshot_id}/action'),
    base.rule(SNAPSHOT_UPDATE_STATUS, base.PROJECT_MEMBER,
              'Report a snapshot\'s status and progress (os-update_snapshot_status).', 'POST',
              '/snapshots/{snapshot_id}/action'),
]

GROUP_RULES: list[policy.RuleDefault] = [
    base.rule(GROUP_TYPES_CREATE, base.ADMIN, 'Create a group type.', 'POST', '/group_types'),
    base.rule(GROUP_TYPES_UPDATE, base.ADMIN, 'Update a group type.', 'PUT',
              '/group_types/{group_type_id}'),
    base.rule(GROUP_TYPES_DELETE, base.ADMIN, 'Delete a group type.', 'DELETE',
              '/group_types/{group_type_id}'),
    base.rule(GROUP_TYPE_SPECS_ACCESS, base.ADMIN, 'See group_specs in group type bodies.',
              'GET', '/group_types/{group_type_id}'),
    base.rule(GROUP_TYPE_SPECS_GET, base.ADMIN, 'Show one group spec of a group type.', 'GET',
              '/group_types/{group_type_id}/group_specs/{key}'),
    base.rule(GROUP_TYPE_SPECS_GET_ALL, base.ADMIN, 'List the group specs of a group type.',
              'GET', '/group_types/{group_type_id}/group_specs'),
    base.rule(GROUP_TYPE_SPECS_CREATE, base.ADMIN, 'Set group specs of a group type.', 'POST',
              '/group_types/{group_type_id}/group_specs'),
    base.rule(GROUP_TYPE_SPECS_UPDATE, base.ADMIN, 'Update one group spec of a group type.',
              'PUT', '/group_types/{group_type_id}/group_specs/{key}'),
    base.rule(GROUP_TYPE_SPECS_DELETE, base.ADMIN, 'Delete one group spec of a group type.',
              'DELETE', '/group_types/{group_type_id}/group_specs/{key}'),
    base.rule(GROUP_GET, base.PROJECT_READER, 'Show a group.', 'GET', '/groups/{group_id}'),
    base.rule(GROUP_GET_ALL, base.PROJECT_READER, 'List groups.', 'GET', '/groups'),
    base.rule(GROUP_CREATE, base.PROJECT_MEMBER, 'Create a group.', 'POST', '/groups'),
    base.rule(GROUP_CREATE_FROM_SRC, base.PROJECT_MEMBER,
              'Create a group from a group snapshot or another group.', 'POST',
              '/groups/action (create-from-src)'),
    base.rule(GROUP_UPDATE, base.PROJECT_MEMBER, 'Rename a group or change its volumes.',
              'PUT', '/groups/{group_id}'),
    base.rule(GROUP_DELETE, base.PROJECT_MEMBER, 'Delete a group (and its volumes).', 'POST',
              '/groups/{group_id}/action (delete)'),
    base.rule(GROUP_RESET_STATUS, base.ADMIN, 'Set any group status.', 'POST',
              '/groups/{group_id}/action (reset_status)'),
    base.rule(GROUP_SNAPSHOT_CREATE, base.PROJECT_MEMBER, 'Create a group snapshot.', 'POST',
              '/group_snapshots'),
    base.rule(GROUP_SNAPSHOT_GET, base.PROJECT_READER, 'Show a group snapshot.', 'GET',
              '/group_snapshots/{group_snapshot_id}'),
    base.rule(GROUP_SNAPSHOT_GET_ALL, base.PROJECT_READER, 'List group snapshots.', 'GET',
              '/group_snapshots'),
    base.rule(GROUP_SNAPSHOT_DELETE, base.PROJECT_MEMBER, 'Delete a group snapshot.', 'DELETE',
              '/group_snapshots/{group_snapshot_id}'),
    base.rule(GROUP_SNAPSHOT_RESET_STATUS, base.ADMIN, 'Set any group snapshot status.', 'POST',
              '/group_snapshots/{group_snapshot_id}/action (reset_status)'),
]

QOS_RULES: list[policy.RuleDefault] = [
    base.rule(QOS_CREATE, base.ADMIN, 'Create QoS specs.', 'POST', '/qos-specs'),
    base.rule(QOS_GET, base.ADMIN, 'Show QoS specs or their associations.', 'GET',
              '/qos-specs/{qos_id}'),
    base.rule(QOS_GET_ALL, base.ADMIN, 'List QoS specs.', 'GET', '/qos-specs'),
    base.rule(QOS_UPDATE, base.ADMIN,
              'Set or unset QoS specs keys; (dis)associate them with volume types.', 'PUT',
              '/qos-specs/{qos_id}'),
    base.rule(QOS_DELETE, base.ADMIN, 'Delete QoS specs.', 'DELETE', '/qos-specs/{qos_id}'),
    base.rule(TYPE_QOS_ID, base.ADMIN, 'See qos_specs_id in volume type bodies.', 'GET',
              '/types/{type_id}'),
    base.rule(ENCRYPTION_CREATE, base.ADMIN, 'Give a volume type an encryption.', 'POST',
              '/types/{type_id}/encryption'),
    base.rule(ENCRYPTION_GET, base.ADMIN, 'Show the encryption of a volume type.', 'GET',
              '/types/{type_id}/encryption'),
    base.rule(ENCRYPTION_UPDATE, base.ADMIN, 'Change the encryption of a volume type.', 'PUT',
              '/types/{type_id}/encryption/{encryption_id}'),
    base.rule(ENCRYPTION_DELETE, base.ADMIN, 'Remove the encryption of a volume type.',
              'DELETE', '/types/{type_id}/encryption/{encryption_id}'),
]

QUOTA_RULES: list[policy.RuleDefault] = [
    base.rule(QUOTA_SHOW, base.PROJECT_READER,
              'Show a project\'s block storage quotas (another project\'s: admin).', 'GET',
              '/os-quota-sets/{target_project_id}'),
    base.rule(QUOTA_UPDATE, base.ADMIN, 'Set a project\'s block storage quotas.', 'PUT',
              '/os-quota-sets/{target_project_id}'),
    base.rule(QUOTA_DELETE, base.ADMIN,
              'Reset a project\'s block storage quotas to the defaults.', 'DELETE',
              '/os-quota-sets/{target_project_id}'),
    base.rule(QUOTA_CLASS_SHOW, base.ADMIN, 'Show a block storage quota class.', 'GET',
              '/os-quota-class-sets/{class_name}'),
    base.rule(QUOTA_CLASS_UPDATE, base.ADMIN, 'Set a block storage quota class.', 'PUT',
              '/os-quota-class-sets/{class_name}'),
]

_ACTION = '/volumes/{volume_id}/action'

ATTACH_ACTION_RULES: list[policy.RuleDefault] = [
    base.rule(RESERVE, base.PROJECT_MEMBER, 'Reserve a volume for attaching (os-reserve).',
              'POST', _ACTION),
    base.rule(UNRESERVE, base.PROJECT_MEMBER, 'Drop a volume\'s reservation (os-unreserve).',
              'POST', _ACTION),
    base.rule(ATTACH, base.PROJECT_MEMBER, 'Record a volume attached (os-attach).', 'POST',
              _ACTION),
    base.rule(DETACH, base.PROJECT_MEMBER, 'Detach a volume (os-detach).', 'POST', _ACTION),
    base.rule(BEGIN_DETACHING, base.PROJECT_MEMBER,
              'Mark a volume detaching (os-begin_detaching).', 'POST', _ACTION),
    base.rule(ROLL_DETACHING, base.PROJECT_MEMBER,
              'Take a volume back from detaching to in-use (os-roll_detaching).', 'POST',
              _ACTION),
    base.rule(INITIALIZE_CONNECTION, base.PROJECT_MEMBER,
              'Export a volume to a host (os-initialize_connection).', 'POST', _ACTION),
    base.rule(TERMINATE_CONNECTION, base.PROJECT_MEMBER,
              'Withdraw a volume\'s export (os-terminate_connection).', 'POST', _ACTION),
    base.rule(UPDATE_READONLY, base.PROJECT_MEMBER,
              'Set a volume\'s readonly flag (os-update_readonly_flag).', 'POST', _ACTION),
    base.rule(FORCE_DETACH, base.ADMIN, 'Detach a volume whatever its state (os-force_detach).',
              'POST', _ACTION),
]

RULES: list[policy.RuleDefault] = [
    base.rule(CREATE, base.PROJECT_MEMBER, 'Create a volume.', 'POST', '/volumes'),
    base.rule(GET, base.PROJECT_READER, 'Show a volume.', 'GET', '/volumes/{volume_id}'),
    base.rule(GET_ALL, base.PROJECT_READER, 'List volumes.', 'GET', '/volumes'),
    base.rule(UPDATE, base.PROJECT_MEMBER, 'Rename a volume or set its metadata.', 'PUT',
              '/volumes/{volume_id}'),
    base.rule(DELETE, base.PROJECT_MEMBER, 'Delete a volume.', 'DELETE', '/volumes/{volume_id}'),
    base.rule(GET_METADATA, base.PROJECT_READER, 'Show a volume\'s metadata.', 'GET',
              '/volumes/{volume_id}/metadata'),
    base.rule(UPDATE_METADATA, base.PROJECT_MEMBER, 'Set or replace a volume\'s metadata.',
              'POST', '/volumes/{volume_id}/metadata'),
    base.rule(DELETE_METADATA, base.PROJECT_MEMBER, 'Remove a metadata key of a volume.',
              'DELETE', '/volumes/{volume_id}/metadata/{key}'),
    base.rule(ALL_PROJECTS, base.ADMIN, 'List the volumes of every project (all_tenants).',
              'GET', '/volumes/detail?all_tenants=1'),
    base.rule(HOST_ATTRIBUTE, base.ADMIN, 'See os-vol-host-attr:host in volume bodies.', 'GET',
              '/volumes/{volume_id}'),
    base.rule(TYPES, base.PROJECT_READER, 'List volume types.', 'GET', '/types'),
    base.rule(RETYPE, base.PROJECT_MEMBER, 'Give a volume another type.', 'POST',
              '/volumes/{volume_id}/action (os-retype)'),
    base.rule(TYPES_MANAGE, base.ADMIN, 'Create, update or delete a volume type.', 'POST',
              '/types'),
    base.rule(TYPE_EXTRA_SPECS, base.ADMIN, 'Manage the extra specs of a volume type.',
              'POST', '/types/{type_id}/extra_specs'),
    base.rule(TYPE_ACCESS, base.ADMIN, 'List the projects given a private volume type.',
              'GET', '/types/{type_id}/os-volume-type-access'),
    base.rule(TYPE_ACCESS_MANAGE, base.ADMIN,
              'Give or take a project access to a private volume type.', 'POST',
              '/types/{type_id}/action'),
    base.rule(AVAILABILITY_ZONES, base.PROJECT_READER, 'List availability zones.', 'GET',
              '/os-availability-zone'),
    base.rule(LIMITS, base.PROJECT_READER, 'Show absolute limits and usage.', 'GET', '/limits'),
    base.rule(SNAPSHOTS, base.PROJECT_READER, 'List snapshots.', 'GET', '/snapshots'),
    base.rule(BACKUPS, base.PROJECT_READER, 'List backups.', 'GET', '/backups'),
    base.rule(ATTACHMENT_CREATE, base.PROJECT_MEMBER, 'Reserve a volume for an instance.',
              'POST', '/attachments'),
    base.rule(ATTACHMENT_UPDATE, base.PROJECT_MEMBER,
              'Connect a reserved volume to a host (returns its connection info).', 'PUT',
              '/attachments/{attachment_id}'),
    base.rule(ATTACHMENT_DELETE, base.PROJECT_MEMBER, 'Detach a volume.', 'DELETE',
              '/attachments/{attachment_id}'),
    base.rule(ATTACHMENT_GET_ALL, base.PROJECT_READER, 'List attachments.', 'GET',
              '/attachments'),
    *SNAPSHOT_RULES,
    *QOS_RULES,
    *GROUP_RULES,
    *ADMIN_AND_IMAGE_RULES,
    *ADMIN_RULES,
    *TRANSFER_RULES,
    *MESSAGE_RULES,
    *QUOTA_RULES,
    *ATTACH_ACTION_RULES,
]


def list_rules() -> list[policy.RuleDefault]:
    return list(RULES)
