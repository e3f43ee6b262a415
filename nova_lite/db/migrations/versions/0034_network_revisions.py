"""networking: revision_number of networks, subnets, ports, routers and floating IPs

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 06:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None

_TABLES = ('networks', 'subnets', 'ports', 'routers', 'floatingips')


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('revision_number', sa.Integer(), nullable=False,
                                       server_default=sa.text('0')))


def downgrade() -> None:
    for table in reversed(_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('revision_number')
