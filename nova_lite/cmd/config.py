"""Configuration and logging set-up shared by every entry point."""

from __future__ import annotations

import logging as py_logging
import os
import sys
from collections.abc import Callable

from oslo_config import cfg
from oslo_log import log as oslo_logging
from oslo_service import service as oslo_service

from nova_lite import conf as nl_conf
from nova_lite.common import rpc, warnings_log
from nova_lite.common.exception import NovaLiteError
from nova_lite.demo import narrator

# Files a daemon makes (the database, keys, logs, images, volumes, instance
# disks) are its owner's only.
PRIVATE_UMASK = 0o077


def parse_args(conf: cfg.ConfigOpts, argv: list[str], *,
               default_config_files: list[str] | None = None,
               before_logging: Callable[[cfg.ConfigOpts], None] | None = None,
               umask: int | None = PRIVATE_UMASK) -> None:
    """Register every option, parse the command line and config files, set up logging.

    ``before_logging`` may adjust the parsed configuration (a log file under the
    state path, say) before logging starts. ``umask`` (None: the caller's) is
    set first, so every file the process makes, its log included, has it.
    """
    if umask is not None:
        os.umask(umask)
    nl_conf.register_opts(conf)
    rpc.register_opts(conf)
    oslo_logging.register_options(conf)
    # Without a log file, logs go to stderr: standard output is for results
    # (a DOT graph, the demo's steps) that users pipe into files.
    conf.set_default('use_stderr', True)
    conf(argv, project='nova-lite', default_config_files=default_config_files)
    if before_logging is not None:
        before_logging(conf)
    if conf.log_file or conf.log_dir:
        conf.set_default('use_stderr', False)  # a daemon with a log file logs there only
    oslo_logging.setup(conf, 'nova_lite')
    # Every process logs the boot steps it takes part in (nova_lite.steps).
    narrator.install()
    # The libraries' warnings go to the log file (or, with --debug, the terminal's log).
    warnings_log.release(to_terminal=not (conf.log_file or conf.log_dir or conf.debug))
    # Third-party libraries are chatty at INFO; nova_lite's own logs stay as configured.
    for noisy in ('taskflow', 'oslo_messaging', 'stevedore', 'amqp', 'kombu', 'alembic',
                  'oslo_service'):
        py_logging.getLogger(noisy).setLevel(max(py_logging.WARNING,
                                                py_logging.getLogger(noisy).level))


def run_daemon(name: str, conf: cfg.ConfigOpts, checks: list[Callable[[cfg.ConfigOpts], None]],
               make_service: Callable[[cfg.ConfigOpts], oslo_service.ServiceBase]) -> int:
    """Run the daemon's start-up checks, then the daemon; a failed check is one line, exit 1.

    The checks run before anything listens, so a configuration mistake never
    shows as a 500 on a request.
    """
    from nova_lite.common import service

    try:
        for check in checks:
            check(conf)
    except NovaLiteError as exc:
        if conf.log_file or conf.log_dir:  # else the log is the terminal: say it once
            py_logging.getLogger(__name__).error('%s cannot start: %s', name, exc.message)
        print(f'{name}: error: {exc.message}', file=sys.stderr)
        return 1
    return service.launch(conf, make_service(conf))


def run_command(handler: Callable[[cfg.ConfigOpts], int], conf: cfg.ConfigOpts) -> int:
    """Run a command; nova_lite's own errors are one line on stderr, exit 1."""
    try:
        return handler(conf)
    except NovaLiteError as exc:
        print(f'error: {exc.message}', file=sys.stderr)
        return 1
