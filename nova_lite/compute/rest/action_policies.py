"""Policy rules of the server actions added with the action flows and of os-instance-actions."""

from __future__ import annotations

from oslo_policy import policy

from nova_lite.api import policy as base

PAUSE = 'os_compute_api:os-pause-server:pause'
UNPAUSE = 'os_compute_api:os-pause-server:unpause'
SUSPEND = 'os_compute_api:os-suspend-server:suspend'
RESUME = 'os_compute_api:os-suspend-server:resume'
LOCK = 'os_compute_api:os-lock-server:lock'
UNLOCK = 'os_compute_api:os-lock-server:unlock'
RESET_STATE = 'os_compute_api:os-admin-actions:reset_state'
CREATE_IMAGE = 'os_compute_api:servers:create_image'
CREATE_BACKUP = 'os_compute_api:os-create-backup'
ATTACH_VOLUME = 'os_compute_api:os-volumes-attachments:create'
DETACH_VOLUME = 'os_compute_api:os-volumes-attachments:delete'
SWAP_VOLUME = 'os_compute_api:os-volumes-attachments:swap'
FORCE_DELETE = 'os_compute_api:os-deferred-delete:force'
RESTORE = 'os_compute_api:os-deferred-delete:restore'
INJECT_NETWORK_INFO = 'os_compute_api:os-admin-actions:inject_network_info'
MIGRATE = 'os_compute_api:os-migrate-server:migrate'
MIGRATE_LIVE = 'os_compute_api:os-migrate-server:migrate_live'
SHELVE = 'os_compute_api:os-shelve:shelve'
SHELVE_OFFLOAD = 'os_compute_api:os-shelve:shelve_offload'
UNSHELVE = 'os_compute_api:os-shelve:unshelve'
UNSHELVE_TO_HOST = 'os_compute_api:os-shelve:unshelve_to_host'
RESIZE = 'os_compute_api:servers:resize'
CONFIRM_RESIZE = 'os_compute_api:servers:confirm_resize'
REVERT_RESIZE = 'os_compute_api:servers:revert_resize'
REBUILD = 'os_compute_api:servers:rebuild'
MIGRATIONS_INDEX = 'os_compute_api:os-migrations:index'
SERVER_MIGRATIONS_INDEX = 'os_compute_api:servers:migrations:index'
INSTANCE_ACTIONS_LIST = 'os_compute_api:os-instance-actions:list'
INSTANCE_ACTIONS_SHOW = 'os_compute_api:os-instance-actions:show'
INSTANCE_ACTIONS_EVENTS = 'os_compute_api:os-instance-actions:events'
INSTANCE_ACTIONS_EVENTS_DETAILS = 'os_compute_api:os-instance-actions:events:details'

_ACTION_PATH = '/servers/{server_id}/action'


