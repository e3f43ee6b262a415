"""network layer 3: external networks, routers and floating IPs

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 22:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def upgrade() -> None:
    op.create_table(
        'external_networks',
        sa.Column('network_id', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(['network_id'], ['networks.id'], ondelete='CASCADE',
                                name=op.f('fk_external_networks_network_id_networks')),
        sa.PrimaryKeyConstraint('network_id', name=op.f('pk_external_networks')))
    op.create_table(
        'routers',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('description', sa.String(length=255), nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        sa.Column('admin_state_up', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('gw_port_id', sa.String(length=36), nullable=True),
        sa.Column('enable_snat', sa.Boolean(), nullable=False),
        sa.Column('routes', sa.JSON(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['gw_port_id'], ['ports.id'],
                                name=op.f('fk_routers_gw_port_id_ports')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_routers')))
    op.create_index('ix_routers_listing', 'routers', ['created_at', 'id'])
    op.create_index(op.f('ix_routers_project_id'), 'routers', ['project_id'])
    op.create_table(
        'floatingips',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('description', sa.String(length=255), nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        sa.Column('floating_network_id', sa.String(length=36), nullable=False),
        sa.Column('floating_port_id', sa.String(length=36), nullable=False),
        sa.Column('floating_ip_address', sa.String(length=64), nullable=False),
        sa.Column('fixed_port_id', sa.String(length=36), nullable=True),
        sa.Column('fixed_ip_address', sa.String(length=64), nullable=True),
        sa.Column('router_id', sa.String(length=36), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(['floating_network_id'], ['networks.id'],
                                name=op.f('fk_floatingips_floating_network_id_networks')),
        sa.ForeignKeyConstraint(['floating_port_id'], ['ports.id'],
                                name=op.f('fk_floatingips_floating_port_id_ports')),
        sa.ForeignKeyConstraint(['fixed_port_id'], ['ports.id'],
                                name=op.f('fk_floatingips_fixed_port_id_ports')),
        sa.ForeignKeyConstraint(['router_id'], ['routers.id'],
                                name=op.f('fk_floatingips_router_id_routers')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_floatingips')),
        sa.UniqueConstraint('floating_port_id', name=op.f('uq_floatingips_floating_port_id')))
    op.create_index('ix_floatingips_listing', 'floatingips', ['created_at', 'id'])
    for column in ('project_id', 'floating_network_id', 'fixed_port_id', 'router_id'):
        op.create_index(op.f(f'ix_floatingips_{column}'), 'floatingips', [column])


def downgrade() -> None:
    op.drop_table('floatingips')
    op.drop_table('routers')
    op.drop_table('external_networks')
