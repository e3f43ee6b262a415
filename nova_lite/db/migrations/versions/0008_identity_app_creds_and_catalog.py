"""identity: system role grants, role implications, application credentials,
credentials; catalog service/endpoint enabled flags, region parents

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 14:40:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'system_role_assignments',
        sa.Column('user_id', sa.String(length=64), nullable=False),
        sa.Column('role_id', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['role_id'], ['roles.id'],
                                name=op.f('fk_system_role_assignments_role_id_roles'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_system_role_assignments_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'role_id', name=op.f('pk_system_role_assignments')))
    op.create_table(
        'implied_roles',
        sa.Column('prior_role_id', sa.String(length=64), nullable=False),
        sa.Column('implied_role_id', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['implied_role_id'], ['roles.id'],
                                name=op.f('fk_implied_roles_implied_role_id_roles'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['prior_role_id'], ['roles.id'],
                                name=op.f('fk_implied_roles_prior_role_id_roles'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('prior_role_id', 'implied_role_id',
                                name=op.f('pk_implied_roles')))
    op.create_table(
        'application_credentials',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.String(length=64), nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=False),
        sa.Column('secret_hash', sa.String(length=255), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=True),
        sa.Column('unrestricted', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_application_credentials_project_id_projects'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_application_credentials_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_application_credentials')),
        sa.UniqueConstraint('user_id', 'name',
                            name=op.f('uq_application_credentials_user_id_name')))
    op.create_table(
        'application_credential_roles',
        sa.Column('application_credential_id', sa.String(length=64), nullable=False),
        sa.Column('role_id', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ['application_credential_id'], ['application_credentials.id'],
            name=op.f('fk_application_credential_roles_application_credential_id_'
                      'application_credentials'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['role_id'], ['roles.id'],
                                name=op.f('fk_application_credential_roles_role_id_roles'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('application_credential_id', 'role_id',
                                name=op.f('pk_application_credential_roles')))
    op.create_table(
        'credentials',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.String(length=64), nullable=False),
        sa.Column('project_id', sa.String(length=64), nullable=True),
        sa.Column('type', sa.String(length=255), nullable=False),
        sa.Column('encrypted_blob', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_credentials_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_credentials')))
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credentials_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_region_id', sa.String(length=255), nullable=True))
    with op.batch_alter_table('catalog_services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('description', sa.Text(), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('enabled', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
    with op.batch_alter_table('endpoints', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enabled', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('endpoints', schema=None) as batch_op:
        batch_op.drop_column('enabled')
    with op.batch_alter_table('catalog_services', schema=None) as batch_op:
        batch_op.drop_column('enabled')
        batch_op.drop_column('description')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_column('parent_region_id')
    with op.batch_alter_table('credentials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credentials_user_id'))
    op.drop_table('credentials')
    op.drop_table('application_credential_roles')
    op.drop_table('application_credentials')
    op.drop_table('implied_roles')
    op.drop_table('system_role_assignments')
