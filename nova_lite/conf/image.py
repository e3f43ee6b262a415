"""[image] options: the image store."""

from oslo_config import cfg

image_group = cfg.OptGroup('image', title='Image service options')

DISK_FORMATS = ['raw', 'qcow2', 'vhd', 'vhdx', 'vmdk', 'vdi', 'iso', 'ploop',
                'aki', 'ari', 'ami']
CONTAINER_FORMATS = ['bare', 'ovf', 'ova', 'aki', 'ari', 'ami', 'docker',
                     'compressed']

image_opts = [
    cfg.StrOpt('store',
               default='file',
               help='Image store plugin (entry point in nova_lite.image.stores).'),
    cfg.StrOpt('filesystem_store_datadir',
               default='$state_path/images',
               help='Directory where the file store keeps image bytes.'),
    cfg.ListOpt('disk_formats', default=DISK_FORMATS,
                help='Disk formats images may declare.'),
    cfg.ListOpt('container_formats', default=CONTAINER_FORMATS,
                help='Container formats images may declare.'),
    cfg.IntOpt('image_size_cap',
               default=1024 ** 4, min=1,
               help='Largest image, in bytes, an upload may store.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(image_group)
    conf.register_opts(image_opts, group=image_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(image_group, image_opts)]
