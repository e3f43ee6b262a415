"""block storage: volumes' image metadata and migration status

Revision ID: 0027
Revises: 0025
Create Date: 2026-12-07 02:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('volumes') as batch:
        batch.add_column(sa.Column('image_metadata', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('migration_status', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('volumes') as batch:
        batch.drop_column('migration_status')
        batch.drop_column('image_metadata')
