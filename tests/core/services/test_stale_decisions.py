"""Studies whose adjudication decisions a reviewer's later change made stale."""

from pathlib import Path

from core.domain.adjudication import Choice
from core.services import adjudication, editing, submission
from core.services.project import Project
from core.services.stale_decisions import StaleDecisions, stale_decisions
from tests.core.services.double_entry import (
    CIRRHOSIS,
    RECTAL,
    finish,
    master_project,
    study_id,
    submit,
)


def _decide_and_finish(project: Project, study: int, path: str) -> adjudication.Adjudication:
    adjudication.start_adjudication(project, study, adjudicator="Cleo")
    adjudication.decide(project, study, path, Choice.A, adjudicator="Cleo")
    finish(project, study)
    return adjudication.adjudication(project, study)


def test_a_changed_answer_after_a_decision_is_counted_and_an_unchanged_one_is_not(
    tmp_path: Path, db_target: str
) -> None:
    project = master_project(tmp_path, db_target)
    try:
        cirrhosis, rectal = study_id(project, CIRRHOSIS), study_id(project, RECTAL)
        phase_view = _decide_and_finish(project, cirrhosis, "phase")
        masking_view = _decide_and_finish(project, rectal, "masking")
        assert stale_decisions(project) == {}

        submission.reopen_extraction(project, phase_view.extraction_b, "phase misread")
        submission.reopen_extraction(project, masking_view.extraction_b, "a second look")
        assert stale_decisions(project) == {
            cirrhosis: StaleDecisions(study_id=cirrhosis, reopened_by=("Ben",)),
            rectal: StaleDecisions(study_id=rectal, reopened_by=("Ben",)),
        }

        editing.set_value(project, phase_view.extraction_b, "phase", "2")
        submit(project, phase_view.extraction_b)
        submit(project, masking_view.extraction_b)  # looked again, changed nothing
        assert stale_decisions(project) == {cirrhosis: StaleDecisions(study_id=cirrhosis, stale=1)}

        project.viewer = "Cleo"  # the adjudicator sees the same
        assert set(stale_decisions(project)) == {cirrhosis}
        project.viewer = "Ann"  # a reviewer sees no adjudication at all
        assert stale_decisions(project) == {}
        project.viewer = "Nobody"
        assert stale_decisions(project) == {}
    finally:
        project.close()
