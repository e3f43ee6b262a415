"""Domains seen through ``/v3/projects`` (keystone's ``is_domain`` projects).

In keystone a domain is a project with ``is_domain`` true: one created with
``POST /v3/projects`` and ``is_domain: true`` is a domain (listed by
``/v3/domains`` too), ``GET /v3/projects?is_domain=true`` lists the domains
as projects, and show, update and delete under ``/v3/projects/{id}`` act on
the domain (which must be disabled before it is deleted).
"""

from __future__ import annotations

from typing import Any

from nova_lite.common import exception
from nova_lite.identity.rest import common


def as_project(record: dict[str, Any]) -> dict[str, Any]:
    """A domain record in the shape of a project record."""
    return {'id': record['id'], 'name': record['name'], 'domain_id': None,
            'enabled': record['enabled'], 'description': record['description'],
            'parent_id': None, 'is_domain': True, 'tags': []}


class DomainProjects:
    def __init__(self, api: common.IdentityApi) -> None:
        self._api = api

    def create(self, spec: dict[str, Any]) -> dict[str, Any]:
        for field in ('domain_id', 'parent_id'):
            if spec.get(field) is not None:
                raise exception.InvalidInput(field=f'project.{field}',
                                             reason='a domain project has no domain or parent')
        if spec.get('tags'):
            raise exception.InvalidInput(field='project.tags',
                                         reason='a domain project has no tags')
        record = self._api.identity.create_domain(spec['name'],
                                                  description=spec.get('description') or '')
        if spec.get('enabled') is False:
            record = self._api.admin.domains.update_domain(record['id'], enabled=False)
        return as_project(record)

    def find(self, project_id: str) -> dict[str, Any] | None:
        """The domain ``project_id`` names, as a project, or None."""
        try:
            return as_project(self._api.identity.get_domain(project_id))
        except (exception.NotFound, exception.InvalidInput):
            return None

    def listing(self) -> list[dict[str, Any]]:
        return [as_project(r) for r in self._api.identity.list_domains()]

    def update(self, domain_id: str, spec: dict[str, Any]) -> dict[str, Any]:
        if spec.get('tags'):
            raise exception.InvalidInput(field='project.tags',
                                         reason='a domain project has no tags')
        record = self._api.admin.domains.update_domain(
            domain_id, name=spec.get('name'), description=spec.get('description'),
            enabled=spec.get('enabled'))
        return as_project(record)
