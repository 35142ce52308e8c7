"""Reviewers, extractions, repeating-group rows, and reading an extraction's values.

Every mutating call is one transaction with its audit rows and returns `Changes`.
Safe to call from any thread: each call opens its own session.
"""

from sqlalchemy.orm import Session

from core.domain import Changes, ExtractionInfo, FieldValueInfo, ReviewerInfo, StudyInfo
from core.errors import BlindedError, NotFoundError, ValidationError
from core.services.access import FINAL_KIND, ensure_visible
from core.services.assignments import claim_slot
from core.services.paths import FieldPath, field_key
from core.services.project import Project
from core.services.read_models import extraction_info, field_value_info, study_infos
from core.storage.models import Extraction, GroupRow, Reviewer
from core.storage.repositories import audit, catalog, extractions


def add_reviewer(project: Project, name: str) -> tuple[ReviewerInfo, Changes]:
    """Add a reviewer by name (an existing name is returned as it is)."""
    clean = " ".join(name.split())
    if not clean:
        raise ValidationError("A reviewer needs a name.")
    with project.uow() as session:
        found = catalog.reviewer_by_name(session, clean)
        if found is not None:
            return ReviewerInfo(id=found.id, name=found.name), Changes()
        row = Reviewer(name=clean)
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=clean,
            action="create",
            entity="reviewer",
            entity_id=row.id,
            new={"name": clean},
        )
        return ReviewerInfo(id=row.id, name=clean), Changes(reviewers=True)


def list_reviewers(project: Project) -> list[ReviewerInfo]:
    with project.uow.read() as session:
        return [ReviewerInfo(id=r.id, name=r.name) for r in catalog.reviewers(session)]


def list_studies(project: Project) -> list[StudyInfo]:
    """Every study with its documents and extractions, by name."""
    with project.uow.read() as session:
        return _study_infos(session)


def get_study(project: Project, study_id: int) -> StudyInfo | None:
    """One study with its documents and extractions; None when there is none."""
    with project.uow.read() as session:
        found = _study_infos(session, study_id)
        return found[0] if found else None


def _study_infos(session: Session, study_id: int | None = None) -> list[StudyInfo]:
    return study_infos(
        catalog.study_rows(session, study_id),
        catalog.document_rows(session, study_id),
        catalog.extraction_rows(session, study_id),
    )


def start_extraction(
    project: Project, study_id: int, reviewer: str
) -> tuple[ExtractionInfo, Changes]:
    """The reviewer's extraction of the study, created on first call."""
    with project.uow() as session:
        study = catalog.study(session, study_id)
        person = catalog.reviewer_by_name(session, reviewer)
        if person is None:
            raise NotFoundError(f"There is no reviewer called {reviewer}; add them first.")
        found = extractions.extraction_for(session, study.id, person.id)
        if found is not None and found.kind == FINAL_KIND:
            raise ValidationError(
                f"{person.name} adjudicates {study.name} and cannot also extract it."
            )
        if found is not None:
            return extraction_info(found), Changes()
        claim_slot(session, study, person)
        template = catalog.current_template(session)
        assert template is not None
        row = Extraction(study_id=study.id, reviewer_id=person.id, template_id=template.id)
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=person.name,
            action="create",
            entity="extraction",
            entity_id=row.id,
            study_id=study.id,
            extraction_id=row.id,
            new={"reviewer": person.name, "template_version": template.version},
        )
        session.refresh(row)
        info = extraction_info(row)
    return info, Changes(studies=frozenset({study_id}), extractions=frozenset({info.id}))


def get_extraction(project: Project, extraction_id: int) -> ExtractionInfo:
    with project.uow.read() as session:
        return extraction_info(visible_extraction(session, project, extraction_id))


def visible_extraction(session: Session, project: Project, extraction_id: int) -> Extraction:
    """The extraction, unless blinding hides it from the project's viewer."""
    row = extractions.extraction(session, extraction_id)
    ensure_visible(session, project.viewer, row)
    return row


def list_values(project: Project, extraction_id: int) -> list[FieldValueInfo]:
    """Every stored answer of the extraction, group rows by their current position."""
    with project.uow.read() as session:
        visible_extraction(session, project, extraction_id)
        return values_in_session(session, extraction_id)


def values_in_session(session: Session, extraction_id: int) -> list[FieldValueInfo]:
    """`list_values` inside a caller's transaction (no blinding: the caller checks)."""
    positions = _row_positions(extractions.all_rows(session, extraction_id))
    result = []
    for row in extractions.values(session, extraction_id):
        group_id, position = None, None
        if row.row_id is not None:
            group_id, position = positions[row.row_id]
        path = FieldPath(field=row.field_id, group=group_id, row=position)
        result.append(field_value_info(row, str(path), group_id, position))
    return sorted(result, key=lambda v: (v.group_id or "", v.row or 0, v.path))


def row_counts(project: Project, extraction_id: int) -> dict[str, int]:
    """How many rows each repeating group has in the extraction."""
    with project.uow.read() as session:
        visible_extraction(session, project, extraction_id)
        counts: dict[str, int] = {}
        for row in extractions.all_rows(session, extraction_id):
            counts[row.group_id] = counts.get(row.group_id, 0) + 1
        return counts


def _row_positions(rows: list[GroupRow]) -> dict[int, tuple[str, int]]:
    positions: dict[int, tuple[str, int]] = {}
    counter: dict[str, int] = {}
    for row in rows:
        counter[row.group_id] = counter.get(row.group_id, 0) + 1
        positions[row.id] = (row.group_id, counter[row.group_id])
    return positions


def editable_extraction(
    session: Session,
    extraction_id: int,
    *,
    viewer: str | None = None,
    final_record: bool = False,
) -> Extraction:
    """The extraction, refusing edits once it is submitted or final, or by another reviewer.

    A final record's values change only through adjudication decisions; `final_record`
    allows what is not a value (acknowledging a finding). The extraction stays locked
    until the transaction ends, so two writers of it take turns (PostgreSQL; a SQLite
    writer holds the whole database already).
    """
    row = extractions.extraction(session, extraction_id, lock=True)
    if viewer is not None and row.kind != FINAL_KIND and row.reviewer.name != viewer:
        raise BlindedError(
            f"{viewer} cannot change {row.reviewer.name}'s extraction; each reviewer "
            "works only in their own."
        )
    if row.kind == FINAL_KIND and not final_record:
        raise ValidationError(
            "The final record changes only through adjudication decisions, each logged."
        )
    if row.status != "in_progress":
        raise ValidationError(
            f"This extraction is {row.status.replace('_', ' ')}; reopen it before editing."
        )
    return row


def resolve_row(session: Session, extraction_id: int, path: FieldPath) -> str:
    """The storage key of a path, checking that its group row exists."""
    if path.group is None:
        return field_key(path, None)
    rows = extractions.rows(session, extraction_id, path.group)
    if path.row is None or not 1 <= path.row <= len(rows):
        raise NotFoundError(f"{path.group} has no row {path.row}; add the row first.")
    return field_key(path, rows[path.row - 1].id)
