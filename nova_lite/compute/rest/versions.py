"""Version documents (no token needed)."""

from __future__ import annotations

from typing import Any

import webob

from nova_lite.api import wsgi
from nova_lite.compute.rest import api_version

VERSION_ID = 'v2.1'
MIN_VERSION = api_version.text(api_version.MIN_VERSION)
MAX_VERSION = api_version.text(api_version.MAX_VERSION)
UPDATED = '2013-07-23T11:33:21Z'
MEDIA_TYPES = [{'base': 'application/json',
                'type': 'application/vnd.openstack.compute+json;version=2.1'}]


LEGACY_VERSION_ID = 'v2.0'
LEGACY_UPDATED = '2011-01-21T11:33:21Z'


def legacy_version_document(public_url: str) -> dict[str, Any]:
    """v2.0, listed first as Nova lists it: the same API without microversions
    (nova_lite serves it at ``/v2.1``; ``/v2`` answers this document only)."""
    return {
        'id': LEGACY_VERSION_ID, 'status': 'SUPPORTED', 'version': '', 'min_version': '',
        'updated': LEGACY_UPDATED,
        'links': [{'rel': 'self', 'href': f'{public_url.rstrip("/")}/v2/'},
                  {'rel': 'describedby', 'type': 'text/html',
                   'href': 'https://docs.openstack.org/'}],
        'media-types': [{'base': 'application/json',
                         'type': 'application/vnd.openstack.compute+json;version=2'}],
    }


def version_document(public_url: str) -> dict[str, Any]:
    """The v2.1 version: microversions 2.1 to 2.104."""
    return {
        'id': VERSION_ID, 'status': 'CURRENT', 'version': MAX_VERSION,
        'min_version': MIN_VERSION, 'updated': UPDATED,
        'links': [{'rel': 'self', 'href': f'{public_url.rstrip("/")}/v2.1/'},
                  {'rel': 'describedby', 'type': 'text/html',
                   'href': 'https://docs.openstack.org/'}],
        'media-types': MEDIA_TYPES,
    }


class VersionsHandler:
    def __init__(self, public_url: str) -> None:
        self._public_url = public_url

    def versions(self, req: wsgi.Request) -> webob.Response:
        documents = (legacy_version_document(self._public_url),
                     version_document(self._public_url))
        return wsgi.json_response(200, {'versions': [
            {key: document[key] for key in ('id', 'status', 'version', 'min_version',
                                            'updated', 'links')}
            for document in documents]})

    def legacy_version(self, req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(200, {'version': legacy_version_document(self._public_url)})

    def version(self, req: wsgi.Request) -> webob.Response:
        return wsgi.json_response(200, {'version': version_document(self._public_url)})
