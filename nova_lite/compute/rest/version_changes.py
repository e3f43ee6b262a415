"""Which compute microversion changes what nova_lite serves: the one table.

Each constant is the first version with the change; code that behaves
differently by version compares :func:`~nova_lite.compute.rest.api_version.api_version`
with one of these, never with a bare number. :data:`TABLE` describes them
(doc/source/compute-microversions.rst prints the same table).
"""

from __future__ import annotations

from nova_lite.compute.rest.api_version import Version

KEYPAIR_TYPE: Version = (2, 2)
SERVER_EXTENDED_ATTRIBUTES: Version = (2, 3)
SERVER_LOCKED: Version = (2, 9)
KEYPAIR_USER_ID: Version = (2, 10)
SERVER_DESCRIPTION: Version = (2, 19)
ACTIONS_OF_DELETED: Version = (2, 21)
ACTION_EVENTS_FOR_ALL: Version = (2, 51)
ACTIONS_PAGING: Version = (2, 58)
ACTION_EVENT_HOST: Version = (2, 62)
ACTION_EVENT_DETAILS: Version = (2, 84)
SERVER_TAGS: Version = (2, 26)
KEYPAIR_PAGING: Version = (2, 35)
LIMITS_NO_PROXY_QUOTAS: Version = (2, 36)
SERVER_FLAVOR_EMBEDDED: Version = (2, 47)
SERVER_CREATE_TAGS: Version = (2, 52)
FLAVOR_DESCRIPTION: Version = (2, 55)
LIMITS_NO_PERSONALITY: Version = (2, 57)
FLAVOR_EXTRA_SPECS: Version = (2, 61)
SERVER_TRUSTED_CERTS: Version = (2, 63)
SERVER_GROUPS_IN_SHOW: Version = (2, 71)
SERVER_LOCKED_REASON: Version = (2, 73)
FLAVOR_SWAP_ZERO: Version = (2, 75)
HYPERVISOR_NO_USAGE: Version = (2, 88)
KEYPAIR_NO_GENERATION: Version = (2, 92)
SERVER_PINNED_AZ: Version = (2, 96)
SERVER_IMAGE_PROPERTIES: Version = (2, 98)
SERVER_SCHEDULER_HINTS: Version = (2, 100)
SERVER_CREATE_IMAGE_BODY: Version = (2, 45)
VOLUME_ATTACH_TAG: Version = (2, 49)
VOLUME_ATTACH_TAG_SHOWN: Version = (2, 70)
ATTACH_DELETE_ON_TERM: Version = (2, 79)

TABLE: tuple[tuple[Version, str, str], ...] = (
    (KEYPAIR_TYPE, 'KEYPAIR_TYPE',
     'keypairs carry "type" (ssh or x509); create answers 201 and delete 204'),
    (SERVER_EXTENDED_ATTRIBUTES, 'SERVER_EXTENDED_ATTRIBUTES',
     'admins also see OS-EXT-SRV-ATTR reservation_id, launch_index, hostname, kernel_id, '
     'ramdisk_id, root_device_name and user_data'),
    (SERVER_LOCKED, 'SERVER_LOCKED', 'server bodies carry "locked" (set by the lock action)'),
    (KEYPAIR_USER_ID, 'KEYPAIR_USER_ID',
     "an admin lists, creates, shows and deletes another user's keypairs with user_id"),
    (SERVER_DESCRIPTION, 'SERVER_DESCRIPTION',
     'POST /servers takes "description"; server bodies carry it (null when unset)'),
    (ACTIONS_OF_DELETED, 'ACTIONS_OF_DELETED',
     "os-instance-actions also lists a deleted server's actions"),
    (SERVER_TAGS, 'SERVER_TAGS', 'server bodies carry "tags"'),
    (KEYPAIR_PAGING, 'KEYPAIR_PAGING',
     'the keypair list pages with limit and marker (a keypair name)'),
    (LIMITS_NO_PROXY_QUOTAS, 'LIMITS_NO_PROXY_QUOTAS',
     '/limits drops the security group and floating IP entries'),
    (SERVER_CREATE_IMAGE_BODY, 'SERVER_CREATE_IMAGE_BODY',
     'createImage answers {"image_id": ...} and no Location header'),
    (SERVER_FLAVOR_EMBEDDED, 'SERVER_FLAVOR_EMBEDDED',
     'server bodies embed the flavor (original_name, sizes) instead of its id and link'),
    (VOLUME_ATTACH_TAG, 'VOLUME_ATTACH_TAG', 'POST os-volume_attachments takes "tag"'),
    (ACTION_EVENTS_FOR_ALL, 'ACTION_EVENTS_FOR_ALL',
     'an instance action shows its events to every reader (tracebacks to admins only)'),
    (SERVER_CREATE_TAGS, 'SERVER_CREATE_TAGS', 'POST /servers takes "tags"'),
    (FLAVOR_DESCRIPTION, 'FLAVOR_DESCRIPTION',
     'flavor bodies carry "description"; POST /flavors takes it; PUT /flavors/{id} sets it'),
    (LIMITS_NO_PERSONALITY, 'LIMITS_NO_PERSONALITY',
     '/limits drops maxPersonality and maxPersonalitySize'),
    (ACTIONS_PAGING, 'ACTIONS_PAGING',
     'os-instance-actions takes limit, marker, changes-since; actions carry updated_at'),
    (FLAVOR_EXTRA_SPECS, 'FLAVOR_EXTRA_SPECS', 'flavor detail bodies carry "extra_specs"'),
    (ACTION_EVENT_HOST, 'ACTION_EVENT_HOST',
     "an action's events carry hostId (and host for admins)"),
    (SERVER_TRUSTED_CERTS, 'SERVER_TRUSTED_CERTS',
     'server bodies carry "trusted_image_certificates" (null)'),
    (VOLUME_ATTACH_TAG_SHOWN, 'VOLUME_ATTACH_TAG_SHOWN',
     'POST os-volume_attachments answers "tag"'),
    (SERVER_GROUPS_IN_SHOW, 'SERVER_GROUPS_IN_SHOW',
     'GET /servers/{id} carries "server_groups" ([]: no server groups yet)'),
    (SERVER_LOCKED_REASON, 'SERVER_LOCKED_REASON',
     'server bodies carry "locked_reason"; lock takes it'),
    (FLAVOR_SWAP_ZERO, 'FLAVOR_SWAP_ZERO', 'flavor bodies print no swap as 0, not ""'),
    (ATTACH_DELETE_ON_TERM, 'ATTACH_DELETE_ON_TERM',
     'POST os-volume_attachments takes and answers "delete_on_termination"'),
    (ACTION_EVENT_DETAILS, 'ACTION_EVENT_DETAILS',
     "an action's events carry details (admins)"),
    (HYPERVISOR_NO_USAGE, 'HYPERVISOR_NO_USAGE',
     'hypervisor details drop the usage fields (vcpus, memory_mb, local_gb, ...)'),
    (KEYPAIR_NO_GENERATION, 'KEYPAIR_NO_GENERATION',
     "POST /os-keypairs needs public_key (no generated keys); names may hold '@'"),
    (SERVER_PINNED_AZ, 'SERVER_PINNED_AZ',
     'server bodies carry "pinned_availability_zone" (the zone asked for at boot, or null)'),
    (SERVER_IMAGE_PROPERTIES, 'SERVER_IMAGE_PROPERTIES',
     'the image of a server body carries the image "properties" it was booted with'),
    (SERVER_SCHEDULER_HINTS, 'SERVER_SCHEDULER_HINTS',
     'server bodies carry the "scheduler_hints" given at boot'),
)
