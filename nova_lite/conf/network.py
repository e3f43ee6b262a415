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
    cfg.StrOpt('tenant_network_type',
               default='vxlan', choices=('vxlan', 'geneve', 'local'),
               help="The provider:network_type recorded for a project's network created "
                    'without provider attributes (devstack with ML2/OVS: vxlan). The '
                    'record is bookkeeping: the hosts wire ports themselves.'),
    cfg.StrOpt('tenant_vni_ranges',
               default='1:1000', regex=r'^\s*[0-9]+(:[0-9]+)?(\s*,\s*[0-9]+(:[0-9]+)?)*\s*$',
               help='The VNIs (first:last, comma-separated) that project networks of a '
                    'tunnel type take their provider:segmentation_id from (devstack: '
                    '1:1000).'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(network_group)
    conf.register_opts(network_opts, group=network_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(network_group, network_opts)]
