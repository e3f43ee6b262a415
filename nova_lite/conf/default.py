"""[DEFAULT] options: where state lives and which host this process is."""

import socket

from oslo_config import cfg

default_opts: list[cfg.Opt] = [
    cfg.StrOpt('state_path',
               default='$pybasedir/.state',
               help='Directory holding everything the embedded default writes: the '
                    'SQLite database, Fernet keys, image store, volume files, instance '
                    'directories and flow drawings.'),
    cfg.StrOpt('pybasedir',
               default='.',
               sample_default='<current directory>',
               help='Base directory that state_path is relative to by default.'),
    cfg.StrOpt('host',
               default=socket.gethostname(),
               sample_default='<hostname>',
               help='Name of this host. A compute service registers its hypervisor '
                    'under this name and listens on the compute topic for it.'),
    cfg.StrOpt('default_availability_zone',
               default='nova',
               help='Availability zone of compute hosts that do not set their own.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(default_opts)


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    return [('DEFAULT', default_opts)]
