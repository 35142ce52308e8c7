"""Engines, migrations and the unit of work: the one place that commits.

Two writers at once (two windows, two reviewers, a reviewer and an adjudicator) never
lose an update: on SQLite a unit of work that writes begins with BEGIN IMMEDIATE, so
writers queue for the lock (up to the busy timeout) and each reads what the previous
one committed; on PostgreSQL the services lock the extraction they change. Every
changed field value gets its `version` raised once per unit of work, and an UPDATE or
DELETE of a value whose version moved on in between is refused (StaleWriteError).
"""

import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from core.errors import StaleWriteError, TrialAbstractorError
from core.storage.models import FieldValue

# Execution option of connections that will write: SQLite begins them IMMEDIATE.
WRITES = "trial_abstractor_writes"
# How long a SQLite writer waits for another to finish before giving up. SQLite does
# not queue waiters in order: under a stream of writes one may wait seconds.
BUSY_TIMEOUT_MS = 30000
CONCURRENT_CHANGE = (
    "Someone else changed this in the project while you were saving; your change was "
    "not saved. Reload and try again."
)
BUSY = (
    "The project is busy: another window or program has been saving for over "
    f"{BUSY_TIMEOUT_MS // 1000} seconds. Nothing was saved; try again."
)


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
    # The driver would begin a transaction only at the first INSERT, UPDATE or
    # DELETE, so a unit of work's reads would not be part of its transaction;
    # _sqlite_begin begins every transaction instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """BEGIN IMMEDIATE for writers, so they wait for each other at the start.

    A deferred transaction that read first and then tries to write after another
    writer committed fails at once with "database is locked" (its snapshot is
    stale, the busy timeout does not help); an immediate one waits for the lock.
    Readers stay deferred and read one consistent snapshot.
    """
    writes = connection.get_execution_options().get(WRITES, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")


def make_engine(url: str) -> Engine:
    if url.startswith("postgresql") and "+" not in url.split("://", 1)[0]:
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


# The newest migration (core/storage/migrations/versions); a test holds it to Alembic's
# own answer. Opening an up-to-date project then needs neither Alembic nor the scripts.
HEAD_REVISION = "0005"


def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    location = resources.files("core.storage") / "migrations"
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    return HEAD_REVISION


def scripts_head_revision() -> str | None:
    """The head as Alembic reads it from the migration scripts."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database; None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        return next(iter(found), None)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (no-op when already there)."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    config = _alembic_config()
    with engine.connect() as connection:
        connection.execution_options(**{WRITES: True})
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


class UnitOfWork:
    """Opens a session per call boundary; commits on success, rolls back on error."""

    def __init__(self, engine: Engine) -> None:
        self._factory = sessionmaker(engine, expire_on_commit=False, future=True)
        event.listen(self._factory, "before_flush", _raise_versions)
        event.listen(self._factory, "after_transaction_end", _forget_versions)

    @contextmanager
    def __call__(self) -> Iterator[Session]:
        session = self._factory()
        try:
            session.connection(execution_options={WRITES: True})
            yield session
            session.commit()
        except StaleDataError as exc:
            session.rollback()
            raise StaleWriteError(CONCURRENT_CHANGE) from exc
        except OperationalError as exc:
            session.rollback()
            if "database is locked" in str(exc.orig):
                raise TrialAbstractorError(BUSY) from exc
            raise
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


_RAISED = "raised_versions"


def _raise_versions(session: Session, _context: Any, _instances: Any) -> None:
    """Raise the version of each field value changed in this transaction, once.

    A unit of work may flush a value several times; it is still one change. Values
    inserted in the transaction keep the version they were created with.
    """
    seen: weakref.WeakSet[FieldValue] = session.info.setdefault(_RAISED, weakref.WeakSet())
    for obj in session.new:
        if isinstance(obj, FieldValue):
            seen.add(obj)
    for obj in session.dirty:
        if (
            isinstance(obj, FieldValue)
            and obj not in seen
            and session.is_modified(obj, include_collections=False)
        ):
            obj.version = (obj.version or 0) + 1
            seen.add(obj)


def _forget_versions(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_RAISED, None)
