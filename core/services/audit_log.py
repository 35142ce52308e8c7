"""Reading the audit trail: who changed what, when, from what, to what, and why."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from core.services.access import hidden_extractions
from core.services.project import Project
from core.storage.models import AuditEntry, Study
from core.storage.repositories import catalog


class AuditInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    study: str | None
    extraction_id: int | None
    field: str | None
    old: Any
    new: Any
    reason: str


def audit_trail(
    project: Project,
    *,
    study: str | None = None,
    extraction_id: int | None = None,
    field: str | None = None,
) -> list[AuditInfo]:
    """Audit entries in order, filtered by study name, extraction or field path."""
    with project.uow.read() as session:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if study is not None:
            found = catalog.study_by_name(session, study)
            if found is None:
                return []
            query = query.where(AuditEntry.study_id == found.id)
        if extraction_id is not None:
            query = query.where(AuditEntry.extraction_id == extraction_id)
        if field is not None:
            query = query.where(AuditEntry.field_key == field)
        names = {row[0]: row[1] for row in session.execute(select(Study.id, Study.name))}
        hidden = hidden_extractions(session, project.viewer)
        return [
            AuditInfo(
                id=e.id,
                at=e.at,
                actor=e.actor,
                action=e.action,
                entity=e.entity,
                study=names.get(e.study_id) if e.study_id else None,
                extraction_id=e.extraction_id,
                field=e.field_key,
                old=e.old,
                new=e.new,
                reason=e.reason,
            )
            for e in session.scalars(query)
            if e.extraction_id not in hidden
        ]
