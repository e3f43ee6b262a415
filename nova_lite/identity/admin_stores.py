"""The identity stores beyond the manager's own resources: groups, grants,
projects' tags and parents, user attributes, domain and role changes, and the
role assignment listing."""

from __future__ import annotations

import dataclasses

from oslo_config import cfg

from nova_lite.db import api as db_api
from nova_lite.identity import (
    domain_admin,
    domain_roles,
    grants,
    groups,
    project_admin,
    project_hierarchy,
    project_tags,
    role_admin,
    role_assignment_list,
    user_admin,
)


@dataclasses.dataclass(frozen=True)
class AdminStores:
    groups: groups.GroupStore
    grants: grants.GrantStore
    tags: project_tags.ProjectTagStore
    projects: project_admin.ProjectAdmin
    hierarchy: project_hierarchy.ProjectHierarchy
    users: user_admin.UserAdmin
    domains: domain_admin.DomainAdmin
    roles: role_admin.RoleAdmin
    domain_roles: domain_roles.DomainRoleStore
    assignments: role_assignment_list.AssignmentLister

    @classmethod
    def build(cls, conf: cfg.ConfigOpts, db: db_api.Database,
              implied: role_assignment_list.ImpliedResolver | None = None) -> AdminStores:
        """The stores over ``db``; ``implied`` resolves role implications for the
        effective role assignment listing (none without it)."""
        return cls(groups=groups.GroupStore(db), grants=grants.GrantStore(db),
                   tags=project_tags.ProjectTagStore(db),
                   projects=project_admin.ProjectAdmin(db),
                   hierarchy=project_hierarchy.ProjectHierarchy(db),
                   users=user_admin.UserAdmin(conf, db),
                   domains=domain_admin.DomainAdmin(db), roles=role_admin.RoleAdmin(db),
                   domain_roles=domain_roles.DomainRoleStore(db),
                   assignments=role_assignment_list.AssignmentLister(db, implied))
