"""The resize, confirmResize, revertResize and rebuild bodies of ``POST /servers/{id}/action``.

Dispatched from :mod:`nova_lite.compute.rest.server_actions` once the
envelope and the policy were checked; each body is checked again with its
own microversion's schema (:mod:`.resize_bodies`), then handed to
:class:`nova_lite.compute.resize_api.ResizeActions`.
"""

from __future__ import annotations

import secrets
from typing import Any

import webob

from nova_lite.api import validation, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import base, resize_bodies, versioned_views, views
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import api_version
from nova_lite.compute.rest.policies import SERVERS_HOST_ATTRIBUTES

ACTIONS = frozenset({'resize', 'confirmResize', 'revertResize', 'rebuild'})


def act(rest: base.ComputeRest, req: wsgi.Request, name: str, instance: dict[str, Any],
        body: dict[str, Any]) -> webob.Response:
    """Run the action ``name`` (one of :data:`ACTIONS`) of ``body`` on ``instance``."""
    resizes = rest.resizes
    if resizes is None:
        raise exception.Conflict(reason='this compute API resizes and rebuilds nothing')
    ctx = req.context
    if name == 'resize':
        validation.validate(resize_bodies.resize, body)
        resizes.resize(ctx, instance['id'], body['resize']['flavorRef'],
                       body['resize'].get('OS-DCF:diskConfig'))
        return wsgi.json_response(202)
    if name == 'confirmResize':
        validation.validate(resize_bodies.confirm_resize, body)
        resizes.confirm_resize(ctx, instance['id'])
        return wsgi.json_response(204)
    if name == 'revertResize':
        validation.validate(resize_bodies.revert_resize, body)
        resizes.revert_resize(ctx, instance['id'])
        return wsgi.json_response(202)
    version = api_version(req)
    validation.validate(resize_bodies.rebuild(version), body)
    args = body['rebuild']
    rebuilt = resizes.rebuild(ctx, instance['id'], args)
    show_host = rest.authorizer.allowed(ctx, SERVERS_HOST_ATTRIBUTES,
                                        project_id=rebuilt['project_id'])
    volume_ids = [a['volume_id'] for a in
                  rest.services.volumes.list_attachments(ctx, instance_id=rebuilt['id'])]
    detail = versioned_views.server(
        views.server_detail(rebuilt, rest.links, volume_ids=volume_ids, show_host=show_host),
        rebuilt, version, show_host=show_host, show=True)
    if version >= changes.REBUILD_FULL_BODY:
        # As GET shows it, but its user_data is the top-level one (2.57).
        server = {key: value for key, value in detail.items()
                  if key != 'OS-EXT-SRV-ATTR:user_data'}
        server['server_groups'] = rest.services.server_groups.group_ids_of(rebuilt['id'])
    else:
        server = versioned_views.server_update(detail, version)
    if version >= changes.REBUILD_KEY_NAME:
        server['key_name'] = rebuilt['key_name']
    if version >= changes.REBUILD_USER_DATA:
        server['user_data'] = (rebuilt.get('build_request') or {}).get('user_data')
    server['adminPass'] = args.get('adminPass') or secrets.token_urlsafe(9)
    return wsgi.json_response(202, {'server': server})
