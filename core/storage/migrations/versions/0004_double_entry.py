"""double entry: roles, assignments, final records, decisions, value versions

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('reviewers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), nullable=False, server_default='reviewer'))
    with op.batch_alter_table('extractions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='reviewer'))
    with op.batch_alter_table('field_values', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('assigned_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['reviewer_id'], ['reviewers.id'], name=op.f('fk_assignments_reviewer_id_reviewers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_assignments_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments')),
    sa.UniqueConstraint('study_id', 'reviewer_id', name='uq_assignments_study_reviewer'),
    sa.UniqueConstraint('study_id', 'slot', name=op.f('uq_assignments_study_id'))
    )
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('final_extraction_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('choice', sa.String(length=20), nullable=False),
    sa.Column('answer', sa.JSON(), nullable=True),
    sa.Column('basis', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['final_extraction_id'], ['extractions.id'], name=op.f('fk_decisions_final_extraction_id_extractions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['studies.id'], name=op.f('fk_decisions_study_id_studies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    op.create_index('ix_decisions_final_path', 'decisions', ['final_extraction_id', 'path'], unique=False)
    op.create_index(op.f('ix_decisions_study_id'), 'decisions', ['study_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_decisions_study_id'), table_name='decisions')
    op.drop_index('ix_decisions_final_path', table_name='decisions')
    op.drop_table('decisions')
    op.drop_table('assignments')
    with op.batch_alter_table('field_values', schema=None) as batch_op:
        batch_op.drop_column('version')
    with op.batch_alter_table('extractions', schema=None) as batch_op:
        batch_op.drop_column('kind')
    with op.batch_alter_table('reviewers', schema=None) as batch_op:
        batch_op.drop_column('role')
