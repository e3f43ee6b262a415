"""[volume_quota] options: the default block storage limits of every project.

A value of -1 means unlimited. The 'default' quota class of the block storage
API (``/v3/{project_id}/os-quota-class-sets/default``) overrides these in the
database; a project's own limits (``/os-quota-sets/{project_id}``) override both.
"""

from oslo_config import cfg

volume_quota_group = cfg.OptGroup(
    'volume_quota', title='Block storage quota options',
    help='Default block storage limits of every project (-1: unlimited).')

volume_quota_opts: list[cfg.Opt] = [
    cfg.IntOpt('volumes', default=10, min=-1,
               help='Volumes a project may have.'),
    cfg.IntOpt('snapshots', default=10, min=-1,
               help='Volume snapshots a project may have.'),
    cfg.IntOpt('gigabytes', default=1000, min=-1,
               help='GiB a project\'s volumes and snapshots may take together.'),
    cfg.IntOpt('backups', default=10, min=-1,
               help='Volume backups a project may have.'),
    cfg.IntOpt('backup_gigabytes', default=1000, min=-1,
               help='GiB a project\'s backups may take together.'),
    cfg.IntOpt('groups', default=10, min=-1,
               help='Volume groups a project may have.'),
    cfg.IntOpt('per_volume_gigabytes', default=-1, min=-1,
               help='The largest size (GiB) of one volume.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(volume_quota_group)
    conf.register_opts(volume_quota_opts, group=volume_quota_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(volume_quota_group, volume_quota_opts)]
