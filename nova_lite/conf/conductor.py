"""[conductor] options: how boots are run, and the conductor's housekeeping."""

from oslo_config import cfg

conductor_group = cfg.OptGroup('conductor', title='Conductor options')

conductor_opts = [
    cfg.IntOpt('flow_workers', default=8, min=1,
               help='Threads of the shared executor that runs the parallel part of '
                    'the boot flow.'),
    cfg.IntOpt('boot_workers', default=16, min=1,
               help='Boots the conductor runs at once.'),
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
    cfg.IntOpt('finished_run_retention', default=3600, min=0,
               help='Seconds a finished boot\'s saved run (its TaskFlow logbook, which '
                    'holds the user\'s token sealed) is kept before the conductor\'s '
                    'housekeeping deletes it.'),
    cfg.FloatOpt('purge_interval', default=60.0, min=0.1,
                 help='Seconds between two purges of finished boots\' saved runs older '
                      'than [conductor] finished_run_retention.'),
    cfg.FloatOpt('stuck_build_check_interval', default=60.0, min=0.1,
                 help='Seconds between two looks for instances in BUILD for longer than '
                      '[compute] build_timeout, which the conductor puts in ERROR after '
                      'freeing what they hold.'),
    cfg.FloatOpt('delete_boot_wait', default=900.0, min=0.0,
                 help='Seconds a delete waits for the boot of its instance that another '
                      'conductor still runs; past it the delete runs anyway.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(conductor_group)
    conf.register_opts(conductor_opts, group=conductor_group)


def list_opts() -> list[tuple[cfg.OptGroup, list[cfg.Opt]]]:
    return [(conductor_group, conductor_opts)]
