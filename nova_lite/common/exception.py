"""Exceptions shared by every service.

Each exception carries the HTTP status the REST layer answers with, so a
client error is always a 4xx naming what was wrong, never a 500.
"""

from typing import Any


class NovaLiteError(Exception):
    """Base of every nova_lite error. ``msg_fmt`` is filled from kwargs."""

    msg_fmt = 'An unknown error occurred.'
    code = 500

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        self.kwargs = kwargs
        if message is None:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError):
                message = self.msg_fmt
        self.message = message
        super().__init__(message)


class Invalid(NovaLiteError):
    msg_fmt = 'Invalid input: %(reason)s'
    code = 400


class InvalidInput(Invalid):
    """A named field has a bad value."""

    msg_fmt = "Invalid value for '%(field)s': %(reason)s"


class NotAuthorized(NovaLiteError):
    msg_fmt = 'The request you have made requires authentication.'
    code = 401


class TokenInvalid(NotAuthorized):
    msg_fmt = 'The token is invalid: %(reason)s'


class Forbidden(NovaLiteError):
    msg_fmt = 'You are not authorized to perform this action.'
    code = 403


class NotFound(NovaLiteError):
    msg_fmt = '%(resource)s %(id)s could not be found.'
    code = 404


class Conflict(NovaLiteError):
    msg_fmt = 'Conflict: %(reason)s'
    code = 409


class InvalidState(Conflict):
    msg_fmt = '%(resource)s %(id)s is %(state)s; %(action)s needs %(needed)s.'


class Duplicate(Conflict):
    msg_fmt = '%(resource)s named %(name)s already exists.'


class OverLimit(NovaLiteError):
    msg_fmt = 'Over limit: %(reason)s'
    code = 413


class IpAddressExhausted(Conflict):
    msg_fmt = 'No more IP addresses available on network %(network_id)s.'


class NoValidHost(NovaLiteError):
    msg_fmt = 'No valid host was found. %(reason)s'
    code = 500


class ClaimFailed(NovaLiteError):
    msg_fmt = 'Claim on host %(host)s failed: %(reason)s'
    code = 409


class ImageCorrupt(NovaLiteError):
    msg_fmt = 'Image %(image_id)s failed verification: %(reason)s'
    code = 500


class VirtDriverError(NovaLiteError):
    msg_fmt = 'Hypervisor error on %(host)s: %(reason)s'
    code = 500


class RetryableBuildError(NovaLiteError):
    """A failure that another host may not have (spawn failed on this host)."""

    msg_fmt = 'Build of instance %(instance_id)s failed on %(host)s: %(reason)s'
    code = 500


class ConductorKeysMissing(NovaLiteError):
    """The conductors' token key repository is not set up."""

    msg_fmt = ('Conductor key repository %(path)s ([conductor] token_key_repository) has '
               '%(problem)s; run "nova-lite-manage conductor-keys setup".')
    code = 500


class SealedTokenInvalid(NovaLiteError):
    """A sealed token that none of the conductors' keys opens."""

    msg_fmt = ('The saved token of this boot cannot be unsealed: %(reason)s. The '
               'conductors\' keys ([conductor] token_key_repository) may differ between '
               'conductors, or its key was rotated out.')
    code = 500
