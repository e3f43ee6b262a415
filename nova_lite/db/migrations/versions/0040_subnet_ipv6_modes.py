"""networking: a subnet's IPv6 router advertisement and address modes

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-07 06:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0040'
down_revision = '0039'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('subnets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ipv6_ra_mode', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('ipv6_address_mode', sa.String(length=16),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('subnets', schema=None) as batch_op:
        batch_op.drop_column('ipv6_address_mode')
        batch_op.drop_column('ipv6_ra_mode')
