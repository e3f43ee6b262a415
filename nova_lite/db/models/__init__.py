"""SQLAlchemy models of every service, one module per service.

Importing this package registers every table on :data:`base.Base.metadata`.
"""

from nova_lite.db.models import (  # noqa: F401
    compute,
    compute_admin,
    compute_instance_actions,
    compute_keypairs,
    compute_migrations,
    compute_quotas,
    compute_server_groups,
    flow,
    flow_history,
    identity,
    identity_auth,
    identity_extensions,
    identity_groups,
    image,
    image_metadefs,
    image_task,
    jobboard,
    network,
    network_agents,
    network_extras,
    network_l3,
    network_quotas,
    network_rbac,
    network_security,
    network_subnetpools,
    network_tags,
    scheduler,
    volume,
    volume_groups,
    volume_messages,
    volume_qos,
    volume_quotas,
    volume_snapshot,
    volume_transfers,
    volume_type,
)
from nova_lite.db.models.base import Base

__all__ = ['Base']
