"""Neutron's ``If-Match: revision_number=N`` on PUT and DELETE (revision-if-match).

The handler runs with the resource of its path constrained to revision N; the
manager compares inside its transaction (:mod:`nova_lite.network.revisions`)
and a mismatch is a 412 ``RevisionNumberConstraintFailed``. Other entity tags
in the header are ignored, as neutron ignores them.
"""

from __future__ import annotations

import functools
from typing import Any

import webob

from nova_lite.api import wsgi
from nova_lite.common import exception
from nova_lite.network import revisions
from nova_lite.network.rest import errors

_PREFIX = 'revision_number='


def requested_revision(req: wsgi.Request) -> int | None:
    """N of the ``revision_number=N`` entity tag of ``If-Match`` (None without one);
    400 naming ``If-Match`` when it is not an integer or given twice."""
    found: int | None = None
    for tag in getattr(req.if_match, 'etags', []):
        if not tag.startswith(_PREFIX):
            continue
        if found is not None:
            raise exception.InvalidInput(
                'Multiple revision_number etags are not supported.', field='If-Match',
                reason='give one revision_number')
        try:
            found = int(tag[len(_PREFIX):])
        except ValueError:
            raise exception.InvalidInput(
                'Revision number etag must be in the format of revision_number=<int>',
                field='If-Match', reason='must be revision_number=<int>') from None
    return found


def constrained(handler: wsgi.Handler) -> wsgi.Handler:
    """Run a PUT or DELETE handler under the If-Match constraint of its path's id."""

    @functools.wraps(handler)
    def wrapped(req: wsgi.Request, **path_vars: Any) -> webob.Response:
        if req.method not in ('PUT', 'DELETE') or not path_vars:
            return handler(req, **path_vars)
        resource_id = str(list(path_vars.values())[0])
        with revisions.if_match(resource_id, requested_revision(req)):
            return handler(req, **path_vars)

    return wrapped


def neutron_handler(handler: wsgi.Handler) -> wsgi.Handler:
    """:func:`constrained` inside :func:`errors.neutron_errors`: every resource route."""
    return errors.neutron_errors(constrained(handler))
