"""``nova-lite-api``: the five REST APIs (identity, compute, image, network, block storage)."""

from __future__ import annotations

import sys

from oslo_config import cfg

from nova_lite import daemons
from nova_lite.cmd import config
from nova_lite.common import service


def main(argv: list[str] | None = None) -> int:
    conf = cfg.ConfigOpts()
    config.parse_args(conf, sys.argv[1:] if argv is None else argv)
    return service.launch(conf, daemons.api_service(conf))


if __name__ == '__main__':
    sys.exit(main())
