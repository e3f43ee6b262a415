"""Tags of networking resources (neutron's standard-attr-tag).

One row per (resource, tag): networks, subnets, ports, routers, floating IPs
and security groups share the table, keyed by the resource's id (ids are
UUIDs, unique across the resources).
"""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base


class ResourceTag(Base):
    __tablename__ = 'resource_tags'
    __table_args__ = (sa.Index('ix_resource_tags_tag', 'tag'),)
    resource_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    tag: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)
