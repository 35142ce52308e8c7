"""Queries for exports: extraction heads, answers, group rows, evidence and documents.

Everything is read as plain columns, in chunks of extraction ids, and the bulk queries
hand back the driver's own tuples (SQLAlchemy's row objects cost about a microsecond
each, a second per million answers). Values come back as JSON text (or, on SQLite,
numbers); the caller decodes a chunk at a time.
"""

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Executable, Text, cast, select
from sqlalchemy.orm import Session

from core.storage.models import (
    AnchorRow,
    Document,
    FieldValue,
    GroupRow,
    Study,
)

CHUNK = 2000  # extraction ids per query: well under every database's parameter limit


def _rows(session: Session, query: Executable) -> Sequence[Any]:
    return session.connection().execute(query).all()


def _plain_rows(session: Session, query: Executable) -> list[tuple[Any, ...]]:
    """The rows as the database driver returns them (tuples), without result processing."""
    result = session.connection().execute(query)
    try:
        return list(result.cursor.fetchall())
    finally:
        result.close()


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def study_names(session: Session) -> Sequence[Any]:
    """(id, name) of every study."""
    return _rows(session, select(Study.id, Study.name).order_by(Study.id))


def values(session: Session, extraction_ids: Sequence[int]) -> Iterator[list[tuple[Any, ...]]]:
    """Chunks of (value id, extraction id, field id, row id, status, value, unit) rows.

    The value is JSON text, or None; on SQLite a number comes as the number itself, since
    SQLite keeps numbers in a JSON column as numbers (casting them to text would round
    them to 15 digits).
    """
    if session.get_bind().dialect.name == "sqlite":
        stored: Any = FieldValue.value
    else:
        stored = cast(FieldValue.value, Text)
    for chunk in _chunks(extraction_ids):
        query = select(
            FieldValue.id,
            FieldValue.extraction_id,
            FieldValue.field_id,
            FieldValue.row_id,
            FieldValue.status,
            stored,
            FieldValue.unit,
        ).where(FieldValue.extraction_id.in_(chunk))
        yield _plain_rows(session, query)


def group_rows(session: Session, extraction_ids: Sequence[int]) -> Iterator[Any]:
    """(row id, extraction id, group id) in display order within each group."""
    for chunk in _chunks(extraction_ids):
        query = (
            select(GroupRow.id, GroupRow.extraction_id, GroupRow.group_id)
            .where(GroupRow.extraction_id.in_(chunk))
            .order_by(GroupRow.extraction_id, GroupRow.group_id, GroupRow.position, GroupRow.id)
        )
        yield from _rows(session, query)


def anchors(session: Session, extraction_ids: Sequence[int]) -> Iterator[Any]:
    """(value id, document id, source sha256, start, end, exact, prefix, suffix, page
    index, status) of the evidence of the extractions' values, in display order."""
    for chunk in _chunks(extraction_ids):
        query = (
            select(
                AnchorRow.field_value_id,
                AnchorRow.document_id,
                AnchorRow.source_sha256,
                AnchorRow.start,
                AnchorRow.end,
                AnchorRow.exact,
                AnchorRow.prefix,
                AnchorRow.suffix,
                AnchorRow.page_index,
                AnchorRow.status,
            )
            .join(FieldValue, FieldValue.id == AnchorRow.field_value_id)
            .where(FieldValue.extraction_id.in_(chunk))
            .order_by(AnchorRow.field_value_id, AnchorRow.position, AnchorRow.id)
        )
        yield from _plain_rows(session, query)


def documents(session: Session) -> Sequence[Any]:
    """(id, study id, filename, media type, sha256) of every document, without contents."""
    query = select(
        Document.id, Document.study_id, Document.filename, Document.media_type, Document.sha256
    ).order_by(Document.id)
    return _rows(session, query)
