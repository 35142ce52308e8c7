"""Submitting an extraction (locks it for its reviewer) and reopening it with a reason.

One transaction per call, audited. Safe from any thread.
"""

from sqlalchemy.orm import Session

from core.domain import Changes, ExtractionStatus
from core.errors import ValidationError
from core.services.checks import blocking_message, findings_in_session
from core.services.project import Project
from core.storage.models import Extraction, utcnow
from core.storage.repositories import audit, extractions


def submit_extraction(project: Project, extraction_id: int) -> Changes:
    """Mark the extraction submitted; from then on its values cannot be edited.

    Refused while an error finding is neither fixed nor acknowledged; warnings never
    block.
    """
    template = project.template
    with project.uow() as session:
        row = extractions.extraction(session, extraction_id)
        if row.status != ExtractionStatus.IN_PROGRESS.value:
            raise ValidationError(f"This extraction is already {row.status.replace('_', ' ')}.")
        blocking = blocking_message(findings_in_session(session, template, extraction_id))
        if blocking is not None:
            raise ValidationError(blocking)
        change_status(session, row, ExtractionStatus.SUBMITTED, actor=row.reviewer.name)
        study_id = row.study_id
    return Changes(studies=frozenset({study_id}), extractions=frozenset({extraction_id}))


def reopen_extraction(project: Project, extraction_id: int, reason: str) -> Changes:
    """Unlock a submitted extraction for editing; the reason goes to the audit log."""
    if not reason.strip():
        raise ValidationError("Say why the extraction is reopened; the reason is logged.")
    with project.uow() as session:
        row = extractions.extraction(session, extraction_id)
        if row.status != ExtractionStatus.SUBMITTED.value:
            raise ValidationError(
                f"Only a submitted extraction can be reopened; this one is "
                f"{row.status.replace('_', ' ')}."
            )
        change_status(
            session, row, ExtractionStatus.IN_PROGRESS, actor=row.reviewer.name, reason=reason
        )
        study_id = row.study_id
    return Changes(studies=frozenset({study_id}), extractions=frozenset({extraction_id}))


ACTIONS = {
    ("reviewer", ExtractionStatus.SUBMITTED): "submit",
    ("reviewer", ExtractionStatus.IN_PROGRESS): "reopen",
    ("final", ExtractionStatus.FINAL): "finish_adjudication",
    ("final", ExtractionStatus.IN_PROGRESS): "reopen_adjudication",
}


def change_status(
    session: Session, row: Extraction, status: ExtractionStatus, *, actor: str, reason: str = ""
) -> None:
    """Move an extraction (or final record) to `status`, with its audit row."""
    old = row.status
    row.status = status.value
    row.updated_at = utcnow()
    audit.record(
        session,
        actor=actor,
        action=ACTIONS[row.kind, status],
        entity="extraction",
        entity_id=row.id,
        study_id=row.study_id,
        extraction_id=row.id,
        old={"status": old},
        new={"status": status.value},
        reason=reason.strip(),
    )
