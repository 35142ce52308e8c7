"""Undo and redo below the widgets: the state of a field or a row, captured and restored.

An edit is undone by restoring the state captured before it and redone by
restoring the state after it. Each restore is one audited transaction.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from core.domain import Anchor, Changes, FieldStatus
from core.domain.findings import finding_key
from core.errors import NotFoundError
from core.services.checks import findings_changes
from core.services.extractions import editable_extraction, resolve_row, visible_extraction
from core.services.paths import FieldPath, field_key, field_spec, parse_path
from core.services.project import Project
from core.services.read_models import anchor_model, anchor_row
from core.services.rows import carry_acknowledgements
from core.services.versions import check_expected, first_version
from core.storage.models import Acknowledgement, Extraction, FieldValue, GroupRow, utcnow
from core.storage.repositories import audit, extractions
from core.storage.repositories import checks as check_queries


class FieldState(BaseModel):
    """Everything stored for one field: value, status, note and evidence.

    In a row's state (`row_state`), also the acknowledgements of findings on the field,
    by finding code, so that undoing a row's removal brings them back too.
    """

    model_config = ConfigDict(frozen=True)

    status: FieldStatus
    value: Any = None
    unit: str | None = None
    raw_text: str = ""
    note: str = ""
    anchors: tuple[Anchor, ...] = ()
    version: int = 0  # the stored version this state was read at (0: not stored)
    acknowledgements: dict[str, str] = {}  # finding code -> reason


def _state(row: FieldValue | None) -> FieldState | None:
    if row is None:
        return None
    return FieldState(
        status=FieldStatus(row.status),
        value=row.value,
        unit=row.unit,
        raw_text=row.raw_text,
        note=row.note,
        anchors=tuple(anchor_model(a) for a in row.anchors),
        version=row.version,
    )


def field_state(project: Project, extraction_id: int, path: str) -> FieldState | None:
    """The field's current state, None when it holds nothing."""
    with project.uow.read() as session:
        visible_extraction(session, project, extraction_id)
        key = resolve_row(session, extraction_id, parse_path(path))
        return _state(extractions.value(session, extraction_id, key))


def _write(
    session: Session,
    ext: Extraction,
    key: str,
    path: FieldPath,
    row_id: int | None,
    state: FieldState | None,
) -> None:
    row = extractions.value(session, ext.id, key)
    if state is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        row = FieldValue(
            extraction_id=ext.id,
            field_key=key,
            field_id=path.field,
            row_id=row_id,
            updated_by_id=ext.reviewer_id,
            version=first_version(session, ext.id, path),
        )
        session.add(row)
    row.status = state.status.value
    row.value = state.value
    row.unit = state.unit
    row.raw_text = state.raw_text
    row.note = state.note
    row.updated_at = utcnow()
    row.updated_by_id = ext.reviewer_id
    row.anchors.clear()
    session.flush()
    for position, anchor in enumerate(state.anchors):
        row.anchors.append(anchor_row(anchor, position))


def restore_field(
    project: Project,
    extraction_id: int,
    path: str,
    state: FieldState | None,
    *,
    action: str = "undo",
    expected_version: int | None = None,
) -> Changes:
    """Put a field back into `state` (None empties it), as one audited transaction.

    With `expected_version` (the version the caller shows, 0 for none) a field that
    someone else changed since is refused with StaleWriteError, nothing written.
    """
    parsed = parse_path(path)
    field_spec(project.template, parsed)
    with project.uow() as session:
        ext = editable_extraction(session, extraction_id, viewer=project.viewer)
        key = resolve_row(session, extraction_id, parsed)
        current = extractions.value(session, extraction_id, key)
        check_expected(session, project.template, ext.id, parsed, current, expected_version)
        before = _state(current)
        row_id = None if parsed.group is None else int(key.split("#", 1)[1].split(".", 1)[0])
        _write(session, ext, key, parsed, row_id, state)
        ext.updated_at = utcnow()
        audit.record(
            session,
            actor=ext.reviewer.name,
            action=action,
            entity="field_value",
            study_id=ext.study_id,
            extraction_id=ext.id,
            field_key=str(parsed),
            old=before.model_dump(mode="json") if before else None,
            new=state.model_dump(mode="json") if state else None,
        )
        return findings_changes(session, project.template, ext.id) | Changes(
            studies=frozenset({ext.study_id}),
            extractions=frozenset({extraction_id}),
            fields=frozenset({str(parsed)}),
        )


def row_state(
    project: Project, extraction_id: int, group_id: str, position: int
) -> dict[str, FieldState]:
    """The states of every field of one group row, by field id."""
    with project.uow.read() as session:
        visible_extraction(session, project, extraction_id)
        rows = extractions.rows(session, extraction_id, group_id)
        if not 1 <= position <= len(rows):
            raise NotFoundError(f"{group_id} has no row {position}.")
        reasons: dict[str, dict[str, str]] = {}
        prefix = f"{group_id}[{position}]."
        for _, key, reason in check_queries.acknowledgements(session, [extraction_id]):
            code, _, path = key.partition("@")
            if path.startswith(prefix):
                reasons.setdefault(path.removeprefix(prefix), {})[code] = reason
        result = {}
        for value in extractions.values_of_row(session, rows[position - 1].id):
            state = _state(value)
            if state is not None:
                acknowledged = reasons.get(value.field_id, {})
                result[value.field_id] = state.model_copy(update={"acknowledgements": acknowledged})
        return result


def insert_row(
    project: Project,
    extraction_id: int,
    group_id: str,
    position: int,
    states: dict[str, FieldState],
) -> Changes:
    """Insert a group row at `position` holding `states` (undo of removing it)."""
    group = project.template.group(group_id)
    if group is None:
        raise NotFoundError(f"The form has no repeating group '{group_id}'.")
    with project.uow() as session:
        ext = editable_extraction(session, extraction_id, viewer=project.viewer)
        rows = extractions.rows(session, extraction_id, group_id)
        before = {row.id: row.position for row in rows}
        position = max(1, min(position, len(rows) + 1))
        new = GroupRow(extraction_id=extraction_id, group_id=group_id, position=position)
        session.add(new)
        session.flush()
        rows.insert(position - 1, new)
        for index, row in enumerate(rows):
            row.position = index + 1
        moves = {before[r.id]: r.position for r in rows if r.id in before}
        carry_acknowledgements(session, extraction_id, group_id, moves)
        for field_id, state in states.items():
            path = FieldPath(field=field_id, group=group_id, row=position)
            field_spec(project.template, path)
            _write(session, ext, field_key(path, new.id), path, new.id, state)
            for code, reason in state.acknowledgements.items():
                session.add(
                    Acknowledgement(
                        extraction_id=ext.id,
                        finding_key=finding_key(code, str(path)),
                        reason=reason,
                        actor=ext.reviewer.name,
                    )
                )
        audit.record(
            session,
            actor=ext.reviewer.name,
            action="insert_row",
            entity="group_row",
            entity_id=new.id,
            study_id=ext.study_id,
            extraction_id=ext.id,
            field_key=f"{group_id}[{position}]",
            new={k: v.model_dump(mode="json") for k, v in states.items()},
        )
        return findings_changes(session, project.template, ext.id) | Changes(
            studies=frozenset({ext.study_id}),
            extractions=frozenset({extraction_id}),
            fields=frozenset({group_id}),
        )
