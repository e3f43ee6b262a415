"""The identity service's Fernet key repository (``[identity] fernet_key_repository``).

The functions live in :mod:`nova_lite.common.fernet_keys`, shared with the
conductor's token sealing keys; identity and the tools that set up its keys
use them under this name.
"""

from nova_lite.common.fernet_keys import STAGED_KEY, key_indexes, load, rotate, setup

__all__ = ['STAGED_KEY', 'key_indexes', 'load', 'rotate', 'setup']
