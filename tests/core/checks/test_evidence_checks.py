"""Evidence checks: numbers must appear in their passages; anchors must still hold when the
document's text changes (a new extractor, a replaced file)."""

import pytest
from sqlalchemy import select

from core.anchoring import reanchor
from core.checks import ExtractionRecord, check_record
from core.domain import AnchorStatus, FieldValueInfo, Severity
from core.services import extractions
from core.storage.models import AnchorRow, FieldValue
from tests.core.checks.conftest import DeskFactory
from tests.core.checks.desk import CROHN, SEPSIS, Desk, keys


@pytest.mark.parametrize(
    ("path", "passage"),
    [
        ("enrolled", "Twenty-three"),  # a number word
        ("completed", "20 of whom completed"),
        ("outcomes[1].events", "fully closed in 12 patients"),
        ("outcomes[1].percent", "(60%)"),  # a percentage
        ("outcomes[1].total", "A total of 43 fistula tracts"),
    ],
)
def test_the_number_appears_in_its_passage(desk: DeskFactory, path: str, passage: str) -> None:
    ana = desk(CROHN)
    ana.add_row("outcomes")
    assert f"number_not_in_evidence@{path}" not in keys(ana.fill(path, passage))


def test_a_dose_with_a_lost_superscript_appears_in_its_passage(desk: DeskFactory) -> None:
    bo = desk(SEPSIS, reviewer="Bo")
    bo.add_row("arms")
    changes = bo.fill("arms[1].dose", "1\u202f×\u202f106 cells/kg")  # narrow spaces, as printed
    value = {v.path: v for v in extractions.list_values(bo.project, bo.extraction_id)}
    assert value["arms[1].dose"].value == 1_000_000
    assert "number_not_in_evidence@arms[1].dose" not in keys(changes)


def test_a_number_changed_after_selecting_its_passage_is_flagged(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    found = {f.key: f for f in ana.type("enrolled", 24).findings}
    finding = found["number_not_in_evidence@enrolled"]
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "Enrolled (24) does not appear in its evidence “Twenty-three”: check the value, "
        "or say how it was worked out."
    )
    # A second passage that states it is enough.
    assert "number_not_in_evidence@enrolled" in keys(ana.evidence("enrolled", "Patients:"))
    assert "number_not_in_evidence@enrolled" not in keys(ana.type("enrolled", 23))


def test_cohort_sizes_worked_out_by_the_reviewer_are_flagged(desk: DeskFactory) -> None:
    """ "15 patients who averagely divided into" three cohorts: 5 each is the reviewer's sum."""
    bo = desk(SEPSIS, reviewer="Bo")
    bo.add_row("arms")
    bo.fill("arms[1].n_randomized", "averagely divided into low")
    changes = bo.type("arms[1].n_randomized", 5)
    assert {f.message for f in changes.findings if f.code == "number_not_in_evidence"} == {
        "Arms row 1: Randomized or allocated (5) does not appear in its evidence "
        "“averagely divided into low”: check the value, or say how it was worked out."
    }


def test_an_infinite_number_with_evidence_is_a_type_error_only(desk: DeskFactory) -> None:
    """A bundle may carry a number too large for the form; checking it must not fail."""
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    record = _record(ana, ana.text)
    values = [
        v.model_copy(update={"value": float("inf")}) if v.path == "enrolled" else v
        for v in record.values
    ]
    found = check_record(ExtractionRecord(record.template, values, texts=record.texts))
    assert [f.code for f in found if f.path == "enrolled"] == ["type"]


def _record(desk: Desk, text: str) -> ExtractionRecord:
    values = extractions.list_values(desk.project, desk.extraction_id)
    return ExtractionRecord(
        template=desk.project.template, values=values, texts={desk.document_id: text}
    )


def _reanchored(values: list[FieldValueInfo], text: str) -> list[FieldValueInfo]:
    """What re-anchoring stores when the document's text changes."""
    return [
        v.model_copy(update={"anchors": tuple(reanchor(a, text, "new") for a in v.anchors)})
        for v in values
    ]


def _anchor_findings(record: ExtractionRecord) -> dict[str, tuple[Severity, str]]:
    return {
        f.key: (f.severity, f.message) for f in check_record(record) if f.code.startswith("anchor")
    }


def test_evidence_that_still_quotes_its_passage_passes(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    ana.fill("completed", "20 of whom")
    assert _anchor_findings(_record(ana, ana.text)) == {}
    moved = ana.text.replace("Patients: Twenty", "Patients (all adults): Twenty")
    record = _record(ana, moved)
    relocated = _reanchored(list(record.values), moved)
    assert {a.status for v in relocated for a in v.anchors} == {AnchorStatus.RELOCATED}
    assert _anchor_findings(ExtractionRecord(record.template, relocated, texts=record.texts)) == {}


def test_evidence_no_longer_at_its_place_is_an_error(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    changed = ana.text.replace("Patients: Twenty", "Patients (all adults): Twenty")
    assert _anchor_findings(_record(ana, changed)) == {
        "anchor_moved@enrolled": (
            Severity.ERROR,
            "Enrolled: the document no longer reads “Twenty-three” where the evidence "
            "points; select the passage again.",
        )
    }


def test_evidence_found_only_approximately_needs_review(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    changed = ana.text.replace("Twenty-three patients", "Twenty-two patients")
    record = _record(ana, changed)
    values = _reanchored(list(record.values), changed)
    assert _anchor_findings(ExtractionRecord(record.template, values, texts=record.texts)) == {
        "anchor_needs_review@enrolled": (
            Severity.WARNING,
            "Enrolled: the evidence “Twenty-three” was only found approximately after the "
            "document changed; confirm the passage or select it again.",
        )
    }


def test_evidence_that_is_gone_is_orphaned(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    changed = ana.text.replace(
        "Twenty-three patients were enrolled, 20 of whom completed the study.", ""
    )
    record = _record(ana, changed)
    values = _reanchored(list(record.values), changed)
    assert _anchor_findings(ExtractionRecord(record.template, values, texts=record.texts)) == {
        "anchor_orphaned@enrolled": (
            Severity.ERROR,
            "Enrolled: the evidence “Twenty-three” cannot be found in the document any more; "
            "select the passage again or remove it.",
        )
    }


def test_stored_anchor_states_reach_the_problems_list(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    ana.fill("completed", "20 of whom")
    with ana.project.uow() as session:
        rows = session.scalars(
            select(AnchorRow)
            .join(FieldValue, FieldValue.id == AnchorRow.field_value_id)
            .where(FieldValue.extraction_id == ana.extraction_id)
        ).all()
        for row in rows:
            row.status = {"enrolled": "orphaned", "completed": "needs_review"}[
                session.get_one(FieldValue, row.field_value_id).field_id
            ]
    found = ana.findings()
    assert found["anchor_orphaned@enrolled"].severity is Severity.ERROR
    assert found["anchor_needs_review@completed"].severity is Severity.WARNING
