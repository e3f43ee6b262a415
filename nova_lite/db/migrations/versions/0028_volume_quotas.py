"""block storage quotas: project and class limits, and per-project lock rows

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 02:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def _limit_columns() -> list[sa.Column]:
    return [sa.Column('resource', sa.String(length=300), nullable=False),
            sa.Column('hard_limit', sa.Integer(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        'volume_quotas',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=False),
        *_limit_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_quotas')),
        sa.UniqueConstraint('project_id', 'resource',
                            name=op.f('uq_volume_quotas_project_id_resource')))
    op.create_table(
        'volume_quota_classes',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('class_name', sa.String(length=255), nullable=False),
        *_limit_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_volume_quota_classes')),
        sa.UniqueConstraint('class_name', 'resource',
                            name=op.f('uq_volume_quota_classes_class_name_resource')))
    op.create_table(
        'volume_quota_project_locks',
        sa.Column('project_id', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('project_id', name=op.f('pk_volume_quota_project_locks')))


def downgrade() -> None:
    op.drop_table('volume_quota_project_locks')
    op.drop_table('volume_quota_classes')
    op.drop_table('volume_quotas')
