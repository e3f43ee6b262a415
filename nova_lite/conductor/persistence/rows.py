"""Conversion between TaskFlow's persistence models and table rows.

Every conversion goes through the models' own ``to_dict``/``from_dict`` so
that what is loaded back is what was saved (results, failures and retry
histories included). Rows are plain dicts keyed by column name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from taskflow.persistence import models
from taskflow.types import failure as ft

# Column value of atomdetails.atom_type for each TaskFlow atom detail class.
ATOM_TYPES: dict[type[models.AtomDetail], str] = {
    models.TaskDetail: 'TASK',
    models.RetryDetail: 'RETRY',
}
_ATOM_CLASSES = {kind: cls for cls, kind in ATOM_TYPES.items()}


def book_to_row(book: models.LogBook) -> dict[str, Any]:
    return book.to_dict()


def book_from_row(row: Mapping[Any, Any]) -> models.LogBook:
    return models.LogBook.from_dict(dict(row))


def flow_to_row(flow_detail: models.FlowDetail, book_uuid: str) -> dict[str, Any]:
    row = flow_detail.to_dict()
    row['parent_uuid'] = book_uuid
    return row


def flow_from_row(row: Mapping[Any, Any]) -> models.FlowDetail:
    return models.FlowDetail.from_dict(dict(row))


def _failure_dict(failure: ft.Failure | None) -> dict[str, Any] | None:
    """A failure as a dict; the exception args of it and of each of its causes kept
    only where they are JSON-able (a requests ConnectionError carries a urllib3
    ProtocolError, say, which no JSON column takes)."""
    if failure is None:
        return None
    data = failure.to_dict(include_args=False)
    try:
        json.dumps(failure.exception_args)
    except (TypeError, ValueError):
        pass
    else:
        data['exc_args'] = failure.exception_args
    data['causes'] = [_failure_dict(cause) for cause in failure.causes]
    return data


def atom_to_row(atom_detail: models.AtomDetail, flow_uuid: str) -> dict[str, Any]:
    try:
        atom_type = ATOM_TYPES[type(atom_detail)]
    except KeyError:
        raise TypeError(f'Unknown atom detail type {type(atom_detail).__name__}') from None
    row = atom_detail.to_dict()
    row['failure'] = _failure_dict(atom_detail.failure)
    row['revert_failure'] = _failure_dict(atom_detail.revert_failure)
    if atom_type == 'RETRY':
        row['results'] = [[data, {name: _failure_dict(failure)
                                  for name, failure in failures.items()}]
                          for data, failures in atom_detail.results or ()]
    if row['version'] is not None and not isinstance(row['version'], str):
        row['version'] = '.'.join(str(part) for part in row['version'])
    row['parent_uuid'] = flow_uuid
    row['atom_type'] = atom_type
    return row


def _retry_history(results: list[Any] | None) -> list[tuple[Any, dict[str, ft.Failure]]]:
    # RetryDetail.from_dict (taskflow 6.5) loses each attempt's data when
    # that attempt has failures (a loop variable is reused), so decode here.
    return [(data, {name: ft.Failure.from_dict(failure) for name, failure in failures.items()})
            for data, failures in results or ()]


def atom_from_row(row: Mapping[Any, Any]) -> models.AtomDetail:
    data = dict(row)
    cls = _ATOM_CLASSES[data.pop('atom_type')]
    if cls is models.RetryDetail:
        history = _retry_history(data.pop('results'))
        atom = cls.from_dict(data)
        atom.results = history
        return atom
    return cls.from_dict(data)
