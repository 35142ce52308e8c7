"""Queries for the checks: extractions' values in bulk, document texts, acknowledgements.

Values and anchors are read as plain columns on the session's connection, not as ORM
objects, so that checking every extraction of a large project stays quick: the bulk
queries hand back the driver's own row tuples, and spell the common column values (a
value's status "value", an anchor's status "exact") as NULL, which costs nothing to read.
The session is flushed first, so the checks see the calling transaction's own writes.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Executable, Text, case, cast, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from core.storage.models import (
    Acknowledgement,
    AnchorRow,
    Document,
    Extraction,
    FieldValue,
    GroupRow,
    StoredFindings,
    Study,
)


def _rows(session: Session, query: Executable) -> Sequence[Any]:
    session.flush()
    return session.connection().execute(query).all()


def _driver_rows(session: Session, query: Executable) -> Sequence[Any]:
    """The rows as the database driver returns them: plain tuples, no result processing
    (the columns are integers and strings, which need none)."""
    session.flush()
    result = session.connection().execute(query)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


def group_rows(session: Session, extraction_ids: Sequence[int]) -> Sequence[Any]:
    """(extraction id, group id, row id) in display order within each group."""
    query = (
        select(GroupRow.extraction_id, GroupRow.group_id, GroupRow.id)
        .where(GroupRow.extraction_id.in_(extraction_ids))
        .order_by(GroupRow.extraction_id, GroupRow.group_id, GroupRow.position, GroupRow.id)
    )
    return _driver_rows(session, query)


def values(session: Session, extraction_ids: Sequence[int]) -> Sequence[Any]:
    """(id, extraction id, field id, row id, status, raw text, value as JSON text, unit)
    of the extractions' stored answers.

    The status is NULL for "value"; the raw text is read only for an answer without a
    value ("" otherwise), the one case the checks look at it. The value is left as
    text: decoding hundreds of thousands through the column type costs more than the
    caller's shortcuts.
    """
    text = cast(FieldValue.value, Text)
    query = select(
        FieldValue.id,
        FieldValue.extraction_id,
        FieldValue.field_id,
        FieldValue.row_id,
        func.nullif(FieldValue.status, "value"),
        case((or_(FieldValue.value.is_(None), text == "null"), FieldValue.raw_text), else_=""),
        text,
        FieldValue.unit,
    ).where(FieldValue.extraction_id.in_(extraction_ids))
    return _driver_rows(session, query)


def _anchored(extraction_ids: Sequence[int]) -> Any:
    return (
        select(AnchorRow)
        .join(FieldValue, FieldValue.id == AnchorRow.field_value_id)
        .where(FieldValue.extraction_id.in_(extraction_ids))
    )


def anchors(session: Session, extraction_ids: Sequence[int]) -> Sequence[Any]:
    """(value id, document id, start, end, exact, status) of the evidence of the
    extractions' values, by value and then display order; the status is NULL for
    "exact"."""
    query = (
        _anchored(extraction_ids)
        .with_only_columns(
            AnchorRow.field_value_id,
            AnchorRow.document_id,
            AnchorRow.start,
            AnchorRow.end,
            AnchorRow.exact,
            func.nullif(AnchorRow.status, "exact"),
        )
        .order_by(AnchorRow.field_value_id, AnchorRow.position, AnchorRow.id)
    )
    return _driver_rows(session, query)


def evidence_texts(session: Session, extraction_ids: Sequence[int]) -> dict[int, str]:
    """Document id -> canonical text of every document the extractions' evidence quotes."""
    quoted = _anchored(extraction_ids).with_only_columns(AnchorRow.document_id).distinct()
    query = select(Document.id, Document.text).where(Document.id.in_(quoted))
    return dict(_driver_rows(session, query))


def plain_values_by_study(
    session: Session, field_id: str, *, containing: str | None = None
) -> Sequence[Any]:
    """(extraction id, study id, study name, value as JSON text) of one plain field in
    every extraction; with `containing`, only values whose text contains it (letters and
    digits only)."""
    text = cast(FieldValue.value, Text)
    query = (
        select(Extraction.id, Study.id, Study.name, text)
        .join(Extraction, Extraction.id == FieldValue.extraction_id)
        .join(Study, Study.id == Extraction.study_id)
        .where(FieldValue.field_key == field_id, FieldValue.status == "value")
    )
    if containing is not None:
        if not containing.isalnum():
            raise ValueError(f"not letters and digits: {containing!r}")
        query = query.where(text.like(f"%{containing}%"))
    return _rows(session, query)


def stored_findings(session: Session, checked_with: str) -> dict[int, tuple[int, str]]:
    """Extraction id -> (revision, findings as JSON text) of the lists stored by `checked_with`."""
    query = select(
        StoredFindings.extraction_id, StoredFindings.revision, StoredFindings.findings
    ).where(StoredFindings.checked_with == checked_with)
    return {row[0]: (row[1], row[2]) for row in _driver_rows(session, query)}


def revisions(session: Session, extraction_ids: Sequence[int]) -> dict[int, int]:
    """Extraction id -> its current revision."""
    query = select(Extraction.id, Extraction.revision).where(Extraction.id.in_(extraction_ids))
    return dict(_driver_rows(session, query))


def replace_stored_findings(session: Session, rows: Sequence[tuple[int, int, str, str]]) -> None:
    """Store (extraction id, revision, checked_with, findings), replacing earlier lists."""
    if not rows:
        return
    session.flush()
    connection = session.connection()
    ids = [row[0] for row in rows]
    connection.execute(delete(StoredFindings).where(StoredFindings.extraction_id.in_(ids)))
    connection.execute(
        insert(StoredFindings),
        [
            {"extraction_id": e, "revision": r, "checked_with": c, "findings": f}
            for e, r, c, f in rows
        ],
    )


def acknowledgements(session: Session, extraction_ids: Sequence[int]) -> Sequence[Any]:
    """(extraction id, finding key, reason) of the extractions' acknowledgements."""
    query = select(
        Acknowledgement.extraction_id, Acknowledgement.finding_key, Acknowledgement.reason
    ).where(Acknowledgement.extraction_id.in_(extraction_ids))
    return _rows(session, query)


def acknowledgement(session: Session, extraction_id: int, key: str) -> Acknowledgement | None:
    query = select(Acknowledgement).where(
        Acknowledgement.extraction_id == extraction_id, Acknowledgement.finding_key == key
    )
    return session.scalars(query).first()
