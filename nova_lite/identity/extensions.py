"""The stores of the identity API extensions, built over the shared database.

:class:`~nova_lite.identity.manager.IdentityManager` holds one as
``extensions``; the token role lookup asks ``inherited_grants`` for the roles
inherited from a domain (OS-INHERIT).
"""

from __future__ import annotations

from nova_lite.db import api as db_api
from nova_lite.identity import (
    domain_configs,
    endpoint_groups,
    inherited_grants,
    oauth_consumers,
    policy_blobs,
)


class ExtensionStores:
    def __init__(self, db: db_api.Database,
                 groups: inherited_grants.GroupLookup = inherited_grants.NO_GROUPS,
                 projects: inherited_grants.ProjectTree = inherited_grants.FLAT_PROJECTS
                 ) -> None:
        self.policies = policy_blobs.PolicyBlobStore(db)
        self.endpoint_groups = endpoint_groups.EndpointGroupStore(db)
        self.consumers = oauth_consumers.ConsumerStore(db)
        self.domain_configs = domain_configs.DomainConfigStore(db)
        self.inherited_grants = inherited_grants.InheritedGrantStore(db, groups, projects)
