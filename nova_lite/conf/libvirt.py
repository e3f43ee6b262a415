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
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(libvirt_group)
    conf.register_opts(libvirt_opts, group=libvirt_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(libvirt_group, libvirt_opts)]
