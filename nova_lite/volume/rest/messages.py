"""``/v3/{project_id}/messages`` (microversion 3.3): list, show and delete user messages.

The volume manager records a message when a request fails where the caller
cannot see why (see :mod:`nova_lite.volume.messages`); a project sees its own
messages, an admin everyone's.
"""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import routing, wsgi
from nova_lite.volume.rest import policies, scope, versions
from nova_lite.volume.rest import version_changes as changes

COLLECTION = '/messages'


class MessagesController(scope.VolumeController):
    """User messages through the volume manager's message store."""

    def __init__(self, services: scope.VolumeServices, authorizer: Any,
                 public_url: str) -> None:
        super().__init__(services, authorizer)
        self._base = f'{public_url.rstrip("/")}/v3'

    def _view(self, project_id: str, message: dict[str, Any]) -> dict[str, Any]:
        href = f'{self._base}/{project_id}{COLLECTION}/{message["id"]}'
        return {**message, 'links': [
            {'rel': 'self', 'href': href},
            {'rel': 'bookmark', 'href': href.replace('/v3/', '/', 1)}]}

    def index(self, req: wsgi.Request, project_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.MESSAGE_GET_ALL)
        found = self._services.volumes.messages.list_messages(ctx)
        return wsgi.json_response(200, {'messages': [self._view(project_id, message)
                                                     for message in found]})

    def show(self, req: wsgi.Request, project_id: str, message_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.MESSAGE_GET)
        found = self._services.volumes.messages.get(ctx, message_id)
        return wsgi.json_response(200, {'message': self._view(project_id, found)})

    def delete(self, req: wsgi.Request, project_id: str, message_id: str) -> webob.Response:
        ctx = self._context(req, project_id, policies.MESSAGE_DELETE)
        self._services.volumes.messages.delete(ctx, message_id)
        return wsgi.json_response(204)


def routes(messages: MessagesController) -> list[routing.Route]:
    return [(method, path, versions.since(changes.USER_MESSAGES, handler))
            for method, path, handler in routing.crud(COLLECTION, 'message_id', messages)]
