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
    *ATTACH_ACTION_RULES,
]


def list_rules() -> list[policy.RuleDefault]:
    return list(RULES)
