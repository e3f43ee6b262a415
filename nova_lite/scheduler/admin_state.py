"""What admins decide about a compute host, checked before the scheduler stores it.

The compute API sends these (``os-services`` enable/disable/force-down, and
the zone and metadata of the host's aggregates); the host's own resource
reports never touch them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from nova_lite.common import exception

FIELDS = ('enabled', 'disabled_reason', 'forced_down', 'aggregate_zone', 'aggregate_metadata')


def _text_or_none(key: str, value: Any) -> str | None:
    if value is not None and (not isinstance(value, str) or len(value) > 255):
        raise exception.InvalidInput(field=key, reason='must be a string of at most 255 '
                                                       'characters, or null')
    return value


def _metadata(value: Any) -> dict[str, list[str]]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
            isinstance(key, str) and isinstance(values, list | tuple)
            and all(isinstance(item, str) for item in values)
            for key, values in value.items()):
        raise exception.InvalidInput(field='aggregate_metadata',
                                     reason='must map keys to lists of strings')
    return {key: sorted(set(values)) for key, values in value.items()}


def validate(values: Any) -> dict[str, Any]:
    """The recognised fields of ``values``, checked; 400 for anything else."""
    if not isinstance(values, Mapping):
        raise exception.InvalidInput(field='values', reason='must be an object')
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise exception.InvalidInput(field='values', reason=f'unknown fields {unknown}')
    checked: dict[str, Any] = {}
    for key in ('enabled', 'forced_down'):
        if key in values:
            if not isinstance(values[key], bool):
                raise exception.InvalidInput(field=key, reason='must be a boolean')
            checked[key] = values[key]
    for key in ('disabled_reason', 'aggregate_zone'):
        if key in values:
            checked[key] = _text_or_none(key, values[key])
    if 'aggregate_metadata' in values:
        checked['aggregate_metadata'] = _metadata(values['aggregate_metadata'])
    return checked
