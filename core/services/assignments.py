"""Roles and assignments: who extracts which study (reviewers A and B) and who adjudicates.

The lead may assign a study's two reviewers; otherwise the first two reviewers who start
an extraction take the slots. Every change is audited.
"""

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.domain import Changes
from core.errors import NotFoundError, ValidationError
from core.services.access import Role
from core.services.project import Project
from core.storage.models import Assignment, Extraction, Reviewer, Study
from core.storage.repositories import audit, catalog

SLOTS = (1, 2)
SLOT_NAMES = {1: "A", 2: "B"}


class AssignmentInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    study_id: int
    reviewer: str
    slot: int  # 1 is reviewer A, 2 reviewer B

    @property
    def label(self) -> str:
        return SLOT_NAMES[self.slot]


class PersonInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    role: Role


def people(project: Project) -> list[PersonInfo]:
    """Everyone in the project with their role, by name."""
    with project.uow.read() as session:
        return [PersonInfo(name=r.name, role=Role(r.role)) for r in catalog.reviewers(session)]


def set_role(project: Project, name: str, role: Role | str, *, actor: str) -> Changes:
    """Make a person a reviewer or an adjudicator."""
    role = Role(role)
    with project.uow() as session:
        person = _person(session, name)
        if person.role == role.value:
            return Changes()
        old = person.role
        person.role = role.value
        audit.record(
            session,
            actor=actor,
            action="set_role",
            entity="reviewer",
            entity_id=person.id,
            old={"role": old},
            new={"role": role.value},
        )
    return Changes(reviewers=True)


def assignments(project: Project, study_id: int | None = None) -> list[AssignmentInfo]:
    """The assignments of one study, or of every study (by study, then slot)."""
    with project.uow.read() as session:
        query = select(Assignment).join(Reviewer, Assignment.reviewer_id == Reviewer.id)
        if study_id is not None:
            query = query.where(Assignment.study_id == study_id)
        rows = session.scalars(query.order_by(Assignment.study_id, Assignment.slot))
        return [_info(row) for row in rows]


def assign(project: Project, study_id: int, reviewer: str, *, slot: int, actor: str) -> Changes:
    """Give slot 1 (reviewer A) or 2 (reviewer B) of a study to a reviewer."""
    if slot not in SLOTS:
        raise ValidationError("A study has two reviewer slots: 1 (A) and 2 (B).")
    with project.uow() as session:
        study = catalog.study(session, study_id)
        person = _person(session, reviewer)
        current = _by_slot(session, study.id)
        holder = current.get(slot)
        if holder is not None and holder.reviewer_id == person.id:
            return Changes()
        if holder is not None and _has_started(study, holder.reviewer_id):
            raise ValidationError(
                f"{holder.reviewer.name} has started {study.name} as reviewer "
                f"{SLOT_NAMES[slot]}; that slot cannot be given to someone else."
            )
        other = current.get(3 - slot)
        if other is not None and other.reviewer_id == person.id:
            raise ValidationError(
                f"{person.name} is already reviewer {SLOT_NAMES[3 - slot]} of {study.name}; "
                "the two extractions must come from two people."
            )
        old = holder.reviewer.name if holder is not None else None
        if holder is not None:
            session.delete(holder)
            session.flush()
        session.add(
            Assignment(study_id=study.id, reviewer_id=person.id, slot=slot, assigned_by=actor)
        )
        audit.record(
            session,
            actor=actor,
            action="assign",
            entity="assignment",
            study_id=study.id,
            old={"slot": slot, "reviewer": old} if old else None,
            new={"slot": slot, "reviewer": person.name},
        )
    return Changes(studies=frozenset({study_id}))


def claim_slot(session: Session, study: Study, person: Reviewer) -> int:
    """The reviewer's slot on the study, taking the first free one if they have none.

    Refused when both slots belong to others: a study has two independent extractions.
    """
    current = _by_slot(session, study.id)
    if not current:
        _adopt_started(session, study)
        current = _by_slot(session, study.id)
    for slot, row in current.items():
        if row.reviewer_id == person.id:
            return slot
    free = [slot for slot in SLOTS if slot not in current]
    if not free:
        names = " and ".join(current[slot].reviewer.name for slot in SLOTS)
        raise ValidationError(
            f"{study.name} is already extracted by {names}; ask the project lead to "
            "reassign it if you should extract it instead."
        )
    session.add(
        Assignment(study_id=study.id, reviewer_id=person.id, slot=free[0], assigned_by=person.name)
    )
    session.flush()
    audit.record(
        session,
        actor=person.name,
        action="assign",
        entity="assignment",
        study_id=study.id,
        new={"slot": free[0], "reviewer": person.name},
        reason="first reviewers to start take the slots",
    )
    return free[0]


def _adopt_started(session: Session, study: Study) -> None:
    """Give the slots to the reviewers who started before assignments existed."""
    started = [e for e in study.extractions if e.kind == "reviewer"][: len(SLOTS)]
    for slot, extraction in zip(SLOTS, started, strict=False):
        session.add(
            Assignment(
                study_id=study.id,
                reviewer_id=extraction.reviewer_id,
                slot=slot,
                assigned_by="system",
            )
        )
    session.flush()


def study_pair(session: Session, study: Study) -> tuple[Extraction | None, Extraction | None]:
    """Reviewer A's and reviewer B's extractions of the study (None where not started).

    By assignment; a study from before assignments takes its first two extractions.
    """
    own = {e.reviewer_id: e for e in study.extractions if e.kind == "reviewer"}
    slots = _by_slot(session, study.id)
    if not slots:
        started = list(own.values())[:2]
        return (started[0] if started else None, started[1] if len(started) > 1 else None)
    a, b = (slots.get(slot) for slot in SLOTS)
    return (
        own.get(a.reviewer_id) if a is not None else None,
        own.get(b.reviewer_id) if b is not None else None,
    )


def reviewer_slots(session: Session, study_id: int) -> dict[int, Reviewer]:
    """Slot -> reviewer of a study (only the slots taken)."""
    return {slot: row.reviewer for slot, row in _by_slot(session, study_id).items()}


def _by_slot(session: Session, study_id: int) -> dict[int, Assignment]:
    rows = session.scalars(select(Assignment).where(Assignment.study_id == study_id))
    return {row.slot: row for row in rows}


def _has_started(study: Study, reviewer_id: int) -> bool:
    return any(e.reviewer_id == reviewer_id for e in study.extractions)


def _person(session: Session, name: str) -> Reviewer:
    person = catalog.reviewer_by_name(session, name)
    if person is None:
        raise NotFoundError(f"There is no reviewer called {name}; add them first.")
    return person


def _info(row: Assignment) -> AssignmentInfo:
    return AssignmentInfo(study_id=row.study_id, reviewer=row.reviewer.name, slot=row.slot)
