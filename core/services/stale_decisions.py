"""Which studies hold adjudication decisions that a reviewer's later change made stale.

A decision is stale when A's or B's answer it was based on has changed since (see
`core.services.adjudication`). A submitted answer changes only after its reviewer
reopens the extraction, so only the studies reopened after a decision are compared
again: a handful, in a project where thousands were adjudicated.
"""

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from core.domain.adjudication import ItemState
from core.errors import NotFoundError, ValidationError
from core.services.access import DONE, REVIEWER_KIND, Role, role_of
from core.services.adjudication import adjudication
from core.services.extractions import get_study
from core.services.project import Project
from core.storage.repositories import audit


class StaleDecisions(BaseModel):
    """A study's decisions to look at again: how many are stale, or who is still at work."""

    model_config = ConfigDict(frozen=True)

    study_id: int
    stale: int = 0
    reopened_by: tuple[str, ...] = ()  # reviewers who reopened and have not submitted again


def stale_decisions(project: Project) -> dict[int, StaleDecisions]:
    """The studies with stale decisions or a reviewer who reopened after a decision.

    Empty for a viewer who may not see adjudications (a reviewer).
    """
    with project.uow.read() as session:
        if project.viewer is not None and not _adjudicates(session, project.viewer):
            return {}
        candidates = audit.reopened_after_a_decision(session)
    found: dict[int, StaleDecisions] = {}
    for study_id in candidates:
        try:
            view = adjudication(project, study_id)
        except ValidationError:  # a reviewer has not submitted again yet
            study = get_study(project, study_id)
            reopened = tuple(
                e.reviewer
                for e in (study.extractions if study is not None else ())
                if e.kind == REVIEWER_KIND and e.status.value not in DONE
            )
            if reopened:
                found[study_id] = StaleDecisions(study_id=study_id, reopened_by=reopened)
            continue
        stale = sum(1 for item in view.items if item.state is ItemState.STALE)
        if stale:
            found[study_id] = StaleDecisions(study_id=study_id, stale=stale)
    return found


def _adjudicates(session: Session, name: str) -> bool:
    try:
        return role_of(session, name) is Role.ADJUDICATOR
    except NotFoundError:
        return False
