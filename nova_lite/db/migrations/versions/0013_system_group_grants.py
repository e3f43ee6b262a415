"""system role grants to groups

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 15:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'system_group_role_assignments',
        sa.Column('group_id', sa.String(length=64), nullable=False),
        sa.Column('role_id', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ['group_id'], ['identity_groups.id'], ondelete='CASCADE',
            name=op.f('fk_system_group_role_assignments_group_id_identity_groups')),
        sa.ForeignKeyConstraint(
            ['role_id'], ['roles.id'], ondelete='CASCADE',
            name=op.f('fk_system_group_role_assignments_role_id_roles')),
        sa.PrimaryKeyConstraint('group_id', 'role_id',
                                name=op.f('pk_system_group_role_assignments')))


def downgrade() -> None:
    op.drop_table('system_group_role_assignments')
