"""Engines, migrations and the unit of work: the one place that commits."""

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import TrialAbstractorError


def database_url(target: str | Path) -> str:
    """A project is a SQLite file path or any SQLAlchemy database URL."""
    text = str(target)
    if "://" in text:
        try:
            make_url(text)
        except ArgumentError as exc:
            raise TrialAbstractorError(f"Not a valid database URL: {text}") from exc
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql") and "+" not in url.split("://", 1)[0]:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _alembic_config() -> Config:
    config = Config()
    location = resources.files("core.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (no-op when already there)."""
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class UnitOfWork:
    """Opens a session per call boundary; commits on success, rolls back on error."""

    def __init__(self, engine: Engine) -> None:
        self._factory = sessionmaker(engine, expire_on_commit=False, future=True)

    @contextmanager
    def __call__(self) -> Iterator[Session]:
        session = self._factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries only: never commits."""
        session = self._factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()
