"""Adjudication: settling two reviewers' extractions of a study into its final record.

The final record is an extraction of its own (kind "final", owned by the adjudicator)
with its own values and evidence. It changes only through decisions: take A, take B,
edit (a new value with a reason), or "agreed" when both reviewers gave the same answer,
which starting the adjudication takes over by itself. Every decision is stored (never
changed; a newer one supersedes it) together with A's and B's answers as they stood. If
a reviewer later reopens and changes an answer, the decision on that field is stale:
the final value stays as decided and the field waits for a new decision. Nothing of A's
or B's extraction is ever written here, and nothing here is written by their services.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.adjudication import ComparisonState, FieldComparison, compare_extractions
from core.domain import Anchor, Changes, ExtractionStatus, FieldStatus, FieldValueInfo, Template
from core.domain.adjudication import (
    Adjudication,
    AdjudicationItem,
    Choice,
    DecisionInfo,
    ItemState,
)
from core.errors import BlindedError, NotFoundError, ValidationError
from core.services.access import DONE, FINAL_KIND, Role
from core.services.assignments import study_pair
from core.services.checks import blocking_message, findings_in_session
from core.services.editing import passage_anchor, snapshot
from core.services.extractions import values_in_session
from core.services.paths import FieldPath, field_key, field_spec, parse_path
from core.services.project import Project
from core.services.read_models import anchor_row
from core.services.submission import change_status
from core.services.typed_values import coerce_value
from core.storage.models import Decision, Extraction, FieldValue, GroupRow, Study, utcnow
from core.storage.repositories import audit, catalog, extractions


def adjudication(project: Project, study_id: int) -> Adjudication:
    """The study's adjudication; refused until both reviewers have submitted."""
    template = project.template
    with project.uow.read() as session:
        _require_adjudicator(session, project.viewer, None)
        return _build(session, template, catalog.study(session, study_id))


def start_adjudication(project: Project, study_id: int, *, adjudicator: str) -> Changes:
    """Create the study's final record and take over every answer both reviewers agree on.

    Idempotent: on a started adjudication it does nothing (answers that came to agree
    since then wait for a decision, as nothing is decided without the adjudicator).
    """
    template = project.template
    with project.uow() as session:
        person = _require_adjudicator(session, project.viewer, adjudicator)
        study = catalog.study(session, study_id)
        view = _build(session, template, study)
        if view.final_extraction_id is not None:
            return Changes()
        if any(e.reviewer_id == person.id for e in study.extractions):
            raise ValidationError(f"{person.name} extracted {study.name} and cannot adjudicate it.")
        current = catalog.current_template(session)
        assert current is not None
        final = Extraction(
            study_id=study.id,
            reviewer_id=person.id,
            template_id=current.id,
            kind=FINAL_KIND,
            status=ExtractionStatus.IN_PROGRESS.value,
        )
        session.add(final)
        session.flush()
        audit.record(
            session,
            actor=person.name,
            action="start_adjudication",
            entity="extraction",
            entity_id=final.id,
            study_id=study.id,
            extraction_id=final.id,
            new={"reviewer_a": view.reviewer_a, "reviewer_b": view.reviewer_b},
        )
        for item in view.items:
            if item.comparison.agreed_in_full and item.answer_a is not None:
                answer = _merged(item.answer_a, item.answer_b)
                _decide(session, template, final, item, Choice.AGREED, answer, "", person.name)
        final_id = final.id
    return Changes(studies=frozenset({study_id}), extractions=frozenset({final_id}))


