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
SERVER_LIST_IP6_FOR_USERS: Version = (2, 5)
SERVER_LOCKED: Version = (2, 9)
KEYPAIR_USER_ID: Version = (2, 10)
SERVICE_FORCED_DOWN: Version = (2, 11)
SERVER_GROUP_OWNER: Version = (2, 13)
SERVER_GROUP_SOFT_POLICIES: Version = (2, 15)
SERVER_DESCRIPTION: Version = (2, 19)
ACTIONS_OF_DELETED: Version = (2, 21)
MIGRATION_TYPE: Version = (2, 23)
SERVER_TAGS: Version = (2, 26)
SERVER_LIST_TAG_FILTERS: Version = (2, 26)
HYPERVISOR_CPU_INFO_OBJECT: Version = (2, 28)
HYPERVISOR_PAGING: Version = (2, 33)
KEYPAIR_PAGING: Version = (2, 35)
PROXY_APIS_REMOVED: Version = (2, 36)
SERVER_LIST_INVALID_STATUS: Version = (2, 38)
LIMITS_NO_IMAGE_META: Version = (2, 39)
IMAGE_META_PROXY_REMOVED: Version = (2, 39)
TENANT_USAGE_PAGING: Version = (2, 40)
AGGREGATE_UUID: Version = (2, 41)
BDM_TAG: Version = (2, 42)
HOSTS_REMOVED: Version = (2, 43)
FLOATING_IP_ACTIONS_GONE: Version = (2, 44)
SERVER_CREATE_IMAGE_BODY: Version = (2, 45)
SERVER_FLAVOR_EMBEDDED: Version = (2, 47)
DIAGNOSTICS_STANDARD: Version = (2, 48)
VOLUME_ATTACH_TAG: Version = (2, 49)
INTERFACE_ATTACH_TAG: Version = (2, 49)
QUOTA_CLASS_SERVER_GROUPS: Version = (2, 50)
ACTION_EVENTS_FOR_ALL: Version = (2, 51)
SERVER_CREATE_TAGS: Version = (2, 52)
SERVICE_UUIDS: Version = (2, 53)
REBUILD_KEY_NAME: Version = (2, 54)
FLAVOR_DESCRIPTION: Version = (2, 55)
LIMITS_NO_PERSONALITY: Version = (2, 57)
REBUILD_USER_DATA: Version = (2, 57)
ACTIONS_PAGING: Version = (2, 58)
MIGRATION_UUID: Version = (2, 59)
FLAVOR_EXTRA_SPECS: Version = (2, 61)
ACTION_EVENT_HOST: Version = (2, 62)
SERVER_TRUSTED_CERTS: Version = (2, 63)
SERVER_GROUP_POLICY_RULES: Version = (2, 64)
SERVER_LIST_CHANGES_BEFORE: Version = (2, 66)
BDM_VOLUME_TYPE: Version = (2, 67)
VOLUME_ATTACH_TAG_SHOWN: Version = (2, 70)
INTERFACE_TAG_SHOWN: Version = (2, 70)
SERVER_GROUPS_IN_SHOW: Version = (2, 71)
SERVER_LOCKED_REASON: Version = (2, 73)
SERVER_LIST_LOCKED_FILTER: Version = (2, 73)
FLAVOR_SWAP_ZERO: Version = (2, 75)
SERVICES_STRICT_QUERY: Version = (2, 75)
SERVER_UPDATE_FULL_BODY: Version = (2, 75)
REBUILD_FULL_BODY: Version = (2, 75)
SERVER_LIST_STRICT_QUERY: Version = (2, 75)
EVENT_POWER_UPDATE: Version = (2, 76)
UNSHELVE_AVAILABILITY_ZONE: Version = (2, 77)
ATTACH_DELETE_ON_TERM: Version = (2, 79)
MIGRATION_USER_PROJECT: Version = (2, 80)
EVENT_ACCELERATOR_BOUND: Version = (2, 82)
SERVER_LIST_USER_FILTERS: Version = (2, 83)
ACTION_EVENT_DETAILS: Version = (2, 84)
FLAVOR_SPECS_VALIDATED: Version = (2, 86)
HYPERVISOR_NO_USAGE: Version = (2, 88)
SERVER_HOSTNAME: Version = (2, 90)
UNSHELVE_HOST: Version = (2, 91)
KEYPAIR_NO_GENERATION: Version = (2, 92)
EVENT_VOLUME_REIMAGED: Version = (2, 93)
SERVER_HOSTNAME_FQDN: Version = (2, 94)
SERVER_PINNED_AZ: Version = (2, 96)
SERVER_IMAGE_PROPERTIES: Version = (2, 98)
SERVER_SCHEDULER_HINTS: Version = (2, 100)
VOLUME_ATTACH_ASYNC: Version = (2, 101)
FLAVOR_NAME_FILTER: Version = (2, 102)
FLAVOR_NO_RXTX_DISABLED: Version = (2, 102)
STRICT_QUERY_EVERYWHERE: Version = (2, 102)
VOLUMES_BOOT_REMOVED: Version = (2, 103)
SERVER_PINNED_AZ_UPDATE: Version = (2, 104)

