"""What the identity extensions' handlers share."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from nova_lite.common import exception


@contextlib.contextmanager
def unknown_id_is_not_found(resource: str, item_id: str) -> Iterator[None]:
    """A path id that cannot be an id at all (too long) is a 404, like an unknown one."""
    try:
        yield
    except exception.InvalidInput:
        raise exception.NotFound(resource=resource, id=item_id) from None
