"""SQLAlchemy models of every service, one module per service.

Importing this package registers every table on :data:`base.Base.metadata`.
"""

from nova_lite.db.models import compute, identity, image, network, volume  # noqa: F401
from nova_lite.db.models.base import Base

__all__ = ['Base']
