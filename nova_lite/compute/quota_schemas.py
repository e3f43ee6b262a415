"""Which quota resources each microversion shows and takes, and the request schemas."""

from __future__ import annotations

from typing import Any

from nova_lite.compute import quota_resources as res
from nova_lite.compute.rest import version_changes
from nova_lite.compute.rest.api_version import Version


def quota_set_resources(version: Version) -> tuple[str, ...]:
    """The resources ``/os-quota-sets`` shows and takes at ``version``."""
    hidden: tuple[str, ...] = ()
    if version >= version_changes.PROXY_APIS_REMOVED:
        hidden += res.NETWORK_LEGACY
    if version >= version_changes.LIMITS_NO_PERSONALITY:
        hidden += res.INJECTED
    return tuple(name for name in res.ALL if name not in hidden)


def quota_class_resources(version: Version) -> tuple[str, ...]:
    """The resources ``/os-quota-class-sets`` shows at ``version``: the server group
    ones from 2.50 (which drops the nova-network ones), no injected files from 2.57."""
    if version < version_changes.QUOTA_CLASS_SERVER_GROUPS:
        return tuple(name for name in res.ALL if name not in res.SERVER_GROUP_RESOURCES)
    no_injected = version >= version_changes.LIMITS_NO_PERSONALITY
    hidden = res.NETWORK_LEGACY + (res.INJECTED if no_injected else ())
    return tuple(name for name in res.ALL if name not in hidden)


def quota_class_settable(version: Version) -> tuple[str, ...]:
    """What ``PUT /os-quota-class-sets/{class}`` takes at ``version`` (the server group
    resources at every version, as nova's update schema does)."""
    shown = quota_class_resources(version)
    return shown + tuple(name for name in res.SERVER_GROUP_RESOURCES if name not in shown)


MAX_LIMIT = 0x7FFFFFFF
# An integer from -1 (unlimited), or the same written as a string.
_limit: dict[str, Any] = {'oneOf': [
    {'type': 'integer', 'minimum': -1, 'maximum': MAX_LIMIT},
    {'type': 'string', 'pattern': '^(-1|[0-9]{1,10})$'}]}
_force: dict[str, Any] = {'oneOf': [
    {'type': 'boolean'},
    {'type': 'string', 'enum': ['true', 'false', 'True', 'False', '1', '0', 'yes', 'no',
                                'on', 'off']}]}


def _body(key: str, resources: tuple[str, ...], *, force: bool) -> dict[str, Any]:
    properties = {name: _limit for name in resources}
    if force:
        properties['force'] = _force
    return {'type': 'object',
            'properties': {key: {'type': 'object', 'properties': properties,
                                 'additionalProperties': False}},
            'required': [key], 'additionalProperties': False}


def quota_set_update(version: Version) -> dict[str, Any]:
    """``PUT /os-quota-sets/{project_id}`` at ``version``."""
    return _body('quota_set', quota_set_resources(version), force=True)


def quota_class_update(version: Version) -> dict[str, Any]:
    """``PUT /os-quota-class-sets/{class}`` at ``version``."""
    return _body('quota_class_set', quota_class_settable(version), force=False)


def limits_of(values: dict[str, Any]) -> dict[str, int]:
    """The validated limits as integers (``force`` left out); 400 past 2**31-1."""
    from nova_lite.common import exception

    limits = {}
    for name, value in values.items():
        if name == 'force':
            continue
        limit = int(value)
        if limit > MAX_LIMIT:
            raise exception.InvalidInput(field=name, reason=f'{limit} is too large')
        limits[name] = limit
    return limits


def force_of(values: dict[str, Any]) -> bool:
    value = values.get('force', False)
    return value is True or (isinstance(value, str)
                             and value.lower() in ('true', '1', 'yes', 'on'))


# ?user_id= on the quota set calls (others are ignored).
user_query: dict[str, Any] = {
    'type': 'object',
    'properties': {'user_id': {'type': 'string', 'minLength': 1, 'maxLength': 255}},
}
