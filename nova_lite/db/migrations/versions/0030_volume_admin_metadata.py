"""block storage: volume admin metadata (readonly flag, attached mode)

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 02:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('volumes') as batch:
        batch.add_column(sa.Column('admin_metadata', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('volumes') as batch:
        batch.drop_column('admin_metadata')
