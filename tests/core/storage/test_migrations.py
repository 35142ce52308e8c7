"""The migrations build the schema the ORM expects, with SQLite and PostgreSQL guards."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from core.services.project import Project
from core.storage import db
from core.storage.models import Base


def test_migrations_match_the_orm(project: Project) -> None:
    with project.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert db.current_revision(project.engine) == db.head_revision()


def test_every_table_exists(project: Project) -> None:
    tables = set(inspect(project.engine).get_table_names())
    expected = {
        "templates",
        "reviewers",
        "studies",
        "documents",
        "extractions",
        "group_rows",
        "field_values",
        "anchors",
        "audit_log",
        "alembic_version",
    }
    assert expected <= tables


def test_audit_log_refuses_update_and_delete(project: Project) -> None:
    with project.engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one()
    assert count >= 1  # storing the template was audited
    for statement in ("UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), project.engine.begin() as conn:
            conn.execute(text(statement))
    with project.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == count


def test_sqlite_project_uses_wal_and_foreign_keys(sqlite_project: Project) -> None:
    with sqlite_project.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1


def test_opening_runs_pending_migrations_and_is_idempotent(db_target: str) -> None:
    Project.create(db_target).close()
    for _ in range(2):
        reopened = Project.open(db_target)
        assert db.current_revision(reopened.engine) == db.head_revision()
        assert reopened.template.id == "clinical_trial"
        reopened.close()


def test_the_head_revision_in_code_is_the_newest_migration_script() -> None:
    assert db.head_revision() == db.scripts_head_revision()
