"""Images as nova's pre-2.36 image proxy prints them, from glance v2 image bodies.

Glance's flat v2 body (core fields and extra properties side by side) becomes
nova's image: its status in nova's words, a progress, ``minRam``/``minDisk``,
the extra properties as ``metadata`` and, for a server snapshot (an
``instance_uuid`` property), the ``server`` it was taken from.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from oslo_utils import timeutils

from nova_lite.common import exception
from nova_lite.compute.rest import views

# Glance's own fields (and its reserved os_glance* names): never image metadata.
CORE_FIELDS = frozenset({
    'id', 'name', 'status', 'disk_format', 'container_format', 'visibility', 'size',
    'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'min_disk', 'min_ram',
    'protected', 'owner', 'tags', 'created_at', 'updated_at', 'os_hidden', 'file', 'self',
    'schema', 'location', 'locations', 'direct_url', 'deleted', 'deleted_at', 'stores'})
RESERVED_PREFIX = 'os_glance'

# Glance status -> nova's (anything else is UNKNOWN), and the progress nova shows.
_STATUS = {'queued': 'SAVING', 'saving': 'SAVING', 'uploading': 'SAVING',
           'importing': 'SAVING', 'active': 'ACTIVE', 'killed': 'ERROR',
           'deactivated': 'ERROR', 'deleted': 'DELETED', 'pending_delete': 'DELETED'}
_PROGRESS = {'queued': 25, 'saving': 50, 'uploading': 50, 'importing': 50, 'active': 100}


def metadata(image: Mapping[str, Any]) -> dict[str, Any]:
    """The image's extra properties (nova's image metadata)."""
    return {key: value for key, value in image.items()
            if key not in CORE_FIELDS and not key.startswith(RESERVED_PREFIX)}


def status(image: Mapping[str, Any]) -> str:
    return _STATUS.get(str(image.get('status')), 'UNKNOWN')


def _time(value: Any) -> str | None:
    if not value:
        return None
    parsed = timeutils.parse_isotime(str(value))
    return timeutils.normalize_time(parsed).strftime('%Y-%m-%dT%H:%M:%SZ')


def brief(image: Mapping[str, Any], links: views.Links) -> dict[str, Any]:
    return {'id': image['id'], 'name': image.get('name'),
            'links': links.of('images', image['id'])}


def detail(image: Mapping[str, Any], links: views.Links) -> dict[str, Any]:
    props = metadata(image)
    body: dict[str, Any] = {
        **brief(image, links),
        'status': status(image),
        'progress': _PROGRESS.get(str(image.get('status')), 0),
        'minRam': int(image.get('min_ram') or 0),
        'minDisk': int(image.get('min_disk') or 0),
        'metadata': props,
        'created': _time(image.get('created_at')),
        'updated': _time(image.get('updated_at') or image.get('created_at')),
        'OS-EXT-IMG-SIZE:size': image.get('size'),
    }
    server_id = props.get('instance_uuid')
    if isinstance(server_id, str) and server_id:
        body['server'] = {'id': server_id, 'links': links.of('servers', server_id)}
    return body


def _changes_since(value: str) -> datetime.datetime:
    try:
        return timeutils.normalize_time(timeutils.parse_isotime(value))
    except ValueError:
        raise exception.InvalidInput(field='changes-since',
                                     reason=f'{value!r} is not an ISO 8601 time') from None


def _int(params: Mapping[str, str], name: str) -> int | None:
    if name not in params:
        return None
    try:
        return int(params[name])
    except ValueError:
        raise exception.InvalidInput(field=name, reason='must be an integer') from None


def matches(params: Mapping[str, str]) -> Callable[[Mapping[str, Any]], bool]:
    """A predicate over glance image bodies for nova's list filters (name, status,
    server, type, minRam, minDisk and changes-since)."""
    wanted_status = params.get('status', '').upper() or None
    server = params.get('server', '').rstrip('/').rsplit('/', 1)[-1] or None
    image_type = params.get('type') or None
    min_ram, min_disk = _int(params, 'minRam'), _int(params, 'minDisk')
    since = _changes_since(params['changes-since']) if 'changes-since' in params else None

    def match(image: Mapping[str, Any]) -> bool:
        if 'name' in params and image.get('name') != params['name']:
            return False
        if wanted_status is not None and status(image) != wanted_status:
            return False
        if server is not None and image.get('instance_uuid') != server:
            return False
        if image_type is not None and image.get('image_type') != image_type:
            return False
        if min_ram is not None and int(image.get('min_ram') or 0) < min_ram:
            return False
        if min_disk is not None and int(image.get('min_disk') or 0) < min_disk:
            return False
        if since is not None:
            updated = image.get('updated_at') or image.get('created_at')
            if not updated or timeutils.normalize_time(
                    timeutils.parse_isotime(str(updated))) < since:
                return False
        return True

    return match
