"""Keystone v3 response shapes: resources with ``links.self``, collections with links."""

from __future__ import annotations

import urllib.parse
from typing import Any

API_VERSION = 'v3.14'
API_UPDATED = '2020-04-07T00:00:00Z'
MEDIA_TYPE = 'application/vnd.openstack.identity-v3+json'


def version_doc(public_url: str) -> dict[str, Any]:
    """The v3 version document, its ``self`` link under ``public_url``."""
    return {'id': API_VERSION, 'status': 'stable', 'updated': API_UPDATED,
            'links': [{'rel': 'self', 'href': f'{public_url}/v3/'}],
            'media-types': [{'base': 'application/json', 'type': MEDIA_TYPE}]}


def _self_link(v3_url: str, collection: str, item_id: str) -> dict[str, str]:
    return {'self': f'{v3_url}/{collection}/{urllib.parse.quote(item_id, safe="")}'}


def collection(key: str, items: list[dict[str, Any]], self_url: str) -> dict[str, Any]:
    """``{key: items, "links": {"self", "previous": null, "next": null}}``."""
    return {key: items, 'links': {'self': self_url, 'previous': None, 'next': None}}


def domain(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    return {'id': record['id'], 'name': record['name'], 'enabled': record['enabled'],
            'description': record['description'], 'tags': [], 'options': {},
            'links': _self_link(v3_url, 'domains', record['id'])}


def project(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    return {'id': record['id'], 'name': record['name'], 'domain_id': record['domain_id'],
            'enabled': record['enabled'], 'description': record['description'],
            'parent_id': record['parent_id'], 'is_domain': record.get('is_domain', False),
            'tags': list(record.get('tags', [])), 'options': {},
            'links': _self_link(v3_url, 'projects', record['id'])}


_USER_FIXED = frozenset({'id', 'name', 'domain_id', 'enabled', 'default_project_id',
                         'password_expires_at', 'options', 'links'})


def user(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    """A user; its email, description and extra attributes too, when the record has them."""
    extras = {k: v for k, v in record.items() if k not in _USER_FIXED}
    body = {**extras, 'id': record['id'], 'name': record['name'], 'domain_id': record['domain_id'],
            'enabled': record['enabled'], 'password_expires_at': None, 'options': {},
            'links': _self_link(v3_url, 'users', record['id'])}
    if record.get('default_project_id'):
        body['default_project_id'] = record['default_project_id']
    return body


def role(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    return {'id': record['id'], 'name': record['name'], 'domain_id': record.get('domain_id'),
            'description': None, 'options': {},
            'links': _self_link(v3_url, 'roles', record['id'])}


def region(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    return {'id': record['id'], 'description': record['description'],
            'parent_region_id': record.get('parent_region_id'),
            'links': _self_link(v3_url, 'regions', record['id'])}


def service(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    return {'id': record['id'], 'type': record['type'], 'name': record['name'],
            'enabled': record['enabled'], 'description': record.get('description', ''),
            'links': _self_link(v3_url, 'services', record['id'])}


def endpoint(v3_url: str, record: dict[str, Any]) -> dict[str, Any]:
    return {'id': record['id'], 'service_id': record['service_id'],
            'interface': record['interface'], 'region': record['region'],
            'region_id': record['region_id'], 'url': record['url'],
            'enabled': record['enabled'], 'links': _self_link(v3_url, 'endpoints', record['id'])}


def token(info: dict[str, Any], *, with_catalog: bool) -> dict[str, Any]:
    """``{"token": {...}}`` from the identity manager's token record.

    A project-scoped token has ``project``, a system-scoped one
    ``system: {"all": true}``; an unscoped one neither, nor a catalog.
    """
    body: dict[str, Any] = {
        'methods': info['methods'],
        'user': {**info['user'], 'password_expires_at': None},
        'audit_ids': info['audit_ids'],
        'expires_at': info['expires_at'],
        'issued_at': info['issued_at'],
    }
    scoped = 'project' in info or 'system' in info
    if 'project' in info:
        body['project'] = info['project']
        body['is_domain'] = False
    if 'system' in info:
        body['system'] = info['system']
    if scoped:
        body['roles'] = info['roles']
        if with_catalog:
            body['catalog'] = info['catalog']
    if 'application_credential' in info:
        body['application_credential'] = info['application_credential']
    return {'token': body}
