"""[conductor] options: how boots are run."""

from oslo_config import cfg

conductor_group = cfg.OptGroup('conductor', title='Conductor options')

conductor_opts = [
    cfg.IntOpt('flow_workers', default=8, min=1,
               help='Threads of the shared executor that runs the parallel part of '
                    'the boot flow.'),
    cfg.IntOpt('boot_workers', default=16, min=1,
               help='Boots the conductor runs at once.'),
    cfg.BoolOpt('persist_flows', default=True,
                help='Save each boot as a TaskFlow logbook in the database as it runs, '
                     'so that a conductor that stops or dies is replaced and the boot '
                     'resumes where it stopped.'),
    cfg.IntOpt('spawn_rpc_timeout', default=300, min=1,
               help='Seconds the boot flow waits for a compute host to spawn.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(conductor_group, conductor_opts)]
