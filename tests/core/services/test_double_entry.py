"""Double data entry end to end: two reviewers' bundles, comparison, adjudication, agreement."""

from pathlib import Path

import pytest

from core.adjudication import ComparisonState
from core.domain.adjudication import Choice, ItemState
from core.errors import BlindedError, BundleError, ValidationError
from core.services import (
    adjudication,
    bundle,
    documents,
    editing,
    extractions,
    submission,
)
from core.services.agreement import project_agreement
from core.services.project import Project
from tests.core.services.double_entry import (
    CIRRHOSIS,
    CROHN,
    NON_CROHN,
    RECTAL,
    SEPSIS,
    STUDIES,
    finish,
    master_project,
    study_id,
    submit,
)
from tests.helpers import sample_files

AGREED = ComparisonState.AGREED
DISAGREED = ComparisonState.DISAGREED
ONLY_A = ComparisonState.ONLY_A
BOTH_EMPTY = ComparisonState.BOTH_EMPTY

# Every field at least one reviewer answered, with its expected state, per study.
EXPECTED = {
    NON_CROHN: {"phase": AGREED, "enrolled": AGREED},
    CROHN: {
        "phase": AGREED,
        "enrolled": AGREED,
        "completed": AGREED,
        "outcomes[1].name": AGREED,
        "outcomes[1].events": AGREED,
        "outcomes[1].total": AGREED,
        "outcomes[1].percent": DISAGREED,
    },
    CIRRHOSIS: {"registry_id": AGREED, "phase": DISAGREED},
    RECTAL: {"phase": AGREED, "registry_id": AGREED, "masking": ONLY_A},
    SEPSIS: {
        "phase": AGREED,
        "enrolled": AGREED,
        **{
            f"arms[{row}].{field}": AGREED
            for row in (1, 2, 3)
            for field in ("label", "n_randomized")
        },
    },
}


