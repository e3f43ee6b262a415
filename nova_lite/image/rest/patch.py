"""Glance's JSON-patch dialect for ``PATCH /v2/images/{id}``.

Media type ``application/openstack-images-v2.1-json-patch``: a JSON list of
``{"op": "add"|"replace"|"remove", "path": "/<property>", "value": ...}``; the
older ``application/openstack-images-v2.0-json-patch`` names the operation by
its key instead: ``{"replace": "/<property>", "value": ...}``.
Paths name one top-level property (JSON-pointer escapes ``~0`` and ``~1``
allowed). As in glance: core properties can be set but not removed (403),
read-only ones cannot be touched (403), replacing or removing an extra
property that does not exist is a conflict (409), ``add`` on an existing
property replaces it, and the ``os_glance_*`` namespace is reserved (403).

:func:`changes_for` applies the operations to a copy of the image and returns
only what changed, in the keyword form ``ImageManager.update_image`` takes
(None removes an extra property).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from oslo_config import cfg

from nova_lite.api import validation
from nova_lite.common import exception
from nova_lite.image import manager
from nova_lite.image.rest import schemas_doc

MEDIA_TYPE = 'application/openstack-images-v2.1-json-patch'
OLD_MEDIA_TYPE = 'application/openstack-images-v2.0-json-patch'
MEDIA_TYPES = (MEDIA_TYPE, OLD_MEDIA_TYPE)
OPERATIONS = ('add', 'replace', 'remove')
MAX_OPERATIONS = 256

_OPERATION_SCHEMA: dict[str, Any] = {
    'type': 'object',
    'properties': {
        'op': {'type': 'string', 'enum': list(OPERATIONS)},
        'path': {'type': 'string', 'minLength': 2, 'maxLength': 2 * 255 + 1,
                 'pattern': '^/[^/]+$'},
    },
    'required': ['op', 'path'],
}


@dataclasses.dataclass(frozen=True)
class Operation:
    """One parsed operation: ``name`` is the unescaped property name."""

    op: str
    name: str
    value: Any = None


def _unescape(segment: str) -> str:
    return segment.replace('~1', '/').replace('~0', '~')


def _from_old_dialect(index: int, item: Any) -> Any:
    """A v2.0 operation (``{"<op>": "<path>", ...}``) in the v2.1 form."""
    if not isinstance(item, dict):
        return item
    named = [op for op in OPERATIONS if op in item]
    if len(named) != 1:
        raise exception.InvalidInput(
            field=f'[{index}]', reason='an operation has exactly one of the members '
                                       f'{", ".join(OPERATIONS)}')
    converted = {'op': named[0], 'path': item[named[0]]}
    if 'value' in item:
        converted['value'] = item['value']
    return converted


def parse(body: Any, media_type: str = MEDIA_TYPE) -> list[Operation]:
    """The operations of a patch document; InvalidInput naming the bad one."""
    if not isinstance(body, list):
        raise exception.InvalidInput(field='<body>', reason='a JSON-patch document is a list '
                                                            'of operations')
    if len(body) > MAX_OPERATIONS:
        raise exception.InvalidInput(field='<body>',
                                     reason=f'at most {MAX_OPERATIONS} operations')
    operations: list[Operation] = []
    for index, item in enumerate(body):
        if media_type == OLD_MEDIA_TYPE:
            item = _from_old_dialect(index, item)
        try:
            validation.validate(_OPERATION_SCHEMA, item)
        except exception.InvalidInput as exc:
            field = exc.kwargs.get('field', '<body>')
            where = f'[{index}]' if field == '<body>' else f'[{index}].{field}'
            raise exception.InvalidInput(field=where, reason=exc.kwargs.get('reason', '')) \
                from None
        name = _unescape(item['path'][1:])
        if not 0 < len(name) <= schemas_doc.MAX_PROPERTY_NAME:
            raise exception.InvalidInput(field=f'[{index}].path',
                                         reason='property names are 1-255 characters')
        if item['op'] != 'remove' and 'value' not in item:
            raise exception.InvalidInput(field=f'[{index}].value',
                                         reason=f"'{item['op']}' needs a value")
        operations.append(Operation(item['op'], name, item.get('value')))
    return operations


def _check_value(conf: cfg.ConfigOpts, name: str, value: Any) -> None:
    validation.validate({'type': 'object',
                         'properties': {name: schemas_doc.value_schema(conf, name)}},
                        {name: value})


def _apply(conf: cfg.ConfigOpts, working: dict[str, Any], operation: Operation) -> None:
    name = operation.name
    if manager.is_reserved(name):
        raise exception.Forbidden(f"Attribute '{name}' is reserved.")
    if name in schemas_doc.READ_ONLY_AFTER_CREATE:
        raise exception.Forbidden(f"Attribute '{name}' is read-only.")
    core = name in manager.UPDATABLE_FIELDS
    if operation.op == 'remove':
        if core:
            raise exception.Forbidden(f"Property '{name}' cannot be removed.")
        if name not in working:
            raise exception.Conflict(reason=f"property '{name}' does not exist")
        del working[name]
        return
    if operation.op == 'replace' and not core and name not in working:
        raise exception.Conflict(reason=f"property '{name}' does not exist")
    _check_value(conf, name, operation.value)
    working[name] = operation.value


def changes_for(conf: cfg.ConfigOpts, image: dict[str, Any],
                operations: list[Operation]) -> dict[str, Any]:
    """What the operations change in ``image``: core values and extras (None = removed)."""
    working = dict(image)
    for operation in operations:
        _apply(conf, working, operation)
    changes: dict[str, Any] = {}
    for name in set(image) | set(working):
        if name in schemas_doc.READ_ONLY_AFTER_CREATE:
            continue
        before, after = image.get(name), working.get(name)
        if name not in working:
            changes[name] = None
        elif name not in image or before != after:
            changes[name] = after
    return changes
