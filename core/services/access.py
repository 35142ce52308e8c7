"""Who may see what: roles, and the blinding of double data entry.

A study is extracted by two reviewers independently. Until both have submitted, nothing
one of them asks for may carry the other's values, evidence or findings: every read
service passes the extraction it is about to return through `ensure_visible`, and
listings drop what `hidden_extractions` names. The viewer is `project.viewer`; None is
the project lead (command line, set-up), who sees everything.
"""

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import BlindedError, NotFoundError
from core.storage.models import Extraction, Reviewer
from core.storage.repositories import catalog

REVIEWER_KIND = "reviewer"
FINAL_KIND = "final"
DONE = ("submitted", "final")


class Role(StrEnum):
    """A reviewer extracts; an adjudicator also settles disagreements into final records."""

    REVIEWER = "reviewer"
    ADJUDICATOR = "adjudicator"


def role_of(session: Session, name: str) -> Role:
    person = catalog.reviewer_by_name(session, name)
    if person is None:
        raise NotFoundError(f"There is no reviewer called {name} in this project.")
    return Role(person.role)


def hidden_extractions(
    session: Session, viewer: str | None, study_ids: Iterable[int] | None = None
) -> set[int]:
    """Ids of the extractions (of the given studies, or all) the viewer may not see."""
    if viewer is None:
        return set()
    query = select(
        Extraction.id, Extraction.study_id, Extraction.kind, Extraction.status, Reviewer.name
    ).join(Reviewer, Extraction.reviewer_id == Reviewer.id)
    if study_ids is not None:
        query = query.where(Extraction.study_id.in_(list(study_ids)))
    rows = session.execute(query).all()
    person = catalog.reviewer_by_name(session, viewer)
    adjudicator = person is not None and person.role == Role.ADJUDICATOR.value
    by_study: dict[int, list[tuple[int, str, str, str]]] = {}
    for extraction_id, study_id, kind, status, name in rows:
        by_study.setdefault(study_id, []).append((extraction_id, kind, status, name))
    hidden: set[int] = set()
    for extractions in by_study.values():
        reviewers = [e for e in extractions if e[1] == REVIEWER_KIND]
        takes_part = any(name == viewer for _, _, _, name in reviewers)
        if adjudicator and not takes_part:
            continue
        if len(reviewers) >= 2 and all(status in DONE for _, _, status, _ in reviewers):
            continue
        hidden.update(e[0] for e in extractions if e[3] != viewer)
    return hidden


def ensure_visible(session: Session, viewer: str | None, extraction: Extraction) -> None:
    """Refuse, with a message that names nothing of its contents, a blinded extraction."""
    if viewer is None or extraction.reviewer.name == viewer:
        return
    if extraction.id in hidden_extractions(session, viewer, [extraction.study_id]):
        whose = "The final record" if extraction.kind == FINAL_KIND else "Another reviewer's work"
        raise BlindedError(
            f"{whose} on study {extraction.study.name} stays hidden from {viewer} until "
            "both reviewers have submitted their extractions."
        )
