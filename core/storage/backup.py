"""Copies of SQLite projects taken with SQLite's online backup (safe while in use)."""

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from core.errors import TrialAbstractorError


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite project URL, None for other databases."""
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def backup_sqlite(source: Path, dest: Path) -> Path:
    """Copy a SQLite database page by page into `dest` (written aside, then moved in)."""
    if not source.exists():
        raise TrialAbstractorError(f"No project at {source}: the file does not exist.")
    if dest.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        dest = dest / f"{source.stem}-{stamp}{source.suffix or '.sqlite'}"
    partial = dest.with_name(dest.name + ".part")
    try:
        reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        writer = sqlite3.connect(partial)
        try:
            reader.backup(writer, pages=1024)
            check = writer.execute("PRAGMA integrity_check").fetchone()[0]
            # a copy is one self-contained file: no -wal or -shm beside it
            writer.execute("PRAGMA journal_mode=DELETE")
        finally:
            writer.close()
            reader.close()
        if check != "ok":
            raise TrialAbstractorError(f"The backup of {source.name} failed its check: {check}")
        partial.replace(dest)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise TrialAbstractorError(f"Cannot back up {source.name}: {exc}.") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return dest
