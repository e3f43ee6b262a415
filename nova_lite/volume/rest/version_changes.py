"""Which block storage microversion changes what nova_lite serves: the one table.

Each constant is the first version with the change; code that behaves
differently by version compares :func:`~nova_lite.volume.rest.versions.api_version`
with one of these, never with a bare number. :data:`TABLE` describes them
(doc/source/block-storage-microversions.rst prints the same table).
"""

from __future__ import annotations

Version = tuple[int, int]

USER_MESSAGES: Version = (3, 3)
VOLUME_SUMMARY: Version = (3, 12)
VOLUME_GROUP_ID: Version = (3, 13)
VOLUME_PROVIDER_ID: Version = (3, 21)
ATTACHMENTS_API: Version = (3, 27)
GENERIC_FILTERS: Version = (3, 31)
RESOURCE_FILTERS: Version = (3, 33)
LIKE_FILTERS: Version = (3, 34)
REVERT_TO_SNAPSHOT: Version = (3, 40)
SNAPSHOT_USER_ID: Version = (3, 41)
ATTACHMENT_COMPLETE: Version = (3, 44)
VOLUME_SHARED_TARGETS: Version = (3, 48)
VOLUME_TRANSFERS_API: Version = (3, 55)
TRANSFER_PROJECTS: Version = (3, 57)
TRANSFER_LIST_PAGING: Version = (3, 59)
VOLUME_CLUSTER_NAME: Version = (3, 61)
VOLUME_TYPE_ID: Version = (3, 63)
VOLUME_ENCRYPTION_KEY_ID: Version = (3, 64)
CONSUMES_QUOTA: Version = (3, 65)
SNAPSHOT_IN_USE: Version = (3, 66)
PROJECT_ID_OPTIONAL: Version = (3, 67)
VOLUME_REIMAGE: Version = (3, 68)

TABLE: tuple[tuple[Version, str, str], ...] = (
    (USER_MESSAGES, 'USER_MESSAGES',
     '/messages lists, shows and deletes user messages (one is recorded when a volume '
     'create ends in error)'),
    (VOLUME_SUMMARY, 'VOLUME_SUMMARY',
     'GET /volumes/summary answers total_count, total_size and the metadata in use'),
    (VOLUME_GROUP_ID, 'VOLUME_GROUP_ID', 'volume bodies carry "group_id"'),
    (VOLUME_PROVIDER_ID, 'VOLUME_PROVIDER_ID', 'admins see "provider_id" in volume bodies'),
    (ATTACHMENTS_API, 'ATTACHMENTS_API',
     '/attachments (create, list, show, update, delete) exists; below it is 404'),
    (GENERIC_FILTERS, 'GENERIC_FILTERS',
     'the volume lists and summary also filter by availability_zone, bootable, '
     'volume_type, size and metadata (a dict)'),
    (RESOURCE_FILTERS, 'RESOURCE_FILTERS',
     'GET /resource_filters names the filters of each list'),
    (LIKE_FILTERS, 'LIKE_FILTERS',
     'the volume lists filter by substring with name~, description~ and status~'),
    (REVERT_TO_SNAPSHOT, 'REVERT_TO_SNAPSHOT',
     'POST /volumes/{id}/action with "revert" puts an available volume back to its latest '
     'snapshot (below: a 400, an unsupported action)'),
    (SNAPSHOT_USER_ID, 'SNAPSHOT_USER_ID', 'snapshot bodies carry "user_id"'),
    (ATTACHMENT_COMPLETE, 'ATTACHMENT_COMPLETE',
     'POST /attachments/{id}/action with "os-complete" confirms a connected attachment '
     '(204; a reserved one is a 400)'),
    (VOLUME_SHARED_TARGETS, 'VOLUME_SHARED_TARGETS',
     'volume bodies carry "shared_targets" and "service_uuid"'),
    (VOLUME_TRANSFERS_API, 'VOLUME_TRANSFERS_API',
     '/volume-transfers serves transfers (as /os-volume-transfer) and its create takes '
     '"no_snapshots"'),
    (TRANSFER_PROJECTS, 'TRANSFER_PROJECTS',
     'transfer bodies carry "source_project_id", "destination_project_id" and "accepted"'),
    (TRANSFER_LIST_PAGING, 'TRANSFER_LIST_PAGING',
     'the transfer lists sort (sort, sort_key, sort_dir) and page (limit, marker)'),
    (VOLUME_CLUSTER_NAME, 'VOLUME_CLUSTER_NAME', 'admins see "cluster_name" in volume bodies'),
    (VOLUME_TYPE_ID, 'VOLUME_TYPE_ID', 'volume bodies carry "volume_type_id"'),
    (VOLUME_ENCRYPTION_KEY_ID, 'VOLUME_ENCRYPTION_KEY_ID',
     'volume bodies carry "encryption_key_id"'),
    (CONSUMES_QUOTA, 'CONSUMES_QUOTA', 'volume and snapshot bodies carry "consumes_quota"'),
    (SNAPSHOT_IN_USE, 'SNAPSHOT_IN_USE',
     'a snapshot of an in-use volume needs no "force" (a false "force" is a 400)'),
    (PROJECT_ID_OPTIONAL, 'PROJECT_ID_OPTIONAL',
     'every /v3/{project_id}/... route also answers as /v3/... (the token\'s project); '
     'below it that is 404'),
    (VOLUME_REIMAGE, 'VOLUME_REIMAGE',
     'POST /volumes/{id}/action with "os-reimage" writes an image over a volume (below: a '
     '400, an unsupported action)'),
)