@pytest.fixture(scope="module")
def master(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = master_project(tmp_path_factory.mktemp("double"))
    for name in STUDIES:
        adjudication.start_adjudication(project, study_id(project, name), adjudicator="Cleo")
    return project


def test_comparison_states_are_exactly_the_deliberate_differences(master: Project) -> None:
    for name in STUDIES:
        view = adjudication.adjudication(master, study_id(master, name))
        answered = {
            i.path: i.comparison.state for i in view.items if i.comparison.state != BOTH_EMPTY
        }
        assert answered == EXPECTED[name], name
        assert (view.reviewer_a, view.reviewer_b) == ("Ann", "Ben")


def test_arms_entered_in_another_order_are_paired_by_their_labels(master: Project) -> None:
    view = adjudication.adjudication(master, study_id(master, SEPSIS))
    for row, label in enumerate(("Low dose", "Intermediate dose", "High dose"), start=1):
        item = view.item(f"arms[{row}].label")
        assert item is not None and item.answer_a is not None and item.answer_b is not None
        assert item.answer_a.value == item.answer_b.value == label
        assert (item.comparison.row_a, item.comparison.row_b) == (row, 4 - row)


def test_agreed_fields_are_taken_over_with_the_evidence_and_logged(master: Project) -> None:
    merged = {}
    for name in STUDIES:
        view = adjudication.adjudication(master, study_id(master, name))
        auto = [i for i in view.items if i.decision and i.decision.choice is Choice.AGREED]
        merged[name] = sorted(i.path for i in auto)
        for item in auto:
            assert item.state is ItemState.DECIDED
            assert item.final is not None and item.answer_a is not None
            assert item.final.value == item.answer_a.value
    expected = {
        name: sorted(p for p, s in states.items() if s is AGREED)
        for name, states in EXPECTED.items()
    }
    assert merged == expected
    assert sum(len(paths) for paths in merged.values()) == 19
    view = adjudication.adjudication(master, study_id(master, CROHN))
    enrolled = view.item("enrolled")
    assert enrolled is not None and enrolled.final is not None
    assert [a.exact for a in enrolled.final.anchors] == ["Twenty-three"]
    pending = [i.path for i in view.waiting()]
    assert pending == ["outcomes[1].percent"]


def test_agreement_figures_match_a_count_and_scikit_learn(master: Project) -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    result = project_agreement(master)
    assert sorted(result.studies_compared) == sorted(STUDIES)
    phase = result.report.field("phase")
    assert phase is not None
    assert (phase.n_studies, phase.n_items, phase.agreed) == (5, 5, 4)
    assert phase.percent_agreement == pytest.approx(80.0)
    ann = ["1", "2", "2", "1", "1"]
    ben = ["1", "2", "1_2", "1", "1"]
    assert phase.kappa is not None
    assert phase.kappa.value == pytest.approx(metrics.cohen_kappa_score(ann, ben))
    assert phase.kappa.value == pytest.approx(0.36 / 0.56)
    percent = result.report.field("outcomes.percent")
    assert percent is not None and (percent.n_items, percent.agreed) == (1, 0)
    overall = result.report.overall
    assert (overall.n_items, overall.agreed) == (22, 19)
    assert overall.percent_agreement == pytest.approx(100 * 19 / 22)


def test_adjudicating_every_study_gives_final_records_and_reviewer_rates(
    tmp_path: Path,
) -> None:
    project = master_project(tmp_path)
    ids = {name: study_id(project, name) for name in STUDIES}
    for name in STUDIES:
        adjudication.start_adjudication(project, ids[name], adjudicator="Cleo")
    before_a = extractions.list_values(
        project, adjudication.adjudication(project, ids[CROHN]).extraction_a
    )
    adjudication.decide(project, ids[CROHN], "outcomes[1].percent", Choice.A, adjudicator="Cleo")
    with pytest.raises(ValidationError, match="neither reviewer gave"):
        adjudication.decide(
            project, ids[CIRRHOSIS], "phase", Choice.EDIT, adjudicator="Cleo", value="2"
        )
    adjudication.decide(
        project,
        ids[CIRRHOSIS],
        "phase",
        Choice.EDIT,
        adjudicator="Cleo",
        value="2",
        reason="Phase IIa is reported as phase 2",
    )
    adjudication.decide(project, ids[RECTAL], "masking", Choice.A, adjudicator="Cleo")
    for name in STUDIES:
        finish(project, ids[name])
    assert (
        extractions.list_values(
            project, adjudication.adjudication(project, ids[CROHN]).extraction_a
        )
        == before_a
    )

    view = adjudication.adjudication(project, ids[CROHN])
    percent = view.item("outcomes[1].percent")
    assert percent is not None and percent.final is not None and percent.final.value == 60
    assert view.finished
    log = adjudication.decision_log(project, ids[CIRRHOSIS])
    edited = [d for d in log if d.choice is Choice.EDIT]
    assert [(d.path, d.reason, d.actor) for d in edited] == [
        ("phase", "Phase IIa is reported as phase 2", "Cleo")
    ]
    rates = {r.reviewer: r for r in project_agreement(project).reviewers}
    assert (rates["Ann"].n_items, rates["Ann"].disagreed) == (22, 0)
    assert (rates["Ben"].n_items, rates["Ben"].disagreed) == (22, 3)
    project.close()


def test_a_reviewer_who_reopens_makes_the_decision_stale_and_nothing_moves(tmp_path: Path) -> None:
    project = master_project(tmp_path)
    study = study_id(project, CIRRHOSIS)
    adjudication.start_adjudication(project, study, adjudicator="Cleo")
    adjudication.decide(project, study, "phase", Choice.A, adjudicator="Cleo")
    finish(project, study)
    view = adjudication.adjudication(project, study)
    submission.reopen_extraction(project, view.extraction_b, "phase misread")
    editing.set_value(project, view.extraction_b, "phase", "2")
    submit(project, view.extraction_b)

    view = adjudication.adjudication(project, study)
    phase = view.item("phase")
    assert phase is not None and phase.state is ItemState.STALE
    assert phase.final is not None and phase.final.value == "2"
    assert view.finished  # the final layer was not touched by the reviewer's change
    registry = view.item("registry_id")
    assert registry is not None and registry.state is ItemState.DECIDED
    with pytest.raises(ValidationError, match="finished"):
        adjudication.decide(project, study, "phase", Choice.AGREED, adjudicator="Cleo")
    adjudication.reopen_adjudication(project, study, adjudicator="Cleo", reason="Ben fixed phase")
    with pytest.raises(ValidationError, match="1 fields still need a decision: Phase"):
        adjudication.finish_adjudication(project, study, adjudicator="Cleo")
    adjudication.decide(project, study, "phase", Choice.AGREED, adjudicator="Cleo")
    finish(project, study)
    log = adjudication.decision_log(project, study)
    assert [(d.choice, d.superseded) for d in log if d.path == "phase"] == [
        (Choice.A, True),
        (Choice.AGREED, False),
    ]
    project.close()


def test_an_agreed_value_stays_overridable_with_a_reason(master: Project) -> None:
    study = study_id(master, NON_CROHN)
    adjudication.decide(
        master,
        study,
        "enrolled",
        Choice.EDIT,
        adjudicator="Cleo",
        value=12,
        reason="11 treated plus one withdrawn before treatment",
    )
    item = adjudication.adjudication(master, study).item("enrolled")
    assert item is not None and item.final is not None and item.final.value == 12
    assert item.decision is not None and item.decision.choice is Choice.EDIT
    adjudication.decide(master, study, "enrolled", Choice.AGREED, adjudicator="Cleo")


def test_reviewers_cannot_adjudicate_and_the_final_record_is_not_editable(master: Project) -> None:
    study = study_id(master, CROHN)
    with pytest.raises(BlindedError, match="only an adjudicator"):
        adjudication.decide(master, study, "phase", Choice.A, adjudicator="Ann")
    view = adjudication.adjudication(master, study)
    assert view.final_extraction_id is not None
    with pytest.raises(ValidationError, match="only through adjudication decisions"):
        editing.set_value(master, view.final_extraction_id, "phase", "3")


def test_a_third_reviewer_cannot_start_a_double_entered_study(master: Project) -> None:
    extractions.add_reviewer(master, "Dan")
    with pytest.raises(ValidationError, match="already extracted by Ann and Ben"):
        extractions.start_extraction(master, study_id(master, SEPSIS), "Dan")


def test_bundles_that_would_overwrite_or_do_not_match_are_refused(tmp_path: Path) -> None:
    project = master_project(tmp_path)
    ann = bundle.read_bundle(tmp_path / "Ann.json")
    with pytest.raises(BundleError, match="Ann's extraction here is submitted"):
        bundle.import_bundle(project, ann, replace=True)
    doc = ann.documents[0]
    forged = ann.model_copy(
        update={"documents": [doc.model_copy(update={"sha256": "0" * 64}), *ann.documents[1:]]}
    )
    fresh = Project.create(tmp_path / "fresh.sqlite")
    documents.import_files(fresh, sample_files())
    with pytest.raises(
        BundleError, match=f"Study '{doc.study}': the bundle was made from a different"
    ):
        bundle.import_bundle(fresh, forged)
    assert all(not s.extractions for s in extractions.list_studies(fresh))
    fresh.close()
    project.close()
