"""JSON-schema validation of request bodies: a bad body is a 400 naming the field."""

from __future__ import annotations

from typing import Any

import jsonschema

from nova_lite.common import exception

UUID_PATTERN = ('^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?'
                '[0-9a-fA-F]{12}$')

_FORMAT_CHECKER = jsonschema.FormatChecker()


def _field_of(error: jsonschema.ValidationError) -> str:
    path = [str(p) for p in error.absolute_path]
    if error.validator == 'required' and isinstance(error.validator_value, list):
        for name in error.validator_value:
            if isinstance(error.instance, dict) and name not in error.instance:
                path.append(name)
                break
    if error.validator == 'additionalProperties' and isinstance(error.instance, dict):
        extra = sorted(set(error.instance) - set(error.schema.get('properties', {})))
        if extra:
            path.append(extra[0])
    return '.'.join(path) or '<body>'


def validate(schema: dict[str, Any], body: Any) -> None:
    """Raise InvalidInput naming the first offending field of ``body``."""
    validator = jsonschema.Draft202012Validator(schema, format_checker=_FORMAT_CHECKER)
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        raise exception.InvalidInput(field=_field_of(error), reason=error.message[:200])
