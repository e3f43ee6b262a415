"""identity extensions: policies, endpoint groups, OAuth1 consumers, inherited
role grants, domain configuration options

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 14:50:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def _timestamps() -> list[sa.Column]:
    return [sa.Column('created_at', sa.DateTime(), nullable=False),
            sa.Column('updated_at', sa.DateTime(), nullable=True)]


def _fk(table: str, column: str, referred: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{referred}.id'],
                                   name=op.f(f'fk_{table}_{column}_{referred}'),
                                   ondelete='CASCADE')


def upgrade() -> None:
    op.create_table(
        'endpoint_groups',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('filters', sa.JSON(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_endpoint_groups')))
    op.create_table(
        'identity_policies',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('type', sa.String(length=255), nullable=False),
        sa.Column('blob', sa.Text(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_policies')))
    op.create_table(
        'oauth_consumers',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_oauth_consumers')))
    op.create_table(
        'domain_config_options',
        sa.Column('domain_id', sa.String(length=64), nullable=False),
        sa.Column('group_name', sa.String(length=255), nullable=False),
        sa.Column('option_name', sa.String(length=255), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('sensitive', sa.Boolean(), nullable=False),
        _fk('domain_config_options', 'domain_id', 'domains'),
        sa.PrimaryKeyConstraint('domain_id', 'group_name', 'option_name',
                                name=op.f('pk_domain_config_options')))
    op.create_table(
        'inherited_role_grants',
        sa.Column('actor_type', sa.String(length=8), nullable=False),
        sa.Column('actor_id', sa.String(length=64), nullable=False),
        sa.Column('target_type', sa.String(length=8), nullable=False),
        sa.Column('target_id', sa.String(length=64), nullable=False),
        sa.Column('role_id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.String(length=64), nullable=True),
        sa.Column('domain_id', sa.String(length=64), nullable=True),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        _fk('inherited_role_grants', 'domain_id', 'domains'),
        _fk('inherited_role_grants', 'project_id', 'projects'),
        _fk('inherited_role_grants', 'role_id', 'roles'),
        _fk('inherited_role_grants', 'user_id', 'users'),
        sa.PrimaryKeyConstraint('actor_type', 'actor_id', 'target_type', 'target_id',
                                'role_id', name=op.f('pk_inherited_role_grants')))
    op.create_index(op.f('ix_inherited_role_grants_actor_id'), 'inherited_role_grants',
                    ['actor_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_inherited_role_grants_actor_id'),
                  table_name='inherited_role_grants')
    for table in ('inherited_role_grants', 'domain_config_options', 'oauth_consumers',
                  'identity_policies', 'endpoint_groups'):
        op.drop_table(table)
