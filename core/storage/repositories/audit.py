"""Appending to the audit log (rows are never updated or deleted)."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from core.storage.models import AuditEntry, Decision


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None = None,
    study_id: int | None = None,
    extraction_id: int | None = None,
    field_key: str | None = None,
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> None:
    session.add(
        AuditEntry(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            study_id=study_id,
            extraction_id=extraction_id,
            field_key=field_key,
            old=old,
            new=new,
            reason=reason,
        )
    )


def entries(session: Session, *, extraction_id: int | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if extraction_id is not None:
        query = query.where(AuditEntry.extraction_id == extraction_id)
    return list(session.scalars(query))


def field_change_count(session: Session, extraction_id: int, field_key: str) -> int:
    """How many audit rows one field of an extraction has."""
    query = select(func.count(AuditEntry.id)).where(
        AuditEntry.extraction_id == extraction_id, AuditEntry.field_key == field_key
    )
    return int(session.scalar(query) or 0)


def last_field_entry(session: Session, extraction_id: int, field_key: str) -> AuditEntry | None:
    """The newest audit row of one field of an extraction."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.extraction_id == extraction_id, AuditEntry.field_key == field_key)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def reopened_after_a_decision(session: Session) -> list[int]:
    """Studies in which a reviewer reopened their extraction after an adjudication
    decision was made: the only way a decision can become stale. Read through the
    study index of the log, for the studies that have decisions only."""
    decided = select(Decision.study_id).distinct().scalar_subquery()
    decision = aliased(AuditEntry)
    earlier = (
        select(decision.id)
        .where(
            decision.study_id == AuditEntry.study_id,
            decision.action == "decide",
            decision.id < AuditEntry.id,
        )
        .exists()
    )
    query = (
        select(AuditEntry.study_id)
        .where(AuditEntry.study_id.in_(decided), AuditEntry.action == "reopen", earlier)
        .distinct()
    )
    return [study_id for study_id in session.scalars(query) if study_id is not None]
