"""Flavor extra specs: the key/value pairs on a flavor, checked as Nova checks them.

Every key is 1-255 characters of letters, digits and ``-_:. ``; every value
at most 255 characters (numbers and booleans are stored as strings). From
microversion 2.86 the keys of namespaces nova_lite knows the meaning of are
checked too (:func:`validate_known`); other namespaces are free-form.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from nova_lite.common import exception
from nova_lite.db import api as db_api
from nova_lite.db.models import compute as models

KEY_PATTERN = '^[a-zA-Z0-9-_:. ]{1,255}$'
VALUE_MAX = 255

_KEY_RE = re.compile(KEY_PATTERN)
Check = Callable[[str], bool]


def _choice(*values: str) -> Check:
    return lambda value: value in values


def _integer(minimum: int = 0) -> Check:
    return lambda value: value.lstrip('-').isdigit() and int(value) >= minimum


def _boolean(value: str) -> bool:
    return value.lower() in ('true', 'false', '1', '0', 'yes', 'no', 'on', 'off')


# The keys (exact, or a pattern) whose values 2.86 checks, by namespace.
_KNOWN: dict[str, Check] = {
    'hw:cpu_policy': _choice('shared', 'dedicated', 'mixed'),
    'hw:cpu_thread_policy': _choice('prefer', 'isolate', 'require'),
    'hw:numa_nodes': _integer(1),
    'hw:mem_page_size': lambda v: (v in ('small', 'large', 'any')
                                   or _integer(1)(v.rstrip('KMGkmgBb'))),
    'hw:cpu_sockets': _integer(1), 'hw:cpu_cores': _integer(1), 'hw:cpu_threads': _integer(1),
    'hw:cpu_max_sockets': _integer(1), 'hw:cpu_max_cores': _integer(1),
    'hw:cpu_max_threads': _integer(1),
    'hw:watchdog_action': _choice('none', 'pause', 'poweroff', 'reset', 'disabled'),
    'hw:boot_menu': _boolean, 'hw:hide_hypervisor_id': _boolean,
    'hw_rng:allowed': _boolean, 'hw_rng:rate_bytes': _integer(0),
    'hw_rng:rate_period': _integer(0), 'hw_video:ram_max_mb': _integer(0),
}
_PATTERNS: tuple[tuple[re.Pattern[str], Check], ...] = (
    (re.compile(r'^quota:[a-z_]+$'), _integer(0)),
    (re.compile(r'^resources[0-9_A-Za-z]*:[A-Z0-9_]+$'), _integer(0)),
    (re.compile(r'^trait[0-9_A-Za-z]*:[A-Z0-9_]+$'), _choice('required', 'forbidden')),
    (re.compile(r'^hw:numa_(cpus|mem)\.[0-9]+$'), lambda v: bool(v)),
)
# Namespaces whose every key must be one nova_lite knows (typos are refused).
_CLOSED_NAMESPACES = ('hw_rng', 'hw_video', 'quota', 'resources', 'trait')


def validate_basic(specs: Mapping[str, Any]) -> dict[str, str]:
    """Keys and values as every microversion checks them; the values as strings."""
    checked: dict[str, str] = {}
    for key, value in specs.items():
        if not isinstance(key, str) or not _KEY_RE.match(key):
            raise exception.InvalidInput(
                field='extra_specs', reason=f'key {key!r} must be 1-255 characters of '
                                            "letters, digits and '-_:. '")
        if isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str | int | float):
            raise exception.InvalidInput(field=f'extra_specs.{key}',
                                         reason='must be a string, a number or a boolean')
        text = str(value)
        if len(text) > VALUE_MAX:
            raise exception.InvalidInput(field=f'extra_specs.{key}',
                                         reason=f'must be at most {VALUE_MAX} characters')
        checked[key] = text
    return checked


def validate_known(specs: Mapping[str, str]) -> None:
    """2.86: the values of known keys, and no unknown key in a closed namespace."""
    for key, value in specs.items():
        check = _KNOWN.get(key)
        if check is None:
            check = next((c for pattern, c in _PATTERNS if pattern.match(key)), None)
        namespace = key.split(':', 1)[0] if ':' in key else ''
        base_namespace = re.sub(r'[0-9_]*$', '', namespace) if namespace.startswith(
            ('resources', 'trait')) else namespace
        if check is None:
            if base_namespace in _CLOSED_NAMESPACES:
                raise exception.InvalidInput(field=f'extra_specs.{key}',
                                             reason='unknown key in a known namespace')
            continue
        if not check(value):
            raise exception.InvalidInput(field=f'extra_specs.{key}',
                                         reason=f'invalid value {value!r}')


class FlavorExtraSpecsStore:
    """Reads and changes the extra specs of a flavor (its ``extra_specs`` column)."""

    def __init__(self, db: db_api.Database) -> None:
        self._db = db

    def _flavor(self, session: Any, flavor_id: str) -> models.Flavor:
        row: models.Flavor | None = session.get(models.Flavor, str(flavor_id))
        if row is None or row.disabled:
            raise exception.NotFound(resource='Flavor', id=flavor_id)
        return row

    def get_all(self, flavor_id: str) -> dict[str, str]:
        with self._db.reader() as session:
            return dict(self._flavor(session, flavor_id).extra_specs or {})

    def get(self, flavor_id: str, key: str) -> str:
        specs = self.get_all(flavor_id)
        if key not in specs:
            raise self._key_not_found(flavor_id, key)
        return specs[key]

    @staticmethod
    def _key_not_found(flavor_id: str, key: str) -> exception.NotFound:
        return exception.NotFound(message=f'Flavor {flavor_id} has no extra specs with '
                                          f'key {key}.')

    def update(self, flavor_id: str, specs: Mapping[str, str]) -> dict[str, str]:
        """Set (add or replace) the given keys; the flavor's specs after."""
        with self._db.session() as session:
            row = self._flavor(session, flavor_id)
            row.extra_specs = {**(row.extra_specs or {}), **specs}
            session.flush()
            return dict(row.extra_specs)

    def delete(self, flavor_id: str, key: str) -> None:
        with self._db.session() as session:
            row = self._flavor(session, flavor_id)
            specs = dict(row.extra_specs or {})
            if key not in specs:
                raise self._key_not_found(flavor_id, key)
            del specs[key]
            row.extra_specs = specs
