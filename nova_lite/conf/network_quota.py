"""[network_quota] options: the default network limits of every project.

A value of -1 means unlimited. The defaults are neutron's. A project's own
limits (``PUT /v2.0/quotas/{project_id}``) override these.
"""

from oslo_config import cfg

network_quota_group = cfg.OptGroup(
    'network_quota', title='Network quota options',
    help='Default network limits of every project (-1: unlimited).')

network_quota_opts: list[cfg.Opt] = [
    cfg.IntOpt('network', default=100, min=-1, help='Networks a project may have.'),
    cfg.IntOpt('subnet', default=100, min=-1, help='Subnets a project may have.'),
    cfg.IntOpt('port', default=500, min=-1, help='Ports a project may have.'),
    cfg.IntOpt('router', default=10, min=-1, help='Routers a project may have.'),
    cfg.IntOpt('floatingip', default=50, min=-1, help='Floating IPs a project may have.'),
    cfg.IntOpt('security_group', default=10, min=-1,
               help='Security groups a project may have (its default group included).'),
    cfg.IntOpt('security_group_rule', default=100, min=-1,
               help='Security group rules a project may have (those of its default '
                    'group included).'),
    cfg.IntOpt('subnetpool', default=-1, min=-1, help='Subnet pools a project may have.'),
    cfg.IntOpt('rbac_policy', default=10, min=-1,
               help='RBAC policies a project may have.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(network_quota_group)
    conf.register_opts(network_quota_opts, group=network_quota_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(network_quota_group, network_quota_opts)]
