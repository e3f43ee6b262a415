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
    cfg.StrOpt('token_key_repository',
               default='$state_path/conductor-keys',
               help='Directory of the conductors\' own Fernet keys, kept like [identity] '
                    'fernet_key_repository (one key per file, mode 0600, in a directory '
                    'of mode 0700; 0 is the staged key, the highest index the primary). '
                    'A boot is saved in the database and posted on the jobboard with the '
                    'user\'s token sealed (encrypted) by the primary key, never in clear; '
                    'the conductor that runs it unseals it with any of the keys. Created '
                    'by "nova-lite-manage conductor-keys setup" (nova-lite-all creates it '
                    'at start), rotated by "nova-lite-manage conductor-keys rotate". '
                    'Every conductor of a cloud needs the same keys: copy the directory '
                    'to each, as for the identity\'s keys. A conductor with no keys here '
                    'does not start.'),
    cfg.IntOpt('token_max_active_keys', default=3, min=2,
               help='Keys kept by "nova-lite-manage conductor-keys rotate"; older keys '
                    'are removed, and a saved boot whose token was sealed with a removed '
                    'key can no longer run (its instance goes to ERROR when a conductor '
                    'takes it over).'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(conductor_group, conductor_opts)]