TABLE: tuple[tuple[Version, str, str], ...] = (
    (KEYPAIR_TYPE, 'KEYPAIR_TYPE',
     'keypairs carry "type" (ssh or x509); create answers 201 and delete 204'),
    (SERVER_EXTENDED_ATTRIBUTES, 'SERVER_EXTENDED_ATTRIBUTES',
     'admins also see OS-EXT-SRV-ATTR reservation_id, launch_index, hostname, kernel_id, '
     'ramdisk_id, root_device_name and user_data'),
    (SERVER_LIST_IP6_FOR_USERS, 'SERVER_LIST_IP6_FOR_USERS',
     'non-admins may filter the server list by ip6'),
    (SERVER_LOCKED, 'SERVER_LOCKED', 'server bodies carry "locked" (set by the lock action)'),
    (KEYPAIR_USER_ID, 'KEYPAIR_USER_ID',
     "an admin lists, creates, shows and deletes another user's keypairs with user_id"),
    (SERVICE_FORCED_DOWN, 'SERVICE_FORCED_DOWN',
     'services carry "forced_down"; PUT /os-services/force-down sets it'),
    (SERVER_GROUP_OWNER, 'SERVER_GROUP_OWNER',
     'server group bodies carry "project_id" and "user_id"'),
    (SERVER_GROUP_SOFT_POLICIES, 'SERVER_GROUP_SOFT_POLICIES',
     'POST /os-server-groups allows the soft-affinity and soft-anti-affinity policies'),
    (SERVER_DESCRIPTION, 'SERVER_DESCRIPTION',
     'POST /servers takes "description"; server bodies carry it (null when unset)'),
    (ACTIONS_OF_DELETED, 'ACTIONS_OF_DELETED',
     "os-instance-actions also lists a deleted server's actions"),
    (MIGRATION_TYPE, 'MIGRATION_TYPE',
     'os-migrations entries carry "migration_type" (resize) and take a migration_type '
     'filter'),
    (SERVER_TAGS, 'SERVER_TAGS', 'server bodies carry "tags"; /servers/{id}/tags serves them'),
    (SERVER_LIST_TAG_FILTERS, 'SERVER_LIST_TAG_FILTERS',
     'the server list filters by tags, tags-any, not-tags and not-tags-any'),
    (HYPERVISOR_CPU_INFO_OBJECT, 'HYPERVISOR_CPU_INFO_OBJECT',
     'a hypervisor\'s "cpu_info" is an object, not a JSON string'),
    (HYPERVISOR_PAGING, 'HYPERVISOR_PAGING',
     'the hypervisor lists page with limit and marker (a hypervisor id)'),
    (KEYPAIR_PAGING, 'KEYPAIR_PAGING',
     'the keypair list pages with limit and marker (a keypair name)'),
    (PROXY_APIS_REMOVED, 'PROXY_APIS_REMOVED',
     'proxies gone: /images, /os-volumes, /os-snapshots, /os-networks, '
     '/os-security-groups, /os-security-group-rules and /servers/{id}/os-security-groups '
     'are 404; /limits '
     'drops security group and floating IP entries; quota sets drop (and refuse) '
     'fixed_ips, floating_ips, security_groups and security_group_rules'),
    (SERVER_LIST_INVALID_STATUS, 'SERVER_LIST_INVALID_STATUS',
     'an unknown status filter on the server list is a 400 (below: an empty list)'),
    (IMAGE_META_PROXY_REMOVED, 'IMAGE_META_PROXY_REMOVED',
     '/images/{id}/metadata answers 404: use the image service'),
    (LIMITS_NO_IMAGE_META, 'LIMITS_NO_IMAGE_META', '/limits drops maxImageMeta'),
    (TENANT_USAGE_PAGING, 'TENANT_USAGE_PAGING',
     'os-simple-tenant-usage pages its servers with limit and marker (an instance id)'),
    (AGGREGATE_UUID, 'AGGREGATE_UUID', 'aggregate bodies carry "uuid"'),
    (BDM_TAG, 'BDM_TAG', 'POST /servers takes a "tag" in each block_device_mapping_v2 entry'),
    (HOSTS_REMOVED, 'HOSTS_REMOVED', '/os-hosts answers 404'),
    (FLOATING_IP_ACTIONS_GONE, 'FLOATING_IP_ACTIONS_GONE',
     'the server actions addFloatingIp and removeFloatingIp answer 404'),
    (SERVER_CREATE_IMAGE_BODY, 'SERVER_CREATE_IMAGE_BODY',
     'createImage answers {"image_id": ...} and no Location header'),
    (SERVER_FLAVOR_EMBEDDED, 'SERVER_FLAVOR_EMBEDDED',
     'server bodies embed the flavor (original_name, sizes) instead of its id and link'),
    (DIAGNOSTICS_STANDARD, 'DIAGNOSTICS_STANDARD',
     '/servers/{id}/diagnostics answers the standard shape (state, driver, cpu_details, ...)'),
    (VOLUME_ATTACH_TAG, 'VOLUME_ATTACH_TAG', 'POST os-volume_attachments takes "tag"'),
    (INTERFACE_ATTACH_TAG, 'INTERFACE_ATTACH_TAG', 'POST os-interface takes "tag"'),
    (QUOTA_CLASS_SERVER_GROUPS, 'QUOTA_CLASS_SERVER_GROUPS',
     'quota class sets show server_groups and server_group_members and drop the '
     'nova-network resources'),
    (ACTION_EVENTS_FOR_ALL, 'ACTION_EVENTS_FOR_ALL',
     'an instance action shows its events to every reader (tracebacks to admins only)'),
    (SERVER_CREATE_TAGS, 'SERVER_CREATE_TAGS', 'POST /servers takes "tags"'),
    (SERVICE_UUIDS, 'SERVICE_UUIDS',
     'uuid ids for services and hypervisors; PUT /os-services/{id}; hypervisor_hostname_pattern '
     'and with_servers replace /search and /servers'),
    (REBUILD_KEY_NAME, 'REBUILD_KEY_NAME',
     'rebuild takes "key_name" (null removes the key pair) and answers it'),
    (FLAVOR_DESCRIPTION, 'FLAVOR_DESCRIPTION',
     'flavor bodies carry "description"; POST /flavors takes it; PUT /flavors/{id} sets it'),
    (LIMITS_NO_PERSONALITY, 'LIMITS_NO_PERSONALITY',
     '/limits drops maxPersonality and maxPersonalitySize; quota sets and quota class '
     'sets drop (and refuse) the injected file resources'),
    (REBUILD_USER_DATA, 'REBUILD_USER_DATA',
     'rebuild takes "user_data" and answers it'),
    (ACTIONS_PAGING, 'ACTIONS_PAGING',
     'os-instance-actions takes limit, marker, changes-since; actions carry updated_at'),
    (MIGRATION_UUID, 'MIGRATION_UUID', 'os-migrations entries carry "uuid"'),
    (FLAVOR_EXTRA_SPECS, 'FLAVOR_EXTRA_SPECS', 'flavor detail bodies carry "extra_specs"'),
    (ACTION_EVENT_HOST, 'ACTION_EVENT_HOST',
     "an action's events carry hostId (and host for admins)"),
    (SERVER_TRUSTED_CERTS, 'SERVER_TRUSTED_CERTS',
     'server bodies carry "trusted_image_certificates" (null)'),
    (SERVER_GROUP_POLICY_RULES, 'SERVER_GROUP_POLICY_RULES',
     'server groups take and show "policy" and "rules" (max_server_per_host), not '
     '"policies" and "metadata"'),
    (SERVER_LIST_CHANGES_BEFORE, 'SERVER_LIST_CHANGES_BEFORE',
     'the server list filters by changes-before'),
    (BDM_VOLUME_TYPE, 'BDM_VOLUME_TYPE',
     'POST /servers takes a "volume_type" in each block_device_mapping_v2 entry'),
    (VOLUME_ATTACH_TAG_SHOWN, 'VOLUME_ATTACH_TAG_SHOWN',
     'POST os-volume_attachments answers "tag"'),
    (INTERFACE_TAG_SHOWN, 'INTERFACE_TAG_SHOWN',
     'os-interface attachments carry "tag" (null when none)'),
    (SERVER_GROUPS_IN_SHOW, 'SERVER_GROUPS_IN_SHOW',
     'GET /servers/{id} carries "server_groups" (the id of its group, or [])'),
    (SERVER_LOCKED_REASON, 'SERVER_LOCKED_REASON',
     'server bodies carry "locked_reason"; lock takes it'),
    (SERVER_LIST_LOCKED_FILTER, 'SERVER_LIST_LOCKED_FILTER',
     'the server list filters by locked and sorts by it'),
    (FLAVOR_SWAP_ZERO, 'FLAVOR_SWAP_ZERO', 'flavor bodies print no swap as 0, not ""'),
    (SERVICES_STRICT_QUERY, 'SERVICES_STRICT_QUERY',
     'GET /os-services refuses query parameters other than host and binary (400)'),
    (SERVER_UPDATE_FULL_BODY, 'SERVER_UPDATE_FULL_BODY',
     'PUT /servers/{id} answers the whole server, as GET does (below: no OS-EXT attributes, '
     'OS-SRV-USG, key_name, security_groups, volumes or config_drive; plain addresses)'),
    (REBUILD_FULL_BODY, 'REBUILD_FULL_BODY',
     'rebuild answers the whole server, as GET does (below: the shape PUT answers)'),
    (SERVER_LIST_STRICT_QUERY, 'SERVER_LIST_STRICT_QUERY',
     'an unknown query parameter of the server list is a 400 (below: ignored)'),
    (EVENT_POWER_UPDATE, 'EVENT_POWER_UPDATE',
     'os-server-external-events takes power-update (tag POWER_ON or POWER_OFF)'),
    (UNSHELVE_AVAILABILITY_ZONE, 'UNSHELVE_AVAILABILITY_ZONE',
     'unshelve takes {"availability_zone": ...} for an offloaded server'),
    (ATTACH_DELETE_ON_TERM, 'ATTACH_DELETE_ON_TERM',
     'POST os-volume_attachments takes and answers "delete_on_termination"'),
    (MIGRATION_USER_PROJECT, 'MIGRATION_USER_PROJECT',
     'os-migrations entries carry "user_id" and "project_id" and take them as filters'),
    (EVENT_ACCELERATOR_BOUND, 'EVENT_ACCELERATOR_BOUND',
     'os-server-external-events takes accelerator-request-bound'),
    (SERVER_LIST_USER_FILTERS, 'SERVER_LIST_USER_FILTERS',
     'non-admins may filter the server list by availability_zone, key_name, user_id, '
     'vm_state, task_state and power_state'),
    (ACTION_EVENT_DETAILS, 'ACTION_EVENT_DETAILS',
     "an action's events carry details (admins)"),
    (FLAVOR_SPECS_VALIDATED, 'FLAVOR_SPECS_VALIDATED',
     'flavor extra specs of known namespaces (hw, hw_rng, quota, resources, trait...) are '
     'validated'),
    (HYPERVISOR_NO_USAGE, 'HYPERVISOR_NO_USAGE',
     'hypervisor details drop the usage fields (vcpus, memory_mb, local_gb, ...) and show '
     '"uptime"; no /statistics or /{id}/uptime'),
    (SERVER_HOSTNAME, 'SERVER_HOSTNAME',
     'POST and PUT /servers take "hostname" (2-63 characters); every caller sees '
     'OS-EXT-SRV-ATTR:hostname'),
    (UNSHELVE_HOST, 'UNSHELVE_HOST',
     'unshelve takes "host" (admins) and a null availability_zone (unpinned)'),
    (KEYPAIR_NO_GENERATION, 'KEYPAIR_NO_GENERATION',
     "POST /os-keypairs needs public_key (no generated keys); names may hold '@'"),
    (EVENT_VOLUME_REIMAGED, 'EVENT_VOLUME_REIMAGED',
     'os-server-external-events takes volume-reimaged'),
    (SERVER_HOSTNAME_FQDN, 'SERVER_HOSTNAME_FQDN',
     '"hostname" may be a fully qualified name of up to 255 characters'),
    (SERVER_PINNED_AZ, 'SERVER_PINNED_AZ',
     'server bodies carry "pinned_availability_zone" (the zone asked for at boot, or null)'),
    (SERVER_IMAGE_PROPERTIES, 'SERVER_IMAGE_PROPERTIES',
     'the image of a server body carries the image "properties" it was booted with'),
    (SERVER_SCHEDULER_HINTS, 'SERVER_SCHEDULER_HINTS',
     'server bodies carry the "scheduler_hints" given at boot'),
    (VOLUME_ATTACH_ASYNC, 'VOLUME_ATTACH_ASYNC',
     'POST os-volume_attachments answers 202 with no body (watch the volume and the '
     'instance actions)'),
    (FLAVOR_NAME_FILTER, 'FLAVOR_NAME_FILTER', 'GET /flavors filters by "name"'),
    (FLAVOR_NO_RXTX_DISABLED, 'FLAVOR_NO_RXTX_DISABLED',
     'flavor bodies drop rxtx_factor and OS-FLV-DISABLED:disabled; POST /flavors refuses '
     'rxtx_factor'),
    (STRICT_QUERY_EVERYWHERE, 'STRICT_QUERY_EVERYWHERE',
     'an unknown query parameter is a 400 on every compute list that reads parameters'),
    (VOLUMES_BOOT_REMOVED, 'VOLUMES_BOOT_REMOVED',
     '/os-volumes_boot is gone (nova_lite never served that alias of /servers)'),
    (SERVER_PINNED_AZ_UPDATE, 'SERVER_PINNED_AZ_UPDATE',
     'PUT /servers/{id} takes "pinned_availability_zone": null unpins, the current zone '
     're-pins, any other change is a 409'),
)
