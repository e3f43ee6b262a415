"""network security: security groups and rules, default groups, port bindings

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 22:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('security_groups',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('project_id', sa.String(length=64), nullable=True),
    sa.Column('stateful', sa.Boolean(), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_groups'))
    )
    op.create_index('ix_security_groups_listing', 'security_groups', ['created_at', 'id'], unique=False)
    op.create_index(op.f('ix_security_groups_name'), 'security_groups', ['name'], unique=False)
    op.create_index(op.f('ix_security_groups_project_id'), 'security_groups', ['project_id'], unique=False)
    op.create_table('default_security_groups',
    sa.Column('project_id', sa.String(length=64), nullable=False),
    sa.Column('security_group_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['security_group_id'], ['security_groups.id'], name=op.f('fk_default_security_groups_security_group_id_security_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', name=op.f('pk_default_security_groups')),
    sa.UniqueConstraint('security_group_id', name=op.f('uq_default_security_groups_security_group_id'))
    )
    op.create_table('security_group_rules',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('security_group_id', sa.String(length=36), nullable=False),
    sa.Column('remote_group_id', sa.String(length=36), nullable=True),
    sa.Column('project_id', sa.String(length=64), nullable=True),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('ethertype', sa.String(length=16), nullable=False),
    sa.Column('protocol', sa.String(length=40), nullable=True),
    sa.Column('port_range_min', sa.Integer(), nullable=True),
    sa.Column('port_range_max', sa.Integer(), nullable=True),
    sa.Column('remote_ip_prefix', sa.String(length=64), nullable=True),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('revision_number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['remote_group_id'], ['security_groups.id'], name=op.f('fk_security_group_rules_remote_group_id_security_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['security_group_id'], ['security_groups.id'], name=op.f('fk_security_group_rules_security_group_id_security_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_security_group_rules'))
    )
    op.create_index('ix_security_group_rules_listing', 'security_group_rules', ['created_at', 'id'], unique=False)
    op.create_index(op.f('ix_security_group_rules_project_id'), 'security_group_rules', ['project_id'], unique=False)
    op.create_index(op.f('ix_security_group_rules_remote_group_id'), 'security_group_rules', ['remote_group_id'], unique=False)
    op.create_index(op.f('ix_security_group_rules_security_group_id'), 'security_group_rules', ['security_group_id'], unique=False)
    op.create_table('port_security_bindings',
    sa.Column('port_id', sa.String(length=36), nullable=False),
    sa.Column('port_security_enabled', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['port_id'], ['ports.id'], name=op.f('fk_port_security_bindings_port_id_ports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('port_id', name=op.f('pk_port_security_bindings'))
    )
    op.create_table('security_group_port_bindings',
    sa.Column('port_id', sa.String(length=36), nullable=False),
    sa.Column('security_group_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['port_id'], ['ports.id'], name=op.f('fk_security_group_port_bindings_port_id_ports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['security_group_id'], ['security_groups.id'], name=op.f('fk_security_group_port_bindings_security_group_id_security_groups')),
    sa.PrimaryKeyConstraint('port_id', 'security_group_id', name=op.f('pk_security_group_port_bindings'))
    )
    op.create_index(op.f('ix_security_group_port_bindings_security_group_id'), 'security_group_port_bindings', ['security_group_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_security_group_port_bindings_security_group_id'), table_name='security_group_port_bindings')
    op.drop_table('security_group_port_bindings')
    op.drop_table('port_security_bindings')
    op.drop_index(op.f('ix_security_group_rules_security_group_id'), table_name='security_group_rules')
    op.drop_index(op.f('ix_security_group_rules_remote_group_id'), table_name='security_group_rules')
    op.drop_index(op.f('ix_security_group_rules_project_id'), table_name='security_group_rules')
    op.drop_index('ix_security_group_rules_listing', table_name='security_group_rules')
    op.drop_table('security_group_rules')
    op.drop_table('default_security_groups')
    op.drop_index(op.f('ix_security_groups_project_id'), table_name='security_groups')
    op.drop_index(op.f('ix_security_groups_name'), table_name='security_groups')
    op.drop_index('ix_security_groups_listing', table_name='security_groups')
    op.drop_table('security_groups')