def decide(
    project: Project,
    study_id: int,
    path: str,
    choice: Choice | str,
    *,
    adjudicator: str,
    value: Any = None,
    unit: str | None = None,
    status: FieldStatus | None = None,
    reason: str = "",
    evidence: Sequence[tuple[int, int, int]] = (),
) -> Changes:
    """Decide one field of the final record.

    `Choice.A` / `Choice.B` take that reviewer's answer with its evidence (an empty
    answer empties the final field); `Choice.EDIT` stores `value` (typed like any field
    value) or `status`, with passages `evidence` as (document id, start, end), and needs
    a reason. `Choice.AGREED` takes an answer both reviewers gave.
    """
    choice = Choice(choice)
    template = project.template
    with project.uow() as session:
        person = _require_adjudicator(session, project.viewer, adjudicator)
        study = catalog.study(session, study_id)
        view = _build(session, template, study)
        final = _open_final(session, view)
        item = view.item(path)
        if item is None:
            raise NotFoundError(f"{study.name} has no field {path} to adjudicate.")
        answer: dict[str, Any] | None
        if choice is Choice.A:
            answer = _answer(item.answer_a)
        elif choice is Choice.B:
            answer = _answer(item.answer_b)
        elif choice is Choice.AGREED:
            if item.comparison.state is not ComparisonState.AGREED or item.answer_a is None:
                raise ValidationError(f"The reviewers do not agree on {item.label}; choose one.")
            answer = _merged(item.answer_a, item.answer_b)
        else:
            if not reason.strip():
                raise ValidationError(
                    f"Say why {item.label} gets a value neither reviewer gave; "
                    "the reason is logged."
                )
            answer = _edited(session, template, study, path, value, unit, status, evidence)
        _decide(session, template, final, item, choice, answer, reason.strip(), person.name)
        final_id = final.id
    return Changes(
        studies=frozenset({study_id}), extractions=frozenset({final_id}), fields=frozenset({path})
    )


def finish_adjudication(project: Project, study_id: int, *, adjudicator: str) -> Changes:
    """Make the final record final; refused while a field is undecided or stale."""
    template = project.template
    with project.uow() as session:
        person = _require_adjudicator(session, project.viewer, adjudicator)
        view = _build(session, template, catalog.study(session, study_id))
        final = _open_final(session, view)
        waiting = view.waiting()
        if waiting:
            names = ", ".join(i.label for i in waiting[:5])
            more = f" and {len(waiting) - 5} more" if len(waiting) > 5 else ""
            raise ValidationError(f"{len(waiting)} fields still need a decision: {names}{more}.")
        blocking = blocking_message(
            findings_in_session(session, template, final.id), "finishing the final record"
        )
        if blocking is not None:
            raise ValidationError(blocking)
        change_status(session, final, ExtractionStatus.FINAL, actor=person.name)
        final_id = final.id
    return Changes(studies=frozenset({study_id}), extractions=frozenset({final_id}))


def reopen_adjudication(
    project: Project, study_id: int, *, adjudicator: str, reason: str
) -> Changes:
    """Take a finished final record back to deciding (to settle stale fields)."""
    if not reason.strip():
        raise ValidationError("Say why the final record is reopened; the reason is logged.")
    with project.uow() as session:
        person = _require_adjudicator(session, project.viewer, adjudicator)
        study = catalog.study(session, study_id)
        final = _final_of(study)
        if final is None or final.status != ExtractionStatus.FINAL.value:
            raise ValidationError(f"{study.name} has no finished final record to reopen.")
        change_status(
            session, final, ExtractionStatus.IN_PROGRESS, actor=person.name, reason=reason
        )
        final_id = final.id
    return Changes(studies=frozenset({study_id}), extractions=frozenset({final_id}))


def decision_log(project: Project, study_id: int) -> list[DecisionInfo]:
    """Every decision on the study's final record, oldest first, superseded ones marked."""
    with project.uow.read() as session:
        _require_adjudicator(session, project.viewer, None)
        study = catalog.study(session, study_id)
        rows = list(
            session.scalars(
                select(Decision).where(Decision.study_id == study.id).order_by(Decision.id)
            )
        )
        latest = {row.path: row.id for row in rows}
        return [_decision_info(row, superseded=latest[row.path] != row.id) for row in rows]


# -- building the view ---------------------------------------------------------------------


