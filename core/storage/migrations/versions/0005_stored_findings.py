"""stored findings: each extraction's findings kept with the revision they were checked at

Revision ID: 0005
Revises: 0004

`extractions.revision` is raised by the database itself whenever anything the checks
read changes: a value, a group row, a passage, or the text of a quoted document. A
stored finding list counts only while its revision equals the extraction's, so no write
path can leave stale findings behind, whether it goes through the services or not.
"""

from alembic import op
import sqlalchemy as sa

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

BUMP = "UPDATE extractions SET revision = revision + 1 WHERE id = {target}"
# What each watched table changes, as the extraction it belongs to (for OLD or NEW).
WATCHED = {
    "field_values": "{row}.extraction_id",
    "group_rows": "{row}.extraction_id",
    "anchors": "(SELECT extraction_id FROM field_values WHERE id = {row}.field_value_id)",
}
QUOTING = (
    "SELECT DISTINCT field_values.extraction_id FROM anchors "
    "JOIN field_values ON field_values.id = anchors.field_value_id "
    "WHERE anchors.document_id = NEW.id"
)


def _sqlite_triggers() -> list[str]:
    statements = []
    for table, target in WATCHED.items():
        for verb, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            body = "; ".join(BUMP.format(target=target.format(row=row)) for row in rows)
            statements.append(
                f"CREATE TRIGGER {table}_revision_{verb.lower()} AFTER {verb} ON {table} "
                f"BEGIN {body}; END"
            )
    statements.append(
        "CREATE TRIGGER documents_revision_text AFTER UPDATE OF text ON documents "
        f"BEGIN UPDATE extractions SET revision = revision + 1 WHERE id IN ({QUOTING}); END"
    )
    return statements


def _postgresql_triggers() -> list[str]:
    statements = []
    for table, target in WATCHED.items():
        old, new = (BUMP.format(target=target.format(row=row)) for row in ("OLD", "NEW"))
        statements += [
            f"CREATE FUNCTION {table}_revision() RETURNS trigger AS $$ BEGIN "
            f"IF TG_OP <> 'INSERT' THEN {old}; END IF; "
            f"IF TG_OP <> 'DELETE' THEN {new}; END IF; "
            "RETURN NULL; END; $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {table}_revision AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {table}_revision()",
        ]
    statements += [
        "CREATE FUNCTION documents_revision() RETURNS trigger AS $$ BEGIN "
        f"UPDATE extractions SET revision = revision + 1 WHERE id IN ({QUOTING}); "
        "RETURN NULL; END; $$ LANGUAGE plpgsql",
        "CREATE TRIGGER documents_revision AFTER UPDATE OF text ON documents "
        "FOR EACH ROW EXECUTE FUNCTION documents_revision()",
    ]
    return statements


def upgrade() -> None:
    with op.batch_alter_table('extractions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), nullable=False, server_default='0'))
    op.create_table('stored_findings',
    sa.Column('extraction_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('checked_with', sa.String(length=64), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['extraction_id'], ['extractions.id'], name=op.f('fk_stored_findings_extraction_id_extractions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('extraction_id', name=op.f('pk_stored_findings'))
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        statements = _sqlite_triggers()
    elif dialect == "postgresql":
        statements = _postgresql_triggers()
    else:
        statements = []  # other databases: nothing is stored as current (see stored_findings)
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in (*WATCHED, "documents"):
            for verb in ("insert", "update", "delete", "text"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_revision_{verb}")
    elif dialect == "postgresql":
        for table in (*WATCHED, "documents"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_revision ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {table}_revision()")
    op.drop_table('stored_findings')
    with op.batch_alter_table('extractions', schema=None) as batch_op:
        batch_op.drop_column('revision')
