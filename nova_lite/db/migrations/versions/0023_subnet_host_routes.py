"""networking: a subnet's host routes

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 23:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('subnets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('host_routes', sa.JSON(), server_default='[]',
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('subnets', schema=None) as batch_op:
        batch_op.drop_column('host_routes')
