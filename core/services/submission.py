"""Submitting an extraction (locks it for its reviewer) and reopening it with a reason.

One transaction per call, audited. Safe from any thread.
"""

from core.domain import Changes, ExtractionStatus
from core.errors import ValidationError
from core.services.checks import blocking_message, findings_in_session
from core.services.project import Project
from core.storage.models import utcnow
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
        row.status = ExtractionStatus.SUBMITTED.value
        row.updated_at = utcnow()
        audit.record(
            session,
            actor=row.reviewer.name,
            action="submit",
            entity="extraction",
            entity_id=row.id,
            study_id=row.study_id,
            extraction_id=row.id,
            old={"status": "in_progress"},
            new={"status": "submitted"},
        )
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
        row.status = ExtractionStatus.IN_PROGRESS.value
        row.updated_at = utcnow()
        audit.record(
            session,
            actor=row.reviewer.name,
            action="reopen",
            entity="extraction",
            entity_id=row.id,
            study_id=row.study_id,
            extraction_id=row.id,
            old={"status": "submitted"},
            new={"status": "in_progress"},
            reason=reason.strip(),
        )
        study_id = row.study_id
    return Changes(studies=frozenset({study_id}), extractions=frozenset({extraction_id}))
