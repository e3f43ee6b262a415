"""network quotas: project limits and per-project lock rows

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07 06:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'network_quotas',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=False),
        sa.Column('resource', sa.String(length=255), nullable=False),
        sa.Column('hard_limit', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_network_quotas')),
        sa.UniqueConstraint('project_id', 'resource',
                            name=op.f('uq_network_quotas_project_id_resource')))
    op.create_table(
        'network_quota_project_locks',
        sa.Column('project_id', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('project_id', name=op.f('pk_network_quota_project_locks')))


def downgrade() -> None:
    op.drop_table('network_quota_project_locks')
    op.drop_table('network_quotas')
