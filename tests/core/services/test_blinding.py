"""Blinding: until both reviewers have submitted, nothing one asks for carries the other's work."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import BlindedError
from core.services import (
    adjudication,
    assignments,
    audit_log,
    bundle,
    checks,
    documents,
    editing,
    extractions,
    history,
    rows,
)
from core.services.project import Project
from tests.core.services.double_entry import submit
from tests.helpers import CROHN_PHASE2

BENS_NOTE = "Ben's private reading: twenty-three"


@pytest.fixture
def blinded(db_target: str) -> Iterator[Project]:
    """Ann has submitted the Crohn study; Ben is still working on it."""
    project = Project.create(db_target)
    outcomes, _ = documents.import_files(project, [CROHN_PHASE2])
    doc = outcomes[0].document
    assert doc is not None
    text = documents.document_text(project, doc.id).text
    for name in ("Ann", "Ben", "Cleo"):
        extractions.add_reviewer(project, name)
    assignments.set_role(project, "Cleo", "adjudicator", actor="lead")
    for name in ("Ann", "Ben"):
        ext, _ = extractions.start_extraction(project, doc.study_id, name)
        start = text.index("Twenty-three")
        editing.fill_from_selection(project, ext.id, "enrolled", doc.id, start, start + 12)
        row, _ = rows.add_row(project, ext.id, "arms")
        editing.set_value(project, ext.id, f"arms[{row}].label", f"{name}'s arm")
    ben = _extraction(project, "Ben")
    editing.set_note(project, ben, "enrolled", BENS_NOTE)
    editing.set_value(project, ben, "n_centres", 1)
    submit(project, _extraction(project, "Ann"))
    yield project
    project.close()


def _extraction(project: Project, reviewer: str) -> int:
    study = extractions.list_studies(project)[0]
    return next(e.id for e in study.extractions if e.reviewer == reviewer)


def test_every_read_service_called_as_ann_returns_nothing_of_bens(blinded: Project) -> None:
    ben = _extraction(blinded, "Ben")
    study = extractions.list_studies(blinded)[0]
    blinded.viewer = "Ann"
    refused = [
        lambda: extractions.get_extraction(blinded, ben),
        lambda: extractions.list_values(blinded, ben),
        lambda: extractions.row_counts(blinded, ben),
        lambda: history.field_state(blinded, ben, "enrolled"),
        lambda: history.row_state(blinded, ben, "arms", 1),
        lambda: checks.check_extraction(blinded, ben),
        lambda: adjudication.adjudication(blinded, study.id),
        lambda: adjudication.decision_log(blinded, study.id),
    ]
    for call in refused:
        with pytest.raises(BlindedError) as caught:
            call()
        assert "Ben's" not in str(caught.value) and "twenty" not in str(caught.value).casefold()
    assert ben not in checks.check_all(blinded)
    trail = audit_log.audit_trail(blinded, study=study.name)
    assert trail and all(entry.extraction_id != ben for entry in trail)
    exported = bundle.bundle_to_json(bundle.export_bundle(blinded))
    assert [e["reviewer"] for e in json.loads(exported)["extractions"]] == ["Ann"]
    listed = extractions.list_studies(blinded)[0]
    seen = json.dumps([s.model_dump(mode="json") for s in [listed]])
    everything = seen + exported + json.dumps([t.model_dump(mode="json") for t in trail])
    assert BENS_NOTE not in everything and "Ben's arm" not in everything
    assert {(e.reviewer, e.status.value) for e in listed.extractions} == {
        ("Ann", "submitted"),
        ("Ben", "in_progress"),
    }


def test_ann_cannot_write_into_bens_extraction(blinded: Project) -> None:
    ben = _extraction(blinded, "Ben")
    blinded.viewer = "Ann"
    with pytest.raises(BlindedError, match="only in their own"):
        editing.set_value(blinded, ben, "enrolled", 24)
    with pytest.raises(BlindedError, match="only in their own"):
        rows.add_row(blinded, ben, "arms")
    blinded.viewer = None
    assert history.field_state(blinded, ben, "enrolled").value == 23  # type: ignore[union-attr]


def test_once_both_have_submitted_each_sees_the_other(blinded: Project) -> None:
    ben = _extraction(blinded, "Ben")
    submit(blinded, ben)
    blinded.viewer = "Ann"
    values = {v.path: v for v in extractions.list_values(blinded, ben)}
    assert values["enrolled"].note == BENS_NOTE
    assert values["arms[1].label"].value == "Ben's arm"


def test_the_adjudicator_sees_both_and_ben_sees_his_own(blinded: Project) -> None:
    ben = _extraction(blinded, "Ben")
    ann = _extraction(blinded, "Ann")
    blinded.viewer = "Cleo"
    assert extractions.list_values(blinded, ben)
    assert extractions.list_values(blinded, ann)
    blinded.viewer = "Ben"
    assert extractions.list_values(blinded, ben)
    with pytest.raises(BlindedError):
        extractions.list_values(blinded, ann)


def test_a_reviewer_outside_the_study_sees_neither(blinded: Project, tmp_path: Path) -> None:
    extractions.add_reviewer(blinded, "Dan")
    blinded.viewer = "Dan"
    for name in ("Ann", "Ben"):
        with pytest.raises(BlindedError):
            extractions.list_values(blinded, _extraction(blinded, name))