def _build(session: Session, template: Template, study: Study) -> Adjudication:
    ext_a, ext_b = study_pair(session, study)
    if ext_a is None or ext_b is None:
        raise ValidationError(f"{study.name} does not have two reviewers' extractions yet.")
    for ext in (ext_a, ext_b):
        if ext.status not in DONE:
            raise ValidationError(
                f"{study.name} waits for {ext.reviewer.name} to submit their extraction."
            )
    values_a = values_in_session(session, ext_a.id)
    values_b = values_in_session(session, ext_b.id)
    comparison = compare_extractions(template, values_a, values_b)
    by_a = {v.path: v for v in values_a}
    by_b = {v.path: v for v in values_b}
    final = _final_of(study)
    final_values: dict[str, FieldValueInfo] = {}
    decisions: dict[str, Decision] = {}
    if final is not None:
        final_values = {v.path: v for v in values_in_session(session, final.id)}
        query = select(Decision).where(Decision.final_extraction_id == final.id)
        for row in session.scalars(query.order_by(Decision.id)):
            decisions[row.path] = row
    ranks = _row_ranks(comparison.fields)
    items = []
    for compared in comparison.fields:
        path = _final_path(compared, ranks)
        answer_a = by_a.get(compared.path_a) if compared.path_a else None
        answer_b = by_b.get(compared.path_b) if compared.path_b else None
        decision = decisions.get(path)
        basis = _basis(answer_a, answer_b)
        stale = decision is not None and decision.basis != basis
        if decision is not None:
            state = ItemState.STALE if stale else ItemState.DECIDED
        elif compared.state is ComparisonState.BOTH_EMPTY:
            state = ItemState.EMPTY
        else:
            state = ItemState.PENDING
        items.append(
            AdjudicationItem(
                path=path,
                label=_label(template, compared),
                comparison=compared,
                answer_a=answer_a,
                answer_b=answer_b,
                final=final_values.get(path),
                decision=_decision_info(decision, stale=stale) if decision else None,
                state=state,
            )
        )
    return Adjudication(
        study_id=study.id,
        study=study.name,
        reviewer_a=ext_a.reviewer.name,
        reviewer_b=ext_b.reviewer.name,
        extraction_a=ext_a.id,
        extraction_b=ext_b.id,
        final_extraction_id=final.id if final is not None else None,
        final_status=ExtractionStatus(final.status) if final is not None else None,
        items=tuple(items),
    )


def _row_ranks(fields: Sequence[FieldComparison]) -> dict[tuple[str, int], int]:
    """Final row numbers made consecutive per group (the comparison may leave gaps)."""
    rows: dict[str, set[int]] = {}
    for compared in fields:
        if compared.group_id is not None and compared.row is not None:
            rows.setdefault(compared.group_id, set()).add(compared.row)
    return {
        (group, row): rank
        for group, numbers in rows.items()
        for rank, row in enumerate(sorted(numbers), start=1)
    }


def _final_path(compared: FieldComparison, ranks: dict[tuple[str, int], int]) -> str:
    if compared.group_id is None or compared.row is None:
        return compared.path
    return str(
        FieldPath(compared.field_id, compared.group_id, ranks[compared.group_id, compared.row])
    )


def _label(template: Template, compared: FieldComparison) -> str:
    spec = template.field(compared.template_id)
    label = spec.label if spec is not None else compared.field_id
    if compared.group_id is None:
        return label
    group = template.group(compared.group_id)
    group_label = group.label if group is not None else compared.group_id
    return f"{group_label} {compared.row}: {label}"


def _final_of(study: Study) -> Extraction | None:
    return next((e for e in study.extractions if e.kind == FINAL_KIND), None)


def _require_adjudicator(session: Session, viewer: str | None, name: str | None) -> Any:
    """The adjudicator acting (by `name`, else the viewer); refuses a reviewer."""
    who = name or viewer
    if viewer is not None and name is not None and viewer != name:
        raise BlindedError(f"{viewer} cannot act as {name}.")
    if who is None:
        return None
    person = catalog.reviewer_by_name(session, who)
    if person is None:
        raise NotFoundError(f"There is no reviewer called {who}; add them first.")
    if person.role != Role.ADJUDICATOR.value:
        raise BlindedError(
            f"{who} is a reviewer; only an adjudicator can see both extractions side by side "
            "and decide the final record."
        )
    return person


def _open_final(session: Session, view: Adjudication) -> Extraction:
    if view.final_extraction_id is None:
        raise ValidationError(f"Start the adjudication of {view.study} first.")
    final = extractions.extraction(session, view.final_extraction_id)
    if final.status != ExtractionStatus.IN_PROGRESS.value:
        raise ValidationError(
            f"The final record of {view.study} is finished; reopen it to change a decision."
        )
    return final


# -- answers and decisions -----------------------------------------------------------------


