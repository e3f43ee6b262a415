"""networking: subnet pools, their prefixes, address scopes; subnets.subnetpool_id

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-07 06:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'address_scopes',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        sa.Column('ip_version', sa.Integer(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_address_scopes')))
    op.create_index('ix_address_scopes_listing', 'address_scopes', ['created_at', 'id'],
                    unique=False)
    op.create_index(op.f('ix_address_scopes_project_id'), 'address_scopes', ['project_id'],
                    unique=False)
    op.create_table(
        'subnetpools',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('description', sa.String(length=255), nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        sa.Column('ip_version', sa.Integer(), nullable=False),
        sa.Column('default_prefixlen', sa.Integer(), nullable=False),
        sa.Column('min_prefixlen', sa.Integer(), nullable=False),
        sa.Column('max_prefixlen', sa.Integer(), nullable=False),
        sa.Column('default_quota', sa.Integer(), nullable=True),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('is_default', sa.Boolean(), nullable=False),
        sa.Column('address_scope_id', sa.String(length=36), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['address_scope_id'], ['address_scopes.id'],
                                name=op.f('fk_subnetpools_address_scope_id_address_scopes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subnetpools')))
    op.create_index('ix_subnetpools_listing', 'subnetpools', ['created_at', 'id'],
                    unique=False)
    op.create_index(op.f('ix_subnetpools_project_id'), 'subnetpools', ['project_id'],
                    unique=False)
    op.create_index(op.f('ix_subnetpools_address_scope_id'), 'subnetpools',
                    ['address_scope_id'], unique=False)
    op.create_table(
        'subnetpool_prefixes',
        sa.Column('subnetpool_id', sa.String(length=36), nullable=False),
        sa.Column('cidr', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['subnetpool_id'], ['subnetpools.id'],
                                name=op.f('fk_subnetpool_prefixes_subnetpool_id_subnetpools'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('subnetpool_id', 'cidr', name=op.f('pk_subnetpool_prefixes')))
    op.add_column('subnets', sa.Column('subnetpool_id', sa.String(length=36), nullable=True))
    op.create_index(op.f('ix_subnets_subnetpool_id'), 'subnets', ['subnetpool_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_subnets_subnetpool_id'), table_name='subnets')
    with op.batch_alter_table('subnets') as batch:
        batch.drop_column('subnetpool_id')
    op.drop_table('subnetpool_prefixes')
    op.drop_table('subnetpools')
    op.drop_table('address_scopes')