def list_rules() -> list[policy.RuleDefault]:
    return [
        base.rule(PAUSE, base.PROJECT_MEMBER, 'Pause a server.', 'POST', _ACTION_PATH),
        base.rule(UNPAUSE, base.PROJECT_MEMBER, 'Unpause a server.', 'POST', _ACTION_PATH),
        base.rule(SUSPEND, base.PROJECT_MEMBER, 'Suspend a server.', 'POST', _ACTION_PATH),
        base.rule(RESUME, base.PROJECT_MEMBER, 'Resume a server.', 'POST', _ACTION_PATH),
        base.rule(LOCK, base.PROJECT_MEMBER, 'Lock a server.', 'POST', _ACTION_PATH),
        base.rule(UNLOCK, base.PROJECT_MEMBER, 'Unlock a server.', 'POST', _ACTION_PATH),
        base.rule(CREATE_IMAGE, base.PROJECT_MEMBER, 'Snapshot a server (createImage).',
                  'POST', _ACTION_PATH),
        base.rule(CREATE_BACKUP, base.PROJECT_MEMBER, 'Back a server up (createBackup).',
                  'POST', _ACTION_PATH),
        base.rule(ATTACH_VOLUME, base.PROJECT_MEMBER, 'Attach a volume to a server.',
                  'POST', '/servers/{server_id}/os-volume_attachments'),
        base.rule(DETACH_VOLUME, base.PROJECT_MEMBER, 'Detach a volume from a server.',
                  'DELETE', '/servers/{server_id}/os-volume_attachments/{volume_id}'),
        base.rule(SWAP_VOLUME, base.ADMIN, "Swap a server's attached volume for another.",
                  'PUT', '/servers/{server_id}/os-volume_attachments/{volume_id}'),
        base.rule(SHELVE, base.PROJECT_MEMBER, 'Shelve a server.', 'POST', _ACTION_PATH),
        base.rule(SHELVE_OFFLOAD, base.ADMIN, 'Offload a shelved server.', 'POST',
                  _ACTION_PATH),
        base.rule(UNSHELVE, base.PROJECT_MEMBER, 'Unshelve a server.', 'POST', _ACTION_PATH),
        base.rule(UNSHELVE_TO_HOST, base.ADMIN,
                  'Unshelve an offloaded server to a named host (2.91).', 'POST',
                  _ACTION_PATH),
        base.rule(RESET_STATE, base.ADMIN, "Reset a server's state (os-resetState).", 'POST',
                  _ACTION_PATH),
        base.rule(FORCE_DELETE, base.PROJECT_MEMBER, 'Delete a server at once (forceDelete).',
                  'POST', _ACTION_PATH),
        base.rule(RESTORE, base.PROJECT_MEMBER, 'Restore a soft-deleted server.', 'POST',
                  _ACTION_PATH),
        base.rule(INJECT_NETWORK_INFO, base.ADMIN,
                  "Refresh a server's network configuration on its host.", 'POST',
                  _ACTION_PATH),
        base.rule(MIGRATE, base.ADMIN, 'Move a server to another host (cold).', 'POST',
                  _ACTION_PATH),
        base.rule(MIGRATE_LIVE, base.ADMIN, 'Move a running server to another host.',
                  'POST', _ACTION_PATH),
        base.rule(RESIZE, base.PROJECT_MEMBER, 'Resize a server.', 'POST', _ACTION_PATH),
        base.rule(CONFIRM_RESIZE, base.PROJECT_MEMBER, 'Confirm the resize of a server.',
                  'POST', _ACTION_PATH),
        base.rule(REVERT_RESIZE, base.PROJECT_MEMBER, 'Revert the resize of a server.',
                  'POST', _ACTION_PATH),
        base.rule(REBUILD, base.PROJECT_MEMBER, 'Rebuild a server.', 'POST', _ACTION_PATH),
        base.rule(MIGRATIONS_INDEX, base.ADMIN, 'List migrations.', 'GET', '/os-migrations'),
        base.rule(SERVER_MIGRATIONS_INDEX, base.ADMIN, "List a server's migrations.", 'GET',
                  '/servers/{server_id}/migrations'),
        base.rule(INSTANCE_ACTIONS_LIST, base.PROJECT_READER, "List a server's actions.",
                  'GET', '/servers/{server_id}/os-instance-actions'),
        base.rule(INSTANCE_ACTIONS_SHOW, base.PROJECT_READER, 'Show a server action.', 'GET',
                  '/servers/{server_id}/os-instance-actions/{request_id}'),
        base.rule(INSTANCE_ACTIONS_EVENTS, base.ADMIN,
                  "See the events' tracebacks of a server action.", 'GET',
                  '/servers/{server_id}/os-instance-actions/{request_id}'),
        base.rule(INSTANCE_ACTIONS_EVENTS_DETAILS, base.ADMIN,
                  "See the events' details of a server action (2.84).", 'GET',
                  '/servers/{server_id}/os-instance-actions/{request_id}'),
    ]
