"""The compute quota resources, their defaults, and which microversions show them.

Nova's legacy (database) quota driver: instances, cores and ram are counted
from a project's live servers, key_pairs from a user's key pairs,
server_groups and server_group_members from the server groups; the others
are plain limits. The nova-network ones (fixed_ips, floating_ips,
security_groups, security_group_rules) are still shown and settable before
2.36 (always -1 unless set); the injected file ones before 2.57.
"""

from __future__ import annotations

from oslo_config import cfg

INSTANCES = 'instances'
CORES = 'cores'
RAM = 'ram'
METADATA_ITEMS = 'metadata_items'
INJECTED_FILES = 'injected_files'
INJECTED_FILE_CONTENT_BYTES = 'injected_file_content_bytes'
INJECTED_FILE_PATH_BYTES = 'injected_file_path_bytes'
KEY_PAIRS = 'key_pairs'
SERVER_GROUPS = 'server_groups'
SERVER_GROUP_MEMBERS = 'server_group_members'

UNLIMITED = -1

# Configured by [quota] (and the 'default' quota class).
CONFIGURED = (INSTANCES, CORES, RAM, METADATA_ITEMS, INJECTED_FILES,
              INJECTED_FILE_CONTENT_BYTES, INJECTED_FILE_PATH_BYTES, KEY_PAIRS,
              SERVER_GROUPS, SERVER_GROUP_MEMBERS)
# nova-network's, kept for the API before 2.36: -1 unless set.
NETWORK_LEGACY = ('fixed_ips', 'floating_ips', 'security_groups', 'security_group_rules')
INJECTED = (INJECTED_FILES, INJECTED_FILE_CONTENT_BYTES, INJECTED_FILE_PATH_BYTES)
SERVER_GROUP_RESOURCES = (SERVER_GROUPS, SERVER_GROUP_MEMBERS)
ALL = CONFIGURED + NETWORK_LEGACY
# Counted from live rows; the rest are limits on one request only (in_use 0).
COUNTED = (INSTANCES, CORES, RAM, KEY_PAIRS, SERVER_GROUPS, SERVER_GROUP_MEMBERS)


def configured_defaults(conf: cfg.ConfigOpts) -> dict[str, int]:
    """Every resource's limit as [quota] sets it (the nova-network ones -1)."""
    defaults = {name: int(getattr(conf.quota, name)) for name in CONFIGURED}
    defaults.update({name: UNLIMITED for name in NETWORK_LEGACY})
    return defaults
