"""Neutron's error type names for nova_lite's errors.

The router names a fault after the exception's class; neutron's clients show
that name (``NeutronError.type``), so the handlers re-raise nova_lite's
generic errors as the subclasses below, named as neutron names them.
"""

from __future__ import annotations

import functools
from typing import Any

import webob

from nova_lite.api import wsgi
from nova_lite.common import exception


class NetworkNotFound(exception.NotFound):
    pass


class SubnetNotFound(exception.NotFound):
    pass


class PortNotFound(exception.NotFound):
    pass


class SecurityGroupNotFound(exception.NotFound):
    pass


class SecurityGroupRuleNotFound(exception.NotFound):
    pass


class RouterNotFound(exception.NotFound):
    pass


class FloatingIPNotFound(exception.NotFound):
    pass


class AgentNotFound(exception.NotFound):
    pass


class TagNotFound(exception.NotFound):
    msg_fmt = 'Tag %(id)s could not be found.'
class RbacPolicyNotFound(exception.NotFound):
    pass


class ExtensionNotFound(exception.NotFound):
    msg_fmt = 'Extension with alias %(id)s does not exist.'


class NetworkInUse(exception.Conflict):
    pass


class SubnetInUse(exception.Conflict):
    pass


class IpAddressGenerationFailure(exception.Conflict):
    pass


class PolicyNotAuthorized(exception.Forbidden):
    pass


_NOT_FOUND: dict[str, type[exception.NotFound]] = {
    'Network': NetworkNotFound, 'Subnet': SubnetNotFound, 'Port': PortNotFound,
    'SecurityGroup': SecurityGroupNotFound,
    'SecurityGroupRule': SecurityGroupRuleNotFound,
    'Router': RouterNotFound, 'FloatingIP': FloatingIPNotFound,
    'Tag': TagNotFound,
    'RbacPolicy': RbacPolicyNotFound,
}


def neutron_named(exc: exception.NovaLiteError) -> exception.NovaLiteError:
    """``exc`` as the neutron-named error it stands for (itself if there is none)."""
    if type(exc) is exception.NotFound and exc.kwargs.get('resource') in _NOT_FOUND:
        return _NOT_FOUND[exc.kwargs['resource']](exc.message, **exc.kwargs)
    if isinstance(exc, exception.IpAddressExhausted):
        return IpAddressGenerationFailure(exc.message, **exc.kwargs)
    if type(exc) is exception.Forbidden:
        return PolicyNotAuthorized(exc.message, **exc.kwargs)
    return exc


def neutron_errors(handler: wsgi.Handler) -> wsgi.Handler:
    """Wrap a route handler so that its errors carry neutron's type names."""

    @functools.wraps(handler)
    def wrapped(req: wsgi.Request, **path_vars: Any) -> webob.Response:
        try:
            return handler(req, **path_vars)
        except exception.NovaLiteError as exc:
            named = neutron_named(exc)
            if named is exc:
                raise
            raise named from exc

    return wrapped
