"""[network] options: MAC generation, IPAM and the agents' heartbeat."""

from oslo_config import cfg

network_group = cfg.OptGroup('network', title='Network service options')

network_opts = [
    cfg.StrOpt('base_mac',
               default='fa:16:3e:00:00:00',
               help='MAC prefix for ports; the first three octets are kept and the '
                    'rest are random.'),
    cfg.IntOpt('mac_generation_retries',
               default=16, min=1,
               help='Tries to find a MAC not yet used on a network.'),
    cfg.IntOpt('ip_allocation_retries',
               default=32, min=1,
               help='Tries to allocate a free IP when concurrent requests race.'),
    cfg.IntOpt('agent_down_time',
               default=75, min=1,
               help='Seconds after its last heartbeat that an agent (the network '
                    "service's DHCP and L3 agent) is shown dead and no longer "
                    "scheduled to (neutron's agent_down_time)."),
    cfg.IntOpt('agent_report_interval',
               default=30, min=1,
               help="Seconds between the heartbeats of the network service's agents; "
                    'keep it well under agent_down_time.'),
    cfg.StrOpt('agent_availability_zone',
               default='nova',
               help="The availability zone the network service's agents report."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(network_group)
    conf.register_opts(network_opts, group=network_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(network_group, network_opts)]
