"""``nova-lite-scheduler``: the scheduler."""

from __future__ import annotations

import sys

from oslo_config import cfg

from nova_lite import daemons, preflight
from nova_lite.cmd import config


def main(argv: list[str] | None = None) -> int:
    conf = cfg.ConfigOpts()
    config.parse_args(conf, sys.argv[1:] if argv is None else argv)
    return config.run_daemon('nova-lite-scheduler', conf, [
        preflight.database],
        daemons.scheduler_service)


if __name__ == '__main__':
    sys.exit(main())
