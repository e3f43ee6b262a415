"""Reports of the 29 boot steps of BOOT-SEQUENCE.md as they happen.

Each step is a log record on the ``nova_lite.steps`` logger with the step
number and what carried it (REST, rpc.call, rpc.cast, DB, libvirt, ...), so
that daemons write them to their logs and ``nova-lite demo`` prints them live.
"""

import enum
import logging

STEP_LOGGER = 'nova_lite.steps'
_LOG = logging.getLogger(STEP_LOGGER)


class Carrier(enum.StrEnum):
    REST = 'REST'
    API = 'API call'
    RPC_CALL = 'rpc.call'
    RPC_CAST = 'rpc.cast'
    DB = 'DB'
    LIBVIRT = 'libvirt'
    LOCAL = 'in-process'


def report(step: str, carrier: Carrier, message: str, *, instance_id: str | None = None,
           ) -> None:
    """Record that boot step ``step`` (e.g. "8" or "16-17") happened."""
    _LOG.info('step %s [%s] %s', step, carrier.value, message,
              extra={'boot_step': step, 'boot_carrier': carrier.value,
                     'boot_instance': instance_id, 'boot_message': message})
