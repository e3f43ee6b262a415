"""Configuration options, one module per option group.

Nothing here reads configuration at import time: callers get a ``ConfigOpts``
(usually ``nova_lite.conf.CONF``) and options are registered by
:func:`register_opts`, which every entry point calls once.
"""

from oslo_config import cfg

from nova_lite.conf import (
    api,
    compute,
    conductor,
    database,
    default,
    fault_injection,
    identity,
    image,
    jobboard,
    libvirt,
    network,
    network_quota,
    quota,
    scheduler,
    volume,
    volume_quota,
)

CONF = cfg.CONF

_MODULES = (default, database, identity, image, network, volume, scheduler, conductor,
            compute, libvirt, api, fault_injection, jobboard, quota, volume_quota,
            network_quota)


def register_opts(conf: cfg.ConfigOpts) -> None:
    """Register every nova_lite option group on ``conf`` (idempotent)."""
    for module in _MODULES:
        module.register_opts(conf)
