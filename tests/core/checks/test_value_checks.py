"""Checks of single values on the Crohn's phase II abstract: required, type, range, choice,
partial date, value without evidence, passage without value."""

from core.domain import FieldStatus, Severity
from core.domain.bundle import Bundle, BundleExtraction, BundleValue
from core.services import bundle, editing
from core.services.project import Project
from tests.core.checks.conftest import DeskFactory
from tests.core.checks.desk import CROHN, keys


def test_enrolled_is_required_until_recorded_or_marked_not_reported(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    changes = ana.fill("completed", "20 of whom")
    required = {f.key: f for f in changes.findings}["required@enrolled"]
    assert required.severity is Severity.ERROR
    assert required.path == "enrolled"
    assert required.message == "Enrolled is required: record it, or mark it not reported."

    assert "required@enrolled" not in keys(ana.fill("enrolled", "Twenty-three"))
    editing.clear_field(ana.project, ana.extraction_id, "enrolled")
    assert "required@enrolled" in ana.findings()
    changes = editing.set_status(
        ana.project, ana.extraction_id, "enrolled", FieldStatus.NOT_REPORTED
    )
    assert "required@enrolled" not in keys(changes)


def test_the_page_number_taken_for_the_year_is_out_of_range(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    # ". 2024 Dec 1;67(12):1564-1575." - the first page, selected by mistake
    found = {f.key: f for f in ana.fill("year", "1564").findings}
    assert found["range@year"].message == "Year (1564) is below the minimum of 1900."
    assert found["range@year"].severity is Severity.ERROR
    assert "range@year" not in keys(ana.fill("year", "2024"))


def test_a_percentage_above_100_is_out_of_range(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    row = ana.add_row("outcomes")
    assert f"range@outcomes[{row}].percent" not in keys(ana.fill(f"outcomes[{row}].percent", "60%"))
    found = {f.key: f for f in ana.type("outcomes[1].percent", 600.0).findings}
    assert found["range@outcomes[1].percent"].message == (
        "Outcome results row 1: Percent (600%) is above the maximum of 100%."
    )


def test_a_follow_up_in_months_is_compared_in_weeks(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    changes = ana.fill("follow_up_duration", "6 months")
    assert not {k for k in keys(changes) if k.startswith("range@")}
    found = {f.key: f for f in ana.type("follow_up_duration", -6.0, unit="months").findings}
    assert found["range@follow_up_duration"].message == (
        "Follow-up duration (-6 months) is below the minimum of 0 weeks."
    )


def _import(project: Project, study: str, values: list[BundleValue]) -> None:
    data = Bundle(
        template_id="clinical_trial",
        template_version="1",
        extractions=[BundleExtraction(study=study, reviewer="Ana", values=values)],
    )
    bundle.import_bundle(project, data)


def test_values_from_a_hand_edited_bundle_are_checked(desk: DeskFactory) -> None:
    """Bundles are written by scripts and other tools: their values are not typed by the
    form, so type, choice and date problems reach the project that way."""
    ana = desk(CROHN, study="Hadizadeh 2024")
    values = [
        BundleValue(path="enrolled", value="twenty-three"),
        BundleValue(path="completed", value=20),
        BundleValue(path="masking", value="open"),
        BundleValue(path="allocation", value="non_randomized"),
        BundleValue(path="start_date", value="2019-02-30"),
        BundleValue(path="completion_date", value="2020-06"),
        BundleValue(path="any_adverse_events", value="no"),
    ]
    _import(ana.project, "Hadizadeh 2024", values)
    found = ana.findings()
    assert found["type@enrolled"].message == (
        "Enrolled holds “twenty-three”, which is not a whole number."
    )
    assert found["choice@masking"].message == (
        "Masking: “open” is not one of its choices "
        "(None (open label), Single, Double, Triple, Quadruple)."
    )
    assert found["partial_date@start_date"].message == (
        "Start date “2019-02-30” is not a valid date: write a year, a year and month, "
        "or a full date (2019, 2019-03, 2019-03-14)."
    )
    assert found["type@any_adverse_events"].message == (
        "Any adverse events holds “no”, which is not yes or no."
    )
    assert {f.severity for k, f in found.items() if k.split("@")[0] != "no_evidence"} == {
        Severity.ERROR
    }
    wrong = {k for k in found if k.split("@")[0] in ("type", "choice", "partial_date")}
    assert wrong == {
        "type@enrolled",
        "choice@masking",
        "partial_date@start_date",
        "type@any_adverse_events",
    }


def test_a_typed_value_has_no_evidence_until_a_passage_supports_it(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    found = {f.key: f for f in ana.type("completed", 20).findings}
    assert found["no_evidence@completed"].severity is Severity.WARNING
    assert found["no_evidence@completed"].message == (
        "Completed or analysed (20) has no evidence: select the passage it comes from."
    )
    assert "no_evidence@completed" not in keys(ana.evidence("completed", "20 of whom"))
    notes = ana.type("reviewer_notes", "Per-protocol numbers; 3 lost to follow-up.")
    assert "no_evidence@reviewer_notes" not in keys(notes)


def test_a_passage_without_a_clear_number_leaves_a_value_to_type(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    changes = ana.fill("completed", "fully closed in 12 patients (60%)")
    found = {f.key: f for f in changes.findings}
    assert found["no_value@completed"].message == (
        "Completed or analysed has a passage but no value: type the value, or mark it not reported."
    )
    assert found["no_value@completed"].severity is Severity.WARNING
    assert "no_value@completed" not in keys(ana.fill("completed", "20 of whom"))
