"""Networking attributes of neutron's API extensions, kept beside the core tables.

``resource_descriptions`` holds the ``description`` (standard-attr-description)
of networks, subnets and ports, keyed by the resource's id; a resource without
a row has the empty description.
"""

import sqlalchemy as sa
from sqlalchemy import orm

from nova_lite.db.models.base import Base


class ResourceDescription(Base):
    __tablename__ = 'resource_descriptions'
    resource_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.String(255), default='')
