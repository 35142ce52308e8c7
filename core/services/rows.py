"""Rows of repeating groups (arms, outcomes, adverse events): add, remove, move.

Each change is one audited transaction and returns, like every edit, the extraction's
findings as they stand after it: removing an arm can make the arm sizes stop adding up.
"""

import re
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain import Changes
from core.errors import NotFoundError
from core.services.checks import findings_changes
from core.services.extractions import editable_extraction
from core.services.project import Project
from core.storage.models import Acknowledgement, GroupRow
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
        before = {row.id: row.position for row in rows}
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
        moves = {before[r.id]: (None if r is victim else r.position) for r in rows}
        carried = carry_acknowledgements(session, extraction_id, group_id, moves)
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
            new={"acknowledgements": carried} if carried else None,
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
        before = {row.id: row.position for row in rows}
        moved = rows.pop(position - 1)
        rows.insert(new_position - 1, moved)
        for index, row in enumerate(rows):
            row.position = index + 1
        moves = {before[r.id]: r.position for r in rows}
        carried = carry_acknowledgements(session, extraction_id, group_id, moves)
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
            new={"row": new_position, **({"acknowledgements": carried} if carried else {})},
        )
        changes = _with_findings(session, project, extraction_id, group_id)
    return changes


def carry_acknowledgements(
    session: Session, extraction_id: int, group_id: str, moves: Mapping[int, int | None]
) -> dict[str, str | None]:
    """Keep acknowledgements with their rows when rows change place.

    An acknowledgement names its finding by path (`arm_sum@arms[3].n_randomized`);
    `moves` maps a row's old position to its new one, None for a row that is gone
    (its acknowledgements go with it). Returns old key -> new key (None: removed).
    """
    query = select(Acknowledgement).where(
        Acknowledgement.extraction_id == extraction_id,
        Acknowledgement.finding_key.contains(f"@{group_id}["),
    )
    changed: dict[str, str | None] = {}
    moving: list[tuple[Acknowledgement, str]] = []
    for ack in session.scalars(query):
        match = _ROW_PATH.fullmatch(ack.finding_key)
        if match is None or match["group"] != group_id:
            continue
        old = int(match["row"])
        if old not in moves or moves[old] == old:
            continue
        new = moves[old]
        if new is None:
            changed[ack.finding_key] = None
            session.delete(ack)
            continue
        key = f"{match['code']}@{group_id}[{new}]{match['rest']}"
        changed[ack.finding_key] = key
        moving.append((ack, key))
    for ack, _ in moving:  # through unique placeholders: two rows may swap keys
        ack.finding_key = f"moving:{ack.id}"
    session.flush()
    for ack, key in moving:
        ack.finding_key = key
    session.flush()
    return changed


_ROW_PATH = re.compile(r"(?P<code>[^@]*)@(?P<group>\w+)\[(?P<row>\d+)\](?P<rest>.*)")


def _with_findings(
    session: Session, project: Project, extraction_id: int, group_id: str
) -> Changes:
    return findings_changes(session, project.template, extraction_id) | Changes(
        extractions=frozenset({extraction_id}), fields=frozenset({group_id})
    )
