"""[quota] options: the default per-project limits (nova's legacy quota driver).

A value of -1 means unlimited. The 'default' quota class
(``/os-quota-class-sets/default``) overrides these in the database; a
project's own limits (``/os-quota-sets/{project_id}``) override both.
"""

from oslo_config import cfg

quota_group = cfg.OptGroup('quota', title='Quota options',
                           help='Default limits of every project (-1: unlimited).')

quota_opts: list[cfg.Opt] = [
    cfg.IntOpt('instances', default=10, min=-1,
               help='Servers a project may have.'),
    cfg.IntOpt('cores', default=20, min=-1,
               help='vCPUs (summed over its servers\' flavors) a project may use.'),
    cfg.IntOpt('ram', default=51200, min=-1,
               help='RAM in MiB (summed over its servers\' flavors) a project may use.'),
    cfg.IntOpt('metadata_items', default=128, min=-1,
               help='Metadata items a server may carry.'),
    cfg.IntOpt('injected_files', default=5, min=-1,
               help='Files a boot may inject (shown before microversion 2.57).'),
    cfg.IntOpt('injected_file_content_bytes', default=10240, min=-1,
               help='Bytes an injected file may hold (shown before 2.57).'),
    cfg.IntOpt('injected_file_path_bytes', default=255, min=-1,
               help='Bytes an injected file\'s path may hold (shown before 2.57).'),
    cfg.IntOpt('key_pairs', default=100, min=-1,
               help='Key pairs each user may have.'),
    cfg.IntOpt('server_groups', default=10, min=-1,
               help='Server groups a project may have.'),
    cfg.IntOpt('server_group_members', default=10, min=-1,
               help='Servers a server group may hold.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(quota_group)
    conf.register_opts(quota_opts, group=quota_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(quota_group, quota_opts)]
