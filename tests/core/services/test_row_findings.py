"""Row changes and undo restores return the findings as they stand after them.

The sample dose-escalation study: 15 enrolled in three cohorts of 5. Removing a cohort
makes the arm sizes stop adding up; putting it back (undo) clears the warning again.
"""

import pytest

from core.domain import Changes
from core.services import checks, documents, editing, extractions, history, rows
from core.services.project import Project
from tests.helpers import CROHN_PHASE2


@pytest.fixture
def cohorts(project: Project) -> tuple[Project, int]:
    """Ana's extraction: 15 enrolled, three arms of 5."""
    outcomes, _ = documents.import_files(project, [CROHN_PHASE2], study_name="Cohorts")
    doc = outcomes[0].document
    assert doc is not None
    extractions.add_reviewer(project, "Ana")
    ext, _ = extractions.start_extraction(project, doc.study_id, "Ana")
    editing.set_value(project, ext.id, "enrolled", 15)
    for row in (1, 2, 3):
        rows.add_row(project, ext.id, "arms")
        editing.set_value(project, ext.id, f"arms[{row}].label", f"Cohort {row}")
        editing.set_value(project, ext.id, f"arms[{row}].n_randomized", 5)
    return project, ext.id


def codes(changes: Changes, extraction_id: int) -> set[str]:
    assert changes.findings_extraction == extraction_id, "the change carries no findings"
    return {finding.code for finding in changes.findings}


def test_removing_and_restoring_a_row_returns_the_findings(cohorts: tuple[Project, int]) -> None:
    project, ext_id = cohorts
    removed = history.row_state(project, ext_id, "arms", 3)

    after_remove = rows.remove_row(project, ext_id, "arms", 3)
    assert "arm_sum" in codes(after_remove, ext_id)
    (warning,) = [f for f in after_remove.findings if f.code == "arm_sum"]
    assert warning.message == "The arm sizes add up to 10 (5 + 5), not the 15 enrolled."

    after_undo = history.insert_row(project, ext_id, "arms", 3, removed)
    assert "arm_sum" not in codes(after_undo, ext_id)


def test_adding_and_moving_rows_return_the_findings(cohorts: tuple[Project, int]) -> None:
    project, ext_id = cohorts
    position, added = rows.add_row(project, ext_id, "arms")
    assert position == 4
    # A fourth arm without a size: the sizes are not all known, so no sum is checked.
    assert "arm_sum" not in codes(added, ext_id)
    assert added.fields == {"arms"}

    moved = rows.move_row(project, ext_id, "arms", 4, 1)
    assert "arm_sum" not in codes(moved, ext_id)
    labels = {v.path: v.value for v in extractions.list_values(project, ext_id)}
    assert labels["arms[2].label"] == "Cohort 1"


def test_undo_and_redo_of_a_value_return_the_findings(cohorts: tuple[Project, int]) -> None:
    project, ext_id = cohorts
    path = "arms[1].n_randomized"
    before = history.field_state(project, ext_id, path)
    editing.set_value(project, ext_id, path, 6)
    after = history.field_state(project, ext_id, path)

    undone = history.restore_field(project, ext_id, path, before)
    assert "arm_sum" not in codes(undone, ext_id)

    redone = history.restore_field(project, ext_id, path, after, action="redo")
    assert "arm_sum" in codes(redone, ext_id)


def acknowledged(project: Project, extraction_id: int) -> dict[str, str]:
    """Finding key -> reason, for the findings that are acknowledged now."""
    found = checks.check_extraction(project, extraction_id)
    return {f.key: f.ack_reason or "" for f in found if f.acknowledged}


def test_acknowledgements_stay_with_their_rows(cohorts: tuple[Project, int]) -> None:
    project, ext_id = cohorts
    for row in (1, 2, 3):
        key = f"no_evidence@arms[{row}].label"
        checks.acknowledge(project, ext_id, key, f"cohort {row} is named in the protocol")

    rows.move_row(project, ext_id, "arms", 1, 3)  # cohorts now 2, 3, 1
    assert acknowledged(project, ext_id) == {
        "no_evidence@arms[1].label": "cohort 2 is named in the protocol",
        "no_evidence@arms[2].label": "cohort 3 is named in the protocol",
        "no_evidence@arms[3].label": "cohort 1 is named in the protocol",
    }

    removed = history.row_state(project, ext_id, "arms", 1)
    rows.remove_row(project, ext_id, "arms", 1)  # cohort 2 goes, with its acknowledgement
    assert acknowledged(project, ext_id) == {
        "no_evidence@arms[1].label": "cohort 3 is named in the protocol",
        "no_evidence@arms[2].label": "cohort 1 is named in the protocol",
    }

    history.insert_row(project, ext_id, "arms", 1, removed)  # undo: all back as they were
    assert acknowledged(project, ext_id) == {
        "no_evidence@arms[1].label": "cohort 2 is named in the protocol",
        "no_evidence@arms[2].label": "cohort 3 is named in the protocol",
        "no_evidence@arms[3].label": "cohort 1 is named in the protocol",
    }
