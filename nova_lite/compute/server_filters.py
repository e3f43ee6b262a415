"""``GET /servers`` and ``/servers/detail`` query parameters: nova's filters and sort keys.

:func:`parse` reads a request's parameters into a :class:`ServerListQuery`
(a 400 naming the parameter for a bad value); :mod:`nova_lite.compute.server_listing`
runs it. The rules are nova's:

* a non-admin's filters are those of :func:`_user_filters` (by microversion:
  ``ip6`` from 2.5, tags from 2.26, ``changes-before`` from 2.66, ``locked``
  from 2.73); an admin's are every filter nova knows. Filters a caller may not
  use are ignored;
* parameters nova does not know are ignored below 2.75 and a 400 from it;
* ``status`` values nova does not know list nothing below 2.38, a 400 from it;
* ``sort_key``/``sort_dir`` may repeat; a key nova does not sort by is a 400,
  ``host`` and ``node`` are for admins (403); ``created_at`` then ``id``,
  newest first, end every order;
* ``all_tenants`` (admins) lists every project, narrowed by ``project_id`` or
  ``tenant_id``; without it those two are ignored.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from oslo_utils import timeutils
from webob import multidict

from nova_lite.api import query
from nova_lite.common import exception
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import Version

# The microversions of the list's query rules (rows of the one table).
IP6_FOR_USERS = changes.SERVER_LIST_IP6_FOR_USERS
TAG_FILTERS = changes.SERVER_LIST_TAG_FILTERS
INVALID_STATUS_400 = changes.SERVER_LIST_INVALID_STATUS
CHANGES_BEFORE = changes.SERVER_LIST_CHANGES_BEFORE
LOCKED_FILTER = changes.SERVER_LIST_LOCKED_FILTER
STRICT_QUERY = changes.SERVER_LIST_STRICT_QUERY
MORE_USER_FILTERS = changes.SERVER_LIST_USER_FILTERS

TAG_PARAMS = ('tags', 'tags-any', 'not-tags', 'not-tags-any')
_USER_FILTERS = ('reservation_id', 'name', 'status', 'image', 'flavor', 'ip',
                 'changes-since', 'all_tenants')
# Every filter nova's list schema names (admins may use them all; nova_lite acts on
# those of _ADMIN_EXACT, the user filters, host/node and the project filters).
_KNOWN_FILTERS = frozenset({
    *_USER_FILTERS, 'ip6', *TAG_PARAMS, 'changes-before', 'locked', 'user_id', 'project_id',
    'tenant_id', 'launch_index', 'image_ref', 'kernel_id', 'ramdisk_id', 'hostname',
    'key_name', 'power_state', 'vm_state', 'task_state', 'host', 'node', 'reservation_id',
    'launched_at', 'terminated_at', 'availability_zone', 'display_name', 'description',
    'display_description', 'locked_by', 'uuid', 'root_device_name', 'config_drive',
    'access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'progress', 'deleted',
    'soft_deleted', 'created_at', 'updated_at', 'block_device_mapping', 'services',
    'metadata', 'system_metadata', 'info_cache', 'security_groups', 'pci_devices',
})
_PAGING_AND_SORT = frozenset({'limit', 'marker', 'sort_key', 'sort_dir'})
# Admin filters matched exactly against an instance's field.
_ADMIN_EXACT = {'user_id': 'user_id', 'key_name': 'key_name', 'vm_state': 'vm_state',
                'task_state': 'task_state', 'power_state': 'power_state', 'uuid': 'id',
                'availability_zone': 'availability_zone', 'image_ref': 'image_id'}
SORT_KEYS = frozenset({
    'access_ip_v4', 'access_ip_v6', 'auto_disk_config', 'availability_zone', 'config_drive',
    'created_at', 'display_description', 'display_name', 'host', 'hostname', 'image_ref',
    'instance_type_id', 'kernel_id', 'key_name', 'launch_index', 'launched_at', 'locked',
    'locked_by', 'node', 'power_state', 'progress', 'project_id', 'ramdisk_id',
    'root_device_name', 'task_state', 'terminated_at', 'updated_at', 'user_id', 'uuid',
    'vm_state'})
ADMIN_SORT_KEYS = frozenset({'host', 'node'})
DEFAULT_SORT = (('created_at', 'desc'), ('uuid', 'desc'))
KNOWN_STATUSES = frozenset({
    'ACTIVE', 'BUILD', 'DELETED', 'ERROR', 'HARD_REBOOT', 'MIGRATING', 'PASSWORD', 'PAUSED',
    'REBOOT', 'REBUILD', 'RESCUE', 'RESIZE', 'REVERT_RESIZE', 'SHELVED', 'SHELVED_OFFLOADED',
    'SHUTOFF', 'SOFT_DELETED', 'SUSPENDED', 'UNKNOWN', 'VERIFY_RESIZE'})
_MAX_TEXT = 255


@dataclasses.dataclass
class ServerListQuery:
    """What one server list asks for, read and checked."""

    project_id: str | None
    """The project listed; None: every project (an admin's all_tenants)."""
    exact: dict[str, str] = dataclasses.field(default_factory=dict)
    """Instance field -> value (image, flavor, host and the admin filters)."""
    name: str | None = None
    statuses: list[str] | None = None
    """Upper-case statuses; an empty list lists nothing."""
    ip: re.Pattern[str] | None = None
    ip6: re.Pattern[str] | None = None
    reservation_id: str | None = None
    tags: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    changes_since: datetime.datetime | None = None
    changes_before: datetime.datetime | None = None
    locked: bool | None = None
    sort: list[tuple[str, str]] = dataclasses.field(default_factory=lambda: list(DEFAULT_SORT))

    @property
    def default_order(self) -> bool:
        return self.sort == list(DEFAULT_SORT)

    @property
    def in_python(self) -> bool:
        """True when filters or the order need the instances' JSON fields."""
        return bool(self.ip or self.ip6 or self.reservation_id or self.tags
                    or self.locked is not None or not self.default_order)


def _user_filters(version: Version) -> set[str]:
    allowed = set(_USER_FILTERS)
    if version >= IP6_FOR_USERS:
        allowed.add('ip6')
    if version >= TAG_FILTERS:
        allowed.update(TAG_PARAMS)
    if version >= CHANGES_BEFORE:
        allowed.add('changes-before')
    if version >= LOCKED_FILTER:
        allowed.add('locked')
    if version >= MORE_USER_FILTERS:
        allowed.update(('availability_zone', 'config_drive', 'key_name', 'created_at',
                        'launched_at', 'terminated_at', 'power_state', 'task_state',
                        'vm_state', 'progress', 'user_id'))
    return allowed


def _known(version: Version) -> set[str]:
    known = set(_KNOWN_FILTERS) | _PAGING_AND_SORT
    for name, since in (('changes-before', CHANGES_BEFORE), ('locked', LOCKED_FILTER)):
        if version < since:
            known.discard(name)
    if version < TAG_FILTERS:
        known.difference_update(TAG_PARAMS)
    return known


def _last(params: multidict.MultiDict, name: str) -> str:
    value = str(params.getall(name)[-1])
    if len(value) > _MAX_TEXT:
        raise exception.InvalidInput(field=name, reason=f'longer than {_MAX_TEXT} characters')
    return value


def _regex(params: multidict.MultiDict, name: str) -> re.Pattern[str]:
    try:
        return re.compile(_last(params, name))
    except re.error as exc:
        raise exception.InvalidInput(field=name,
                                     reason=f'not a regular expression: {exc}') from None


def _time(params: multidict.MultiDict, name: str) -> datetime.datetime:
    try:
        parsed = timeutils.parse_isotime(_last(params, name))
    except ValueError:
        raise exception.InvalidInput(field=name,
                                     reason='not an ISO 8601 date and time') from None
    return timeutils.normalize_time(parsed)


def _sort(params: multidict.MultiDict, *, is_admin: bool) -> list[tuple[str, str]]:
    keys = [str(key) for key in params.getall('sort_key')]
    dirs = [str(direction).lower() for direction in params.getall('sort_dir')]
    for key in keys:
        if key not in SORT_KEYS:
            raise exception.InvalidInput(
                field='sort_key', reason=f'{key!r} is not one of {", ".join(sorted(SORT_KEYS))}')
        if key in ADMIN_SORT_KEYS and not is_admin:
            raise exception.Forbidden(message=f'Only administrators can sort servers by '
                                              f'{key}')
    for direction in dirs:
        if direction not in ('asc', 'desc'):
            raise exception.InvalidInput(field='sort_dir', reason='must be asc or desc')
    if len(dirs) > len(keys):
        raise exception.InvalidInput(field='sort_dir',
                                     reason='more sort directions than sort keys')
    fill = dirs[0] if dirs else 'desc'
    order = list(zip(keys, dirs + [fill] * (len(keys) - len(dirs)), strict=True))
    for key, _direction in DEFAULT_SORT:
        if key not in keys:
            order.append((key, fill))
    return order


def parse(params: multidict.MultiDict, *, version: Version, is_admin: bool,
          own_project_id: str | None, may_list_all: bool) -> ServerListQuery:
    """The list a request asks for; ``may_list_all``: all_tenants allowed by policy."""
    if version >= STRICT_QUERY:
        unknown = sorted(set(params) - _known(version))
        if unknown:
            raise exception.InvalidInput(field=unknown[0],
                                         reason='not a query parameter of the server list')
    allowed = _known(version) if is_admin else _user_filters(version)
    given = {name for name in params if name in allowed}
    all_projects = 'all_tenants' in given and query.flag(params, 'all_tenants',
                                                         query.NOVA_BOOLEAN)
    if all_projects and not may_list_all:
        raise exception.Forbidden()
    result = ServerListQuery(project_id=None if all_projects else own_project_id,
                             sort=_sort(params, is_admin=is_admin))
    if all_projects:
        for name in ('project_id', 'tenant_id'):
            if name in given:
                result.project_id = _last(params, name)
    _read_filters(result, params, given, version)
    return result


def _read_filters(result: ServerListQuery, params: multidict.MultiDict, given: set[str],
                  version: Version) -> None:
    if 'name' in given:
        result.name = _regex(params, 'name').pattern
    if 'status' in given:
        statuses = [str(status).upper() for status in params.getall('status')]
        unknown = [status for status in statuses if status not in KNOWN_STATUSES]
        if unknown and version >= INVALID_STATUS_400:
            raise exception.InvalidInput(field='status', reason=f'unknown status {unknown[0]}')
        result.statuses = [status for status in statuses if status not in unknown]
    if 'image' in given:
        result.exact['image_id'] = _last(params, 'image').rstrip('/').rsplit('/', 1)[-1]
    if 'flavor' in given:
        result.exact['flavor_id'] = _last(params, 'flavor').rstrip('/').rsplit('/', 1)[-1]
    for name in ('host', 'node'):
        if name in given:
            result.exact['host'] = _last(params, name)
    for name, field in _ADMIN_EXACT.items():
        if name in given:
            result.exact[field] = _last(params, name)
    if 'ip' in given:
        result.ip = _regex(params, 'ip')
    if 'ip6' in given:
        result.ip6 = _regex(params, 'ip6')
    if 'reservation_id' in given:
        result.reservation_id = _last(params, 'reservation_id')
    for name in TAG_PARAMS:
        if name in given:
            result.tags[name] = [tag for tag in _last(params, name).split(',') if tag]
    if 'changes-since' in given:
        result.changes_since = _time(params, 'changes-since')
    if 'changes-before' in given:
        result.changes_before = _time(params, 'changes-before')
    if (result.changes_since and result.changes_before
            and result.changes_since > result.changes_before):
        raise exception.InvalidInput(field='changes-since',
                                     reason='changes-since is later than changes-before')
    if 'locked' in given:
        result.locked = query.parse_bool(_last(params, 'locked'), 'locked',
                                         query.BooleanSyntax())
