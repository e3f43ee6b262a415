"""[scheduler] options: filters, weighers and retries."""

from oslo_config import cfg

scheduler_group = cfg.OptGroup('scheduler', title='Scheduler options')

scheduler_opts = [
    cfg.ListOpt('enabled_filters',
                default=['ComputeFilter', 'AvailabilityZoneFilter', 'RamFilter',
                         'DiskFilter', 'VcpuFilter', 'ImagePropertiesFilter',
                         'ServerGroupAntiAffinityFilter', 'ServerGroupAffinityFilter'],
                help='Filters (entry points in nova_lite.scheduler.filters) a host '
                     'must pass, in order.'),
    cfg.ListOpt('weighers',
                default=['RamWeigher', 'DiskWeigher', 'VcpuWeigher',
                         'ServerGroupSoftAffinityWeigher',
                         'ServerGroupSoftAntiAffinityWeigher'],
                help='Weighers (entry points in nova_lite.scheduler.weighers).'),
    cfg.FloatOpt('ram_weight_multiplier', default=1.0,
                 help='Multiplier of free RAM; negative values stack instances.'),
    cfg.FloatOpt('disk_weight_multiplier', default=1.0,
                 help='Multiplier of free disk; negative values stack instances.'),
    cfg.FloatOpt('cpu_weight_multiplier', default=1.0,
                 help='Multiplier of free vCPUs; negative values stack instances.'),
    cfg.FloatOpt('soft_affinity_weight_multiplier', default=1.0, min=0.0,
                 help='Multiplier of the members of a soft-affinity server group '
                      'already on a host.'),
    cfg.FloatOpt('soft_anti_affinity_weight_multiplier', default=1.0, min=0.0,
                 help='Multiplier of the (negated) members of a soft-anti-affinity '
                      'server group already on a host.'),
    cfg.IntOpt('max_attempts', default=3, min=1,
               help='Hosts a boot is tried on (the chosen one plus alternates) '
                    'before it fails.'),
    cfg.IntOpt('service_down_time', default=60, min=1,
               help='Seconds after its last report that a compute host is '
                    'considered down and filtered out.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(scheduler_group)
    conf.register_opts(scheduler_opts, group=scheduler_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(scheduler_group, scheduler_opts)]
