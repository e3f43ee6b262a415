"""Time helpers: every timestamp nova_lite stores is naive UTC."""

import datetime


def utcnow() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def isotime(value: datetime.datetime | None) -> str | None:
    """ISO 8601 with a Z, as OpenStack APIs print times."""
    if value is None:
        return None
    return value.replace(microsecond=0).isoformat() + 'Z'
