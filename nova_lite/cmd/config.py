"""Configuration and logging set-up shared by every entry point."""

from __future__ import annotations

import logging as py_logging
import sys
from collections.abc import Callable

from oslo_config import cfg
from oslo_log import log as oslo_logging

from nova_lite import conf as nl_conf
from nova_lite.common import rpc
from nova_lite.common.exception import NovaLiteError


def parse_args(conf: cfg.ConfigOpts, argv: list[str], *,
               default_config_files: list[str] | None = None,
               before_logging: Callable[[cfg.ConfigOpts], None] | None = None) -> None:
    """Register every option, parse the command line and config files, set up logging.

    ``before_logging`` may adjust the parsed configuration (a log file under the
    state path, say) before logging starts.
    """
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
    # Third-party libraries are chatty at INFO; nova_lite's own logs stay as configured.
    for noisy in ('taskflow', 'oslo_messaging', 'stevedore', 'amqp', 'kombu', 'alembic',
                  'oslo_service'):
        py_logging.getLogger(noisy).setLevel(max(py_logging.WARNING,
                                                py_logging.getLogger(noisy).level))


def run_command(handler: Callable[[cfg.ConfigOpts], int], conf: cfg.ConfigOpts) -> int:
    """Run a command; nova_lite's own errors are one line on stderr, exit 1."""
    try:
        return handler(conf)
    except NovaLiteError as exc:
        print(f'error: {exc.message}', file=sys.stderr)
        return 1
