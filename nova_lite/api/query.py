"""Query-string parsing: booleans and integers with oslo.utils, each 400 naming its field.

The OpenStack APIs spell booleans differently in their query strings, so each
API passes its :class:`BooleanSyntax`:

* compute (nova): every oslo.utils spelling (``1/true/yes/on/t/y`` and their
  opposites), a present but empty value (``?all_tenants``) is true;
* network (neutron): ``true``, ``false``, ``1`` or ``0``, any case;
* image (glance): ``true`` or ``false``;
* block storage (cinder): oslo.utils' lenient reading, anything else is false;
* identity (keystone) flags: present means true unless it is an explicit false.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, cast

from oslo_utils import strutils
from webob import multidict

from nova_lite.common import exception


@dataclasses.dataclass(frozen=True)
class BooleanSyntax:
    """How one API spells a boolean in its query string."""

    spellings: frozenset[str] | None = None
    """Lower-case texts read by oslo.utils; None: every spelling it knows."""
    empty: bool | None = None
    """What a present but empty value means; None: a 400."""
    other: bool | None = None
    """What any other text means; None: a 400 naming the parameter."""


NOVA_BOOLEAN = BooleanSyntax(empty=True)
NEUTRON_BOOLEAN = BooleanSyntax(spellings=frozenset({'true', 'false', '1', '0'}))
GLANCE_BOOLEAN = BooleanSyntax(spellings=frozenset({'true', 'false'}))
CINDER_BOOLEAN = BooleanSyntax(empty=False, other=False)
KEYSTONE_FLAG = BooleanSyntax(spellings=frozenset({'0', 'false', 'no', 'off'}), empty=True,
                              other=True)
KEYSTONE_FILTER = NEUTRON_BOOLEAN


def parse_bool(value: str, field: str, syntax: BooleanSyntax) -> bool:
    """``value`` read with ``syntax``; InvalidInput (400) naming ``field`` otherwise."""
    text = value.strip().lower()
    if not text and syntax.empty is not None:
        return syntax.empty
    known = syntax.spellings is None or text in syntax.spellings
    if known:
        try:
            return strutils.bool_from_string(text, strict=True)
        except ValueError:
            pass
    if syntax.other is not None:
        return syntax.other
    accepted = ', '.join(sorted(syntax.spellings or strutils.TRUE_STRINGS
                                + strutils.FALSE_STRINGS))
    raise exception.InvalidInput(field=field, reason=f'must be a boolean ({accepted})')


def flag(params: Any, name: str, syntax: BooleanSyntax, default: bool = False) -> bool:
    """The boolean parameter ``name`` (its last value), ``default`` when absent."""
    if name not in params:
        return default
    values = params.getall(name) if hasattr(params, 'getall') else [params[name]]
    return parse_bool(values[-1], name, syntax)


def parse_int(value: str, field: str, *, minimum: int | None = None,
              maximum: int | None = None) -> int:
    """``value`` as an integer within the bounds; InvalidInput (400) naming ``field``."""
    try:
        # validate_integer reads text too (its annotation names int only).
        return strutils.validate_integer(cast(int, value.strip()), field, minimum, maximum)
    except ValueError as exc:
        raise exception.InvalidInput(field=field, reason=str(exc)[:200]) from None


def decoded(req: Any) -> multidict.MultiDict:
    """The request's query parameters; 400 when the query string is not UTF-8."""
    try:
        return multidict.MultiDict(req.GET.items())
    except UnicodeDecodeError:
        raise exception.InvalidInput(field='<query>',
                                     reason='the query string is not valid UTF-8') from None


def last_values(req: Any, names: Iterable[str] | None = None) -> dict[str, str]:
    """The last value of each (known, when ``names`` is given) repeated parameter."""
    params = decoded(req)
    wanted = params.keys() if names is None else names
    return {name: params.getall(name)[-1] for name in wanted if name in params}
