"""migrations (os-migrations): one row per resize

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 22:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'migrations',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('instance_uuid', sa.String(length=36), nullable=False),
        sa.Column('project_id', sa.String(length=255), nullable=True),
        sa.Column('user_id', sa.String(length=255), nullable=True),
        sa.Column('migration_type', sa.String(length=32), nullable=False),
        sa.Column('status', sa.String(length=32), nullable=False),
        sa.Column('source_compute', sa.String(length=255), nullable=True),
        sa.Column('dest_compute', sa.String(length=255), nullable=True),
        sa.Column('old_flavor_id', sa.String(length=255), nullable=False),
        sa.Column('new_flavor_id', sa.String(length=255), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_migrations')),
        sa.UniqueConstraint('uuid', name=op.f('uq_migrations_uuid')))
    op.create_index('ix_migrations_instance_status', 'migrations',
                    ['instance_uuid', 'status'])


def downgrade() -> None:
    op.drop_index('ix_migrations_instance_status', table_name='migrations')
    op.drop_table('migrations')
