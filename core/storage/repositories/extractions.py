"""Queries for extractions, their group rows, values and evidence anchors."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core.errors import NotFoundError
from core.storage.models import Extraction, FieldValue, GroupRow, Reviewer, Study


def extraction(session: Session, extraction_id: int, *, lock: bool = False) -> Extraction:
    """The extraction; `lock` holds its row until the transaction ends (FOR NO KEY UPDATE)."""
    found = session.get(
        Extraction, extraction_id, with_for_update={"key_share": True} if lock else None
    )
    if found is None:
        raise NotFoundError(f"There is no extraction with id {extraction_id} in this project.")
    return found


def extraction_heads(
    session: Session, extraction_ids: Sequence[int] | None = None
) -> Sequence[Any]:
    """(id, study id, study name, reviewer, kind, status, revision) of every extraction, or
    of those in `extraction_ids`, by study name, then reviewer, as plain rows."""
    query = (
        select(
            Extraction.id,
            Extraction.study_id,
            Study.name,
            Reviewer.name,
            Extraction.kind,
            Extraction.status,
            Extraction.revision,
        )
        .join(Study, Study.id == Extraction.study_id)
        .join(Reviewer, Reviewer.id == Extraction.reviewer_id)
        .order_by(Study.name, Reviewer.name, Extraction.id)
    )
    if extraction_ids is not None:
        query = query.where(Extraction.id.in_(extraction_ids))
    session.flush()
    return session.connection().execute(query).all()


def extraction_for(session: Session, study_id: int, reviewer_id: int) -> Extraction | None:
    query = select(Extraction).where(
        Extraction.study_id == study_id, Extraction.reviewer_id == reviewer_id
    )
    return session.scalars(query).first()


def rows(session: Session, extraction_id: int, group_id: str) -> list[GroupRow]:
    query = (
        select(GroupRow)
        .where(GroupRow.extraction_id == extraction_id, GroupRow.group_id == group_id)
        .order_by(GroupRow.position, GroupRow.id)
    )
    return list(session.scalars(query))


def all_rows(session: Session, extraction_id: int) -> list[GroupRow]:
    query = (
        select(GroupRow)
        .where(GroupRow.extraction_id == extraction_id)
        .order_by(GroupRow.group_id, GroupRow.position, GroupRow.id)
    )
    return list(session.scalars(query))


def value(session: Session, extraction_id: int, field_key: str) -> FieldValue | None:
    query = (
        select(FieldValue)
        .where(FieldValue.extraction_id == extraction_id, FieldValue.field_key == field_key)
        .options(selectinload(FieldValue.anchors))
    )
    return session.scalars(query).first()


def values(session: Session, extraction_id: int) -> Sequence[FieldValue]:
    query = (
        select(FieldValue)
        .where(FieldValue.extraction_id == extraction_id)
        .options(selectinload(FieldValue.anchors), selectinload(FieldValue.updated_by))
        .order_by(FieldValue.id)
    )
    return session.scalars(query).all()


def values_of_row(session: Session, row_id: int) -> Sequence[FieldValue]:
    query = (
        select(FieldValue)
        .where(FieldValue.row_id == row_id)
        .options(selectinload(FieldValue.anchors))
    )
    return session.scalars(query).all()


def value_count(session: Session) -> int:
    return int(session.scalar(select(func.count(FieldValue.id))) or 0)
