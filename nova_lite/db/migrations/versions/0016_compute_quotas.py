"""compute quotas: project, project-user and class limits, and per-project lock rows

Revision ID: 0016
Revises: 0014 (the lead re-chains it after 0015 at merge)
Create Date: 2026-12-06 19:15:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def _limit_columns() -> list[sa.Column]:
    return [sa.Column('resource', sa.String(length=255), nullable=False),
            sa.Column('hard_limit', sa.Integer(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        'quotas',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=False),
        *_limit_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quotas')),
        sa.UniqueConstraint('project_id', 'resource',
                            name=op.f('uq_quotas_project_id_resource')))
    op.create_table(
        'project_user_quotas',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.String(length=64), nullable=False),
        *_limit_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_project_user_quotas')),
        sa.UniqueConstraint('project_id', 'user_id', 'resource',
                            name=op.f('uq_project_user_quotas_project_id_user_id_resource')))
    op.create_table(
        'quota_classes',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('class_name', sa.String(length=255), nullable=False),
        *_limit_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quota_classes')),
        sa.UniqueConstraint('class_name', 'resource',
                            name=op.f('uq_quota_classes_class_name_resource')))
    op.create_table(
        'quota_project_locks',
        sa.Column('project_id', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('project_id', name=op.f('pk_quota_project_locks')))


def downgrade() -> None:
    op.drop_table('quota_project_locks')
    op.drop_table('quota_classes')
    op.drop_table('project_user_quotas')
    op.drop_table('quotas')
