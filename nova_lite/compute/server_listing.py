"""Run a :class:`~nova_lite.compute.server_filters.ServerListQuery` against the instances.

Filters on columns (project, name, status, image, flavor, host, times, the
admin's exact filters) run in the database query. When the query also needs
what instances keep as JSON (addresses for ``ip``/``ip6``, the build request's
reservation id, tags and lock) or an order other than the default, the
matching instances are read, filtered and sorted here, then paged in memory;
otherwise the database pages them too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from nova_lite.api import paging
from nova_lite.common import exception
from nova_lite.compute import instance_store, server_status
from nova_lite.compute.server_filters import ServerListQuery
from nova_lite.db.models import compute as models

_COLUMNS = {'image_id': models.Instance.image_id, 'flavor_id': models.Instance.flavor_id,
            'host': models.Instance.host, 'user_id': models.Instance.user_id,
            'key_name': models.Instance.key_name, 'vm_state': models.Instance.vm_state,
            'task_state': models.Instance.task_state, 'id': models.Instance.id,
            'availability_zone': models.Instance.availability_zone}
_CHANGED_AT = sa.func.coalesce(models.Instance.updated_at, models.Instance.created_at)


def _build(instance: dict[str, Any], key: str, default: Any = None) -> Any:
    return (instance.get('build_request') or {}).get(key, default)


def is_locked(instance: dict[str, Any]) -> bool:
    """Whether the instance is locked (the lock action records who locked it)."""
    return bool(instance.get('locked_by'))


# sort_key -> the value of an instance it sorts by.
_SORT_VALUES: dict[str, Callable[[dict[str, Any]], Any]] = {
    'access_ip_v4': lambda i: _build(i, 'access_ip_v4', ''),
    'access_ip_v6': lambda i: _build(i, 'access_ip_v6', ''),
    'auto_disk_config': lambda i: _build(i, 'disk_config') == 'AUTO',
    'availability_zone': lambda i: i['availability_zone'],
    'config_drive': lambda i: '',
    'created_at': lambda i: i['created_at'],
    'display_description': lambda i: _build(i, 'description'),
    'display_name': lambda i: i['name'],
    'host': lambda i: i['host'],
    'hostname': lambda i: i['name'].lower(),
    'image_ref': lambda i: i['image_id'],
    'instance_type_id': lambda i: i['flavor_id'],
    'kernel_id': lambda i: '',
    'key_name': lambda i: i['key_name'],
    'launch_index': lambda i: _build(i, 'launch_index', 0),
    'launched_at': lambda i: i['launched_at'],
    'locked': is_locked,
    'locked_by': lambda i: i.get('locked_by') or '',
    'node': lambda i: i['host'],
    'power_state': lambda i: i['power_state'],
    'progress': lambda i: 100 if i['status'] == 'ACTIVE' else 0,
    'project_id': lambda i: i['project_id'],
    'ramdisk_id': lambda i: '',
    'root_device_name': lambda i: None,
    'task_state': lambda i: i['task_state'],
    'terminated_at': lambda i: i['deleted_at'],
    'updated_at': lambda i: i['updated_at'],
    'user_id': lambda i: i['user_id'],
    'uuid': lambda i: i['id'],
    'vm_state': lambda i: i['vm_state'],
}


def _conditions(q: ServerListQuery) -> list[sa.ColumnElement[bool]]:
    conditions: list[sa.ColumnElement[bool]] = []
    for field, value in q.exact.items():
        conditions.append(_COLUMNS[field] == value if field in _COLUMNS
                          else _power_state(value))
    if q.statuses is not None:
        conditions.append(sa.or_(*[server_status.status_condition(status)
                                   for status in q.statuses]))
    if q.changes_since is not None:
        conditions.append(_CHANGED_AT >= q.changes_since)
    if q.changes_before is not None:
        conditions.append(_CHANGED_AT <= q.changes_before)
    return conditions


def _power_state(value: str) -> sa.ColumnElement[bool]:
    try:
        return models.Instance.power_state == int(value)
    except ValueError:
        raise exception.InvalidInput(field='power_state', reason='not an integer') from None


def _addresses(instance: dict[str, Any]) -> list[str]:
    return [fixed['ip_address'] for vif in instance['network_info']
            for fixed in vif.get('fixed_ips') or [] if fixed.get('ip_address')]


def _matches(q: ServerListQuery, instance: dict[str, Any]) -> bool:
    if q.ip is not None or q.ip6 is not None:
        addresses = _addresses(instance)
        if q.ip is not None and not any(q.ip.match(a) for a in addresses):
            return False
        if q.ip6 is not None and not any(
                q.ip6.match(a) for a in addresses if ipaddress.ip_address(a).version == 6):
            return False
    if q.reservation_id is not None and _build(instance, 'reservation_id') != q.reservation_id:
        return False
    if q.locked is not None and is_locked(instance) != q.locked:
        return False
    return _tags_match(q.tags, set(_build(instance, 'tags') or []))


def _tags_match(wanted: dict[str, list[str]], tags: set[str]) -> bool:
    if 'tags' in wanted and not set(wanted['tags']) <= tags:
        return False
    if 'tags-any' in wanted and not set(wanted['tags-any']) & tags:
        return False
    if 'not-tags' in wanted and wanted['not-tags'] and set(wanted['not-tags']) <= tags:
        return False
    return not ('not-tags-any' in wanted and set(wanted['not-tags-any']) & tags)


def _sorted(instances: list[dict[str, Any]], order: list[tuple[str, str]],
            ) -> list[dict[str, Any]]:
    """Sorted by each key in turn (None first ascending, last descending)."""
    result = list(instances)
    for key, direction in reversed(order):  # stable sorts: the last key first
        result.sort(key=_none_first(_SORT_VALUES[key]), reverse=direction == 'desc')
    return result


def _none_first(value_of: Callable[[dict[str, Any]], Any],
                ) -> Callable[[dict[str, Any]], tuple[int, Any]]:
    def key(instance: dict[str, Any]) -> tuple[int, Any]:
        value = value_of(instance)
        return (0, 0) if value is None else (1, value)
    return key


def list_page(instances: instance_store.InstanceStore, q: ServerListQuery,
              request: paging.PageRequest) -> paging.Page[dict[str, Any]]:
    """The page of servers ``q`` and ``request`` ask for."""
    if q.statuses == []:
        return paging.Page([])
    include_deleted = q.changes_since is not None or q.changes_before is not None
    conditions = _conditions(q)
    if not q.in_python:
        return instances.page(project_id=q.project_id, name_pattern=q.name,
                              conditions=conditions, include_deleted=include_deleted,
                              request=request)
    everything = instances.page(project_id=q.project_id, name_pattern=q.name,
                                conditions=conditions, include_deleted=include_deleted).items
    kept = [instance for instance in everything if _matches(q, instance)]
    return paging.paginate(_sorted(kept, q.sort), request)
