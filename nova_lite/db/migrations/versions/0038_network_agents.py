"""networking: agents (the network service's DHCP and L3 agent) and their bindings

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-07 06:10:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'agents',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('agent_type', sa.String(length=255), nullable=False),
        sa.Column('binary', sa.String(length=255), nullable=False),
        sa.Column('topic', sa.String(length=255), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=False),
        sa.Column('availability_zone', sa.String(length=255), nullable=True),
        sa.Column('admin_state_up', sa.Boolean(), nullable=False),
        sa.Column('description', sa.String(length=255), nullable=True),
        sa.Column('configurations', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('heartbeat_timestamp', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_agents')),
        sa.UniqueConstraint('agent_type', 'host', name=op.f('uq_agents_agent_type_host')))
    op.create_table(
        'network_dhcp_agent_bindings',
        sa.Column('network_id', sa.String(length=36), nullable=False),
        sa.Column('dhcp_agent_id', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ['network_id'], ['networks.id'],
            name=op.f('fk_network_dhcp_agent_bindings_network_id_networks'),
            ondelete='CASCADE'),
        sa.ForeignKeyConstraint(
            ['dhcp_agent_id'], ['agents.id'],
            name=op.f('fk_network_dhcp_agent_bindings_dhcp_agent_id_agents'),
            ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('network_id', 'dhcp_agent_id',
                                name=op.f('pk_network_dhcp_agent_bindings')))
    op.create_index(op.f('ix_network_dhcp_agent_bindings_dhcp_agent_id'),
                    'network_dhcp_agent_bindings', ['dhcp_agent_id'], unique=False)
    op.create_table(
        'router_l3_agent_bindings',
        sa.Column('router_id', sa.String(length=36), nullable=False),
        sa.Column('l3_agent_id', sa.String(length=36), nullable=False),
        sa.ForeignKeyConstraint(
            ['router_id'], ['routers.id'],
            name=op.f('fk_router_l3_agent_bindings_router_id_routers'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(
            ['l3_agent_id'], ['agents.id'],
            name=op.f('fk_router_l3_agent_bindings_l3_agent_id_agents'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('router_id', 'l3_agent_id',
                                name=op.f('pk_router_l3_agent_bindings')))
    op.create_index(op.f('ix_router_l3_agent_bindings_l3_agent_id'),
                    'router_l3_agent_bindings', ['l3_agent_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_router_l3_agent_bindings_l3_agent_id'),
                  table_name='router_l3_agent_bindings')
    op.drop_table('router_l3_agent_bindings')
    op.drop_index(op.f('ix_network_dhcp_agent_bindings_dhcp_agent_id'),
                  table_name='network_dhcp_agent_bindings')
    op.drop_table('network_dhcp_agent_bindings')
    op.drop_table('agents')