def _fingerprint(answer: FieldValueInfo | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {"status": answer.status.value, "value": answer.value, "unit": answer.unit}


def _basis(a: FieldValueInfo | None, b: FieldValueInfo | None) -> dict[str, Any]:
    return {"a": _fingerprint(a), "b": _fingerprint(b)}


def _answer(info: FieldValueInfo | None) -> dict[str, Any] | None:
    """A reviewer's answer as the final record will hold it (None: empty)."""
    if info is None:
        return None
    return {
        "status": info.status.value,
        "value": info.value,
        "unit": info.unit,
        "raw_text": info.raw_text,
        "note": info.note,
        "anchors": [a.model_dump(mode="json") for a in info.anchors],
    }


def _merged(a: FieldValueInfo, b: FieldValueInfo | None) -> dict[str, Any] | None:
    """A's answer with the passages of both reviewers (the same passage once)."""
    answer = _answer(a)
    assert answer is not None
    seen = {(x["document_id"], x["start"], x["end"]) for x in answer["anchors"]}
    for anchor in b.anchors if b is not None else ():
        if (anchor.document_id, anchor.start, anchor.end) not in seen:
            answer["anchors"].append(anchor.model_dump(mode="json"))
    return answer


def _edited(
    session: Session,
    template: Template,
    study: Study,
    path: str,
    value: Any,
    unit: str | None,
    status: FieldStatus | None,
    evidence: Sequence[tuple[int, int, int]],
) -> dict[str, Any]:
    spec = field_spec(template, parse_path(path))
    anchors = []
    for document_id, start, end in evidence:
        doc = catalog.document(session, document_id)
        if doc.study_id != study.id:
            raise ValidationError("That document belongs to another study.")
        anchors.append(passage_anchor(doc, start, end).model_dump(mode="json"))
    if status is not None and FieldStatus(status) is not FieldStatus.VALUE:
        return {
            "status": FieldStatus(status).value,
            "value": None,
            "unit": None,
            "raw_text": "",
            "note": "",
            "anchors": anchors,
        }
    stored, stored_unit = coerce_value(spec, value, unit)
    return {
        "status": FieldStatus.VALUE.value,
        "value": stored,
        "unit": stored_unit,
        "raw_text": value if isinstance(value, str) else "",
        "note": "",
        "anchors": anchors,
    }


def _decide(
    session: Session,
    template: Template,
    final: Extraction,
    item: AdjudicationItem,
    choice: Choice,
    answer: dict[str, Any] | None,
    reason: str,
    actor: str,
) -> None:
    path = parse_path(item.path)
    key = _final_key(session, final, path)
    row = extractions.value(session, final.id, key)
    before = snapshot(row)
    if answer is None:
        if row is not None:
            session.delete(row)
    else:
        if row is None:
            row_id = int(key.split("#", 1)[1].split(".", 1)[0]) if path.group else None
            row = FieldValue(
                extraction_id=final.id,
                field_key=key,
                field_id=path.field,
                row_id=row_id,
                updated_by_id=final.reviewer_id,
            )
            session.add(row)
        row.status = answer["status"]
        row.value = answer["value"]
        row.unit = answer["unit"]
        row.raw_text = answer["raw_text"]
        row.note = answer["note"]
        row.anchors.clear()
        session.flush()
        for position, anchor in enumerate(answer["anchors"]):
            row.anchors.append(anchor_row(Anchor.model_validate(anchor), position))
        row.updated_at = utcnow()
        row.updated_by_id = final.reviewer_id
    final.updated_at = utcnow()
    decision = Decision(
        study_id=final.study_id,
        final_extraction_id=final.id,
        path=item.path,
        choice=choice.value,
        answer=answer,
        basis=_basis(item.answer_a, item.answer_b),
        reason=reason,
        actor=actor,
    )
    session.add(decision)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="decide",
        entity="decision",
        entity_id=decision.id,
        study_id=final.study_id,
        extraction_id=final.id,
        field_key=item.path,
        old=before,
        new={"choice": choice.value, "answer": snapshot(row) if answer is not None else None},
        reason=reason,
    )


def _final_key(session: Session, final: Extraction, path: FieldPath) -> str:
    """The storage key of a final-record path, adding group rows up to its row."""
    if path.group is None or path.row is None:
        return field_key(path, None)
    rows = extractions.rows(session, final.id, path.group)
    while len(rows) < path.row:
        row = GroupRow(extraction_id=final.id, group_id=path.group, position=len(rows) + 1)
        session.add(row)
        session.flush()
        rows.append(row)
    return field_key(path, rows[path.row - 1].id)


def _decision_info(row: Decision, *, stale: bool = False, superseded: bool = False) -> DecisionInfo:
    return DecisionInfo(
        id=row.id,
        path=row.path,
        choice=Choice(row.choice),
        answer=row.answer,
        reason=row.reason,
        actor=row.actor,
        at=row.created_at,
        stale=stale,
        superseded=superseded,
    )
