"""Shared fixtures: real project databases (SQLite always, PostgreSQL when given)."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.services.project import Project

PG_ENV = "TRIAL_ABSTRACTOR_TEST_DATABASE_URL"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _postgres_database() -> Iterator[str]:
    server = os.environ.get(PG_ENV)
    if not server:
        pytest.skip(f"{PG_ENV} is not set")
    name = f"ta_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where a fresh project goes: a SQLite file path, or a new PostgreSQL database URL."""
    if request.param == "sqlite":
        yield str(tmp_path / "project.sqlite")
    else:
        yield from _postgres_database()


@pytest.fixture
def project(db_target: str) -> Iterator[Project]:
    """A new, empty project with the default template."""
    opened = Project.create(db_target)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_project(tmp_path: Path) -> Iterator[Project]:
    opened = Project.create(tmp_path / "project.sqlite")
    yield opened
    opened.close()
