"""``nova-lite-all``: every service and the five REST APIs in one process.

``nova-lite-all --config-file F`` runs the cloud that F describes. With no
configuration given or found, it runs (and, the first time, makes) a cloud of
its own in the user's data directory (:mod:`nova_lite.zero_config`), and says
what to type next once it answers.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from oslo_config import cfg

from nova_lite import daemons, preflight, zero_config
from nova_lite.cmd import config

_CLI_OPTS = [
    cfg.StrOpt('clouds-yaml', metavar='PATH',
               help='Without a configuration file: the clouds.yaml that gets the '
                    'admin entry (default: $XDG_CONFIG_HOME/openstack/clouds.yaml, '
                    'else ~/.config/openstack/clouds.yaml).'),
    cfg.StrOpt('cloud-name', default=zero_config.DEFAULT_CLOUD_NAME,
               help='Without a configuration file: the name of that clouds.yaml entry.'),
]


def _process_start_time() -> float:
    """When this process started (wall clock), from /proc; now where it is missing."""
    try:
        with open('/proc/self/stat', encoding='ascii') as stat_file:
            fields = stat_file.read().rsplit(')', 1)[1].split()
        with open('/proc/uptime', encoding='ascii') as uptime_file:
            uptime = float(uptime_file.read().split()[0])
        started_after_boot = int(fields[19]) / os.sysconf('SC_CLK_TCK')
        return time.time() - (uptime - started_after_boot)
    except (OSError, ValueError, IndexError):
        return time.time()


class _ZeroConfigStart:
    """The steps of a start with no configuration, run as start-up checks."""

    def __init__(self, files: zero_config.StateFiles,
                 first: zero_config.FirstStart | None) -> None:
        self.files = files
        self.first = first

    def bootstrap(self, conf: cfg.ConfigOpts) -> None:
        """A first start (on the migrated database): bootstrap, write the clouds.yaml
        entry; a later one writes that entry only if it is gone."""
        first = self.first
        if first is not None:
            zero_config.bootstrap_identity(conf, first)
        password = first.admin_password if first else self.files.read_admin_password()
        zero_config.ensure_cloud_entry(conf, conf.clouds_yaml or zero_config.default_clouds_yaml(),
                                       conf.cloud_name, password, replace=first is not None)
        if first is not None:
            zero_config.commit(first)

    def secrets_private(self, conf: cfg.ConfigOpts) -> None:
        zero_config.check_private_file(self.files.config_file)
        zero_config.check_private_file(self.files.admin_password_file)

    def next_steps(self, conf: cfg.ConfigOpts) -> list[str]:
        lines = []
        if conf.clouds_yaml:
            lines.append(f'  export OS_CLIENT_CONFIG_FILE={conf.clouds_yaml}')
        lines += [f'  export OS_CLOUD={conf.cloud_name}', '  openstack server list']
        return [f'admin password in {self.files.admin_password_file}; next, type:', *lines]


def _ready(conf: cfg.ConfigOpts, started: float,
           zero: _ZeroConfigStart | None) -> Callable[[], None]:
    def say_ready() -> None:
        from nova_lite.api import endpoints

        log = conf.log_file or 'standard error'
        lines = [f'nova-lite-all: the cloud answers at {endpoints.identity_url(conf, "/v3")} '
                 f'(started in {time.time() - started:.1f} s; state in {conf.state_path}, '
                 f'log in {log})']
        if zero is not None:
            lines += zero.next_steps(conf)
        print('\n'.join(lines), flush=True)

    return say_ready


def main(argv: list[str] | None = None) -> int:
    started = _process_start_time()
    args = list(sys.argv[1:] if argv is None else argv)
    conf = cfg.ConfigOpts()
    conf.register_cli_opts(_CLI_OPTS)
    zero = None
    asks_only = any(arg in ('-h', '--help', '--version') for arg in args)
    if not asks_only and not zero_config.config_given(args):
        files = zero_config.StateFiles(zero_config.default_state_path())
        first = None if files.initialized() else zero_config.prepare_first_start(
            files.state_path)
        zero = _ZeroConfigStart(files, first)
        args += ['--config-file', files.config_file]
    config.parse_args(conf, args)
    # Ports first: a start that cannot listen changes nothing.
    checks: list[preflight.Check] = [preflight.api_ports, daemons.prepare_embedded_state]
    if zero is not None:
        checks += [zero.bootstrap, zero.secrets_private]
    checks += [preflight.fernet_keys, preflight.conductor_keys,
               preflight.service_credentials, preflight.state_path]
    return config.run_daemon(
        'nova-lite-all', conf, checks,
        lambda conf: daemons.all_in_one_service(conf, ready=_ready(conf, started, zero)))


if __name__ == '__main__':
    sys.exit(main())
