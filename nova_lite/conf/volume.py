"""[volume] options: the volume backend."""

from oslo_config import cfg

volume_group = cfg.OptGroup('volume', title='Block storage service options')

volume_opts = [
    cfg.StrOpt('backend',
               default='file',
               help='Volume backend plugin (entry point in nova_lite.volume.backends).'),
    cfg.StrOpt('volumes_dir',
               default='$state_path/volumes',
               help='Directory where the file backend keeps sparse volume files.'),
    cfg.IntOpt('max_volume_size_gb',
               default=1024, min=1,
               help='Largest volume, in GiB, a user may create.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(volume_group)
    conf.register_opts(volume_opts, group=volume_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(volume_group, volume_opts)]
