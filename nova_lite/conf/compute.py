"""[compute] options: the compute host."""

from oslo_config import cfg

compute_group = cfg.OptGroup('compute', title='Compute host options')

compute_opts = [
    cfg.StrOpt('virt_driver', default='libvirt',
               help='Virt driver (entry point in nova_lite.virt.drivers). "libvirt" '
                    'falls back to "fake" when libvirt-python is not installed.'),
    cfg.StrOpt('instances_path', default='$state_path/instances',
               help='Where instance directories (disk, libvirt.xml) are written.'),
    cfg.StrOpt('image_cache_dir', default='$state_path/instances/_base',
               help='Where downloaded images are cached, once per image.'),
    cfg.StrOpt('availability_zone', default=None,
               help='Availability zone of this host; [DEFAULT] '
                    'default_availability_zone when unset.'),
    cfg.IntOpt('vcpus', default=None, min=1,
               help='vCPUs this host reports; the hypervisor\'s own count when unset.'),
    cfg.IntOpt('memory_mb', default=None, min=1,
               help='RAM (MiB) this host reports; the hypervisor\'s when unset.'),
    cfg.IntOpt('disk_gb', default=None, min=1,
               help='Disk (GiB) this host reports; the instances_path file '
                    'system\'s size when unset.'),
    cfg.FloatOpt('cpu_allocation_ratio', default=4.0, min=0.0,
                 help='vCPU overcommit ratio.'),
    cfg.FloatOpt('ram_allocation_ratio', default=1.0, min=0.0,
                 help='RAM overcommit ratio.'),
    cfg.FloatOpt('disk_allocation_ratio', default=1.0, min=0.0,
                 help='Disk overcommit ratio.'),
    cfg.IntOpt('reserved_host_memory_mb', default=0, min=0,
               help='RAM kept back for the host itself.'),
    cfg.IntOpt('build_timeout', default=900, min=0,
               help='Seconds an instance may stay in BUILD; past it the conductor puts it '
                    'in ERROR and frees what it holds. 0 disables the check.'),
    cfg.BoolOpt('use_cow_images', default=True,
                help='Make instance disks as qcow2 overlays of the cached image '
                     '(needs qemu-img); copy the image otherwise.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(compute_group)
    conf.register_opts(compute_opts, group=compute_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(compute_group, compute_opts)]
