"""``/servers/{id}/tags`` (2.26): a server's tags, listed, replaced, set and removed.

Tags are kept in the instance's build request (where ``POST /servers`` puts
them at 2.52); at most :data:`MAX_TAGS`, each 1-60 characters without ``/``
or ``,``. Changes need the server active or stopped with no task (409
otherwise), as metadata changes do. Below 2.26 these paths are 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import webob

from nova_lite.api import controller, routing, validation, wsgi
from nova_lite.common import exception
from nova_lite.compute.rest import base, policies, server_metadata
from nova_lite.compute.rest import version_changes as changes
from nova_lite.compute.rest.api_version import at_least

MAX_TAGS = 50
_TAG: dict[str, Any] = {'type': 'string', 'minLength': 1, 'maxLength': 60,
                        'pattern': '^[^,/]*$'}
tags_request: dict[str, Any] = {
    'type': 'object',
    'properties': {'tags': {'type': 'array', 'items': _TAG, 'maxItems': MAX_TAGS}},
    'required': ['tags'], 'additionalProperties': False,
}


def _check_tag(tag: str) -> None:
    validation.validate({'type': 'object', 'properties': {'tag': _TAG}}, {'tag': tag})


class ServerTagsHandler(base.ComputeController):
    def __init__(self, rest: base.ComputeRest) -> None:
        super().__init__(rest)
        self._api = rest.services.compute_api
        self._instances = rest.services.instances

    def routes(self) -> list[routing.Route]:
        path = '/servers/{server_id}/tags'
        return [
            ('GET', path, self.index),
            ('PUT', path, self.replace),
            ('DELETE', path, self.delete_all),
            ('GET', path + '/{tag}', self.show),
            ('PUT', path + '/{tag}', self.add),
            ('DELETE', path + '/{tag}', self.delete),
        ]

    def _server(self, req: wsgi.Request, server_id: str, rule: str) -> dict[str, Any]:
        if not at_least(req, changes.SERVER_TAGS):
            raise exception.NotFound(message='The resource could not be found.')
        instance = self._api.get_server(req.context, server_id)
        self.authorizer.authorize(req.context, rule, project_id=instance['project_id'])
        return instance

    @staticmethod
    def _tags(instance: dict[str, Any]) -> list[str]:
        return list((instance.get('build_request') or {}).get('tags') or [])

    def _change(self, req: wsgi.Request, server_id: str, rule: str,
                change: Callable[[list[str]], list[str]]) -> list[str]:
        """Apply ``change`` to the server's tags (under its row lock)."""
        instance = self._server(req, server_id, rule)

        def changed(build_request: dict[str, Any]) -> dict[str, Any]:
            tags = change(list(build_request.get('tags') or []))
            if len(tags) > MAX_TAGS:
                raise exception.InvalidInput(field='tags',
                                             reason=f'a server has at most {MAX_TAGS} tags')
            return {'tags': tags}

        updated = self._instances.change_details(
            instance['id'], allowed_vm_states=server_metadata.CHANGEABLE_IN,
            build_request_change=changed)
        return self._tags(updated)

    def index(self, req: wsgi.Request, server_id: str) -> webob.Response:
        instance = self._server(req, server_id, policies.SERVER_TAGS_INDEX)
        return wsgi.json_response(200, {'tags': self._tags(instance)})

    def replace(self, req: wsgi.Request, server_id: str) -> webob.Response:
        body = controller.read_body(req, tags_request)
        wanted = list(dict.fromkeys(body['tags']))  # once each, in the order given
        tags = self._change(req, server_id, policies.SERVER_TAGS_UPDATE_ALL,
                            lambda _current: wanted)
        return wsgi.json_response(200, {'tags': tags})

    def delete_all(self, req: wsgi.Request, server_id: str) -> webob.Response:
        self._change(req, server_id, policies.SERVER_TAGS_DELETE_ALL, lambda _current: [])
        return wsgi.json_response(204)

    def show(self, req: wsgi.Request, server_id: str, tag: str) -> webob.Response:
        instance = self._server(req, server_id, policies.SERVER_TAGS_SHOW)
        if tag not in self._tags(instance):
            raise exception.NotFound(message=f'Tag {tag} could not be found.')
        return wsgi.json_response(204)

    def add(self, req: wsgi.Request, server_id: str, tag: str) -> webob.Response:
        _check_tag(tag)
        instance = self._server(req, server_id, policies.SERVER_TAGS_UPDATE)
        if tag in self._tags(instance):
            return wsgi.json_response(204)
        self._change(req, server_id, policies.SERVER_TAGS_UPDATE,
                     lambda current: [*current, tag] if tag not in current else current)
        location = f'{self._rest.links.base_url}/servers/{instance["id"]}/tags/{tag}'
        return wsgi.json_response(201, headers={'Location': location})

    def delete(self, req: wsgi.Request, server_id: str, tag: str) -> webob.Response:
        instance = self._server(req, server_id, policies.SERVER_TAGS_DELETE)
        if tag not in self._tags(instance):
            raise exception.NotFound(message=f'Tag {tag} could not be found.')
        self._change(req, server_id, policies.SERVER_TAGS_DELETE,
                     lambda current: [t for t in current if t != tag])
        return wsgi.json_response(204)
