"""Rows of repeating groups (arms, outcomes, adverse events): add, remove, move.

Each change is one audited transaction and returns, like every edit, the extraction's
findings as they stand after it: removing an arm can make the arm sizes stop adding up.
"""

from sqlalchemy.orm import Session

from core.domain import Changes
from core.errors import NotFoundError
from core.services.checks import findings_changes
from core.services.extractions import editable_extraction
from core.services.project import Project
from core.storage.models import GroupRow
from core.storage.repositories import audit
from core.storage.repositories import extractions as repository


def add_row(project: Project, extraction_id: int, group_id: str) -> tuple[int, Changes]:
    """Append a row to a repeating group; returns its 1-based position."""
    if project.template.group(group_id) is None:
        raise NotFoundError(f"The form has no repeating group '{group_id}'.")
    with project.uow() as session:
        ext = editable_extraction(session, extraction_id, viewer=project.viewer)
        existing = repository.rows(session, extraction_id, group_id)
        position = len(existing) + 1
        row = GroupRow(extraction_id=extraction_id, group_id=group_id, position=position)
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor=ext.reviewer.name,
            action="add_row",
            entity="group_row",
            entity_id=row.id,
            study_id=ext.study_id,
            extraction_id=extraction_id,
            field_key=f"{group_id}[{position}]",
            new={"row": position},
        )
        changes = _with_findings(session, project, extraction_id, group_id)
    return position, changes


def remove_row(project: Project, extraction_id: int, group_id: str, position: int) -> Changes:
    """Delete a group row with its values; later rows move up."""
    with project.uow() as session:
        ext = editable_extraction(session, extraction_id, viewer=project.viewer)
        rows = repository.rows(session, extraction_id, group_id)
        if not 1 <= position <= len(rows):
            raise NotFoundError(f"{group_id} has no row {position}.")
        victim = rows[position - 1]
        snapshot = {
            v.field_id: {"value": v.value, "status": v.status, "raw_text": v.raw_text}
            for v in repository.values_of_row(session, victim.id)
        }
        for value in repository.values_of_row(session, victim.id):
            session.delete(value)
        session.flush()  # the values first: deleting the row first would cascade to them
        session.delete(victim)
        for index, row in enumerate(r for r in rows if r is not victim):
            row.position = index + 1
        audit.record(
            session,
            actor=ext.reviewer.name,
            action="remove_row",
            entity="group_row",
            entity_id=victim.id,
            study_id=ext.study_id,
            extraction_id=extraction_id,
            field_key=f"{group_id}[{position}]",
            old=snapshot,
        )
        changes = _with_findings(session, project, extraction_id, group_id)
    return changes


def move_row(
    project: Project, extraction_id: int, group_id: str, position: int, new_position: int
) -> Changes:
    """Reorder a group row; its values move with it."""
    with project.uow() as session:
        ext = editable_extraction(session, extraction_id, viewer=project.viewer)
        rows = repository.rows(session, extraction_id, group_id)
        if not (1 <= position <= len(rows) and 1 <= new_position <= len(rows)):
            raise NotFoundError(f"{group_id} has no row {position} or {new_position}.")
        moved = rows.pop(position - 1)
        rows.insert(new_position - 1, moved)
        for index, row in enumerate(rows):
            row.position = index + 1
        audit.record(
            session,
            actor=ext.reviewer.name,
            action="move_row",
            entity="group_row",
            entity_id=moved.id,
            study_id=ext.study_id,
            extraction_id=extraction_id,
            field_key=group_id,
            old={"row": position},
            new={"row": new_position},
        )
        changes = _with_findings(session, project, extraction_id, group_id)
    return changes


def _with_findings(
    session: Session, project: Project, extraction_id: int, group_id: str
) -> Changes:
    return findings_changes(session, project.template, extraction_id) | Changes(
        extractions=frozenset({extraction_id}), fields=frozenset({group_id})
    )
