"""[fault_injection] options: make boot tasks fail or wait, for testing tooling."""

from oslo_config import cfg

fault_injection_group = cfg.OptGroup(
    'fault_injection', title='Fault injection',
    help='For people who test their own tooling against nova_lite. With enabled = '
         'true, server metadata "nova_lite:fail_at" = <task name> makes that boot task '
         'raise, "nova_lite:delay_at" = <task name>:<seconds> makes it wait first, and '
         '"nova_lite:delay_after" = <task name>:<seconds> makes it wait after its work, '
         'before its result is saved (where a crash falls inside the task). '
         'Never enable it in a cloud that serves real users.')

fault_injection_opts = [
    cfg.BoolOpt('enabled', default=False,
                help='Honour the nova_lite:fail_at, nova_lite:delay_at and nova_lite:delay_after '
                     'server metadata.'),
    cfg.FloatOpt('max_delay', default=600.0, min=0.0,
                 help='Longest delay, in seconds, nova_lite:delay_at or delay_after may ask for.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(fault_injection_group)
    conf.register_opts(fault_injection_opts, group=fault_injection_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(fault_injection_group, fault_injection_opts)]
