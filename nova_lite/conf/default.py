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
    cfg.IntOpt('shelved_offload_time',
               default=0, min=-1,
               help='What a shelve does after the shelved image is uploaded, as '
                    "Nova's option: 0 offloads at once (the domain destroyed and the "
                    "host's resources released); -1 never offloads (shelveOffload "
                    'does, by admin). nova_lite has no periodic offload: a value '
                    'above 0 behaves as -1.'),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(default_opts)


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    return [('DEFAULT', default_opts)]
