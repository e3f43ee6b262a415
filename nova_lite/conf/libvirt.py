"""[libvirt] options."""

from oslo_config import cfg

libvirt_group = cfg.OptGroup('libvirt', title='Libvirt driver options')

libvirt_opts: list[cfg.Opt] = [
    cfg.StrOpt('connection_uri', default='test:///default',
               help='Libvirt connection URI. test:///default is libvirt\'s own '
                    'in-memory hypervisor (the embedded default); qemu:///system '
                    'drives real VMs.'),
    cfg.StrOpt('virt_type', default='kvm',
               choices=['kvm', 'qemu', 'test'],
               help='Domain type written into libvirt.xml. With a test:// URI the '
                    'domain type is "test" whatever this says.'),
    cfg.StrOpt('snapshot_image_format', default=None, choices=['raw', 'qcow2'],
               help='Disk format of the images that createImage, createBackup and '
                    'shelve make of an instance disk. Unset: the format of the image '
                    'the instance was booted from (qcow2 when that is neither raw nor '
                    'qcow2). qcow2 keeps a mostly empty disk small in the image store.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(libvirt_group)
    conf.register_opts(libvirt_opts, group=libvirt_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(libvirt_group, libvirt_opts)]
