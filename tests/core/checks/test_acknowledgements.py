"""Acknowledging a finding with a reason (audited), and what blocks submitting."""

import pytest
from sqlalchemy import select

from core.domain import ExtractionStatus, Severity
from core.errors import NotFoundError, ValidationError
from core.services import checks, editing, extractions, submission
from core.storage.models import AuditEntry
from tests.core.checks.conftest import DeskFactory
from tests.core.checks.desk import CROHN, SEPSIS, Desk


def _too_many_completed(desk: DeskFactory) -> Desk:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    ana.fill("completed", "20 of whom")
    ana.type("completed", 24)
    return ana


def test_an_error_blocks_submitting_until_acknowledged(desk: DeskFactory) -> None:
    ana = _too_many_completed(desk)
    with pytest.raises(ValidationError) as refused:
        submission.submit_extraction(ana.project, ana.extraction_id)
    assert str(refused.value) == (
        "1 error must be fixed or acknowledged before submitting: "
        "Completed or analysed (24) is more than enrolled (23)."
    )
    reason = "The paper reports 24 completers; the flow chart says 23 were enrolled."
    changes = checks.acknowledge(
        ana.project, ana.extraction_id, "completed_gt_enrolled@completed", reason
    )
    acknowledged = {f.key: f for f in changes.findings}["completed_gt_enrolled@completed"]
    assert (acknowledged.acknowledged, acknowledged.ack_reason) == (True, reason)
    assert acknowledged.severity is Severity.ERROR
    assert changes.findings_extraction == ana.extraction_id
    assert changes.fields == {"completed"}
    submission.submit_extraction(ana.project, ana.extraction_id)
    info = extractions.get_extraction(ana.project, ana.extraction_id)
    assert info.status is ExtractionStatus.SUBMITTED


def test_every_unacknowledged_error_is_listed(desk: DeskFactory) -> None:
    ana = _too_many_completed(desk)
    ana.fill("year", "1564")
    with pytest.raises(ValidationError) as refused:
        submission.submit_extraction(ana.project, ana.extraction_id)
    assert str(refused.value) == (
        "2 errors must be fixed or acknowledged before submitting: "
        "Year (1564) is below the minimum of 1900. "
        "Completed or analysed (24) is more than enrolled (23)."
    )


def test_warnings_never_block(desk: DeskFactory) -> None:
    bo = desk(SEPSIS, reviewer="Bo")
    bo.fill("enrolled", "We enrolled 15 patients")
    for size in (5, 5, 6):
        row = bo.add_row("arms")
        bo.type(f"arms[{row}].n_randomized", size)
    found = checks.check_extraction(bo.project, bo.extraction_id)
    assert {f.code for f in found} >= {"arm_sum", "no_evidence"}
    assert {f.severity for f in found} == {Severity.WARNING}
    submission.submit_extraction(bo.project, bo.extraction_id)


def test_acknowledging_is_audited_and_can_be_withdrawn(desk: DeskFactory) -> None:
    ana = _too_many_completed(desk)
    key = "completed_gt_enrolled@completed"
    checks.acknowledge(ana.project, ana.extraction_id, key, "  As reported in the paper.  ")
    changes = checks.unacknowledge(ana.project, ana.extraction_id, key)
    assert not {f.key: f for f in changes.findings}[key].acknowledged
    with pytest.raises(ValidationError, match="1 error must be fixed"):
        submission.submit_extraction(ana.project, ana.extraction_id)
    with ana.project.uow.read() as session:
        entries = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "finding").order_by(AuditEntry.id)
        ).all()
        logged = [(e.action, e.actor, e.field_key, e.reason) for e in entries]
        new = entries[0].new
    assert logged == [
        ("acknowledge", "Ana", "completed", "As reported in the paper."),
        ("unacknowledge", "Ana", "completed", ""),
    ]
    assert new == {
        "key": key,
        "severity": "error",
        "message": "Completed or analysed (24) is more than enrolled (23).",
        "reason": "As reported in the paper.",
    }


def test_an_acknowledgement_needs_a_reason(desk: DeskFactory) -> None:
    ana = _too_many_completed(desk)
    with pytest.raises(ValidationError, match="Say why the finding is acceptable"):
        checks.acknowledge(ana.project, ana.extraction_id, "completed_gt_enrolled@completed", " ")
    assert not any(f.acknowledged for f in checks.check_extraction(ana.project, ana.extraction_id))


def test_only_a_current_finding_can_be_acknowledged(desk: DeskFactory) -> None:
    ana = _too_many_completed(desk)
    with pytest.raises(NotFoundError, match="no finding 'range@year'"):
        checks.acknowledge(ana.project, ana.extraction_id, "range@year", "typo in the PDF")
    with pytest.raises(NotFoundError, match="is not acknowledged"):
        checks.unacknowledge(ana.project, ana.extraction_id, "completed_gt_enrolled@completed")


def test_an_acknowledgement_holds_while_its_finding_lasts(desk: DeskFactory) -> None:
    """It is kept by key: fixing the value ends the finding, a new slip brings it back
    acknowledged, and a submitted extraction cannot gain or lose acknowledgements."""
    ana = _too_many_completed(desk)
    key = "completed_gt_enrolled@completed"
    checks.acknowledge(ana.project, ana.extraction_id, key, "As reported.")
    assert key not in {f.key for f in ana.type("completed", 20).findings}
    assert {f.key: f for f in ana.type("completed", 25).findings}[key].acknowledged
    submission.submit_extraction(ana.project, ana.extraction_id)
    with pytest.raises(ValidationError, match="reopen it before editing"):
        checks.unacknowledge(ana.project, ana.extraction_id, key)


def test_a_warning_can_be_acknowledged_too(desk: DeskFactory) -> None:
    bo = desk(SEPSIS, reviewer="Bo")
    row = bo.add_row("arms")
    bo.fill(f"arms[{row}].n_randomized", "averagely divided into low")
    editing.set_value(bo.project, bo.extraction_id, f"arms[{row}].n_randomized", 5)
    key = f"number_not_in_evidence@arms[{row}].n_randomized"
    changes = checks.acknowledge(
        bo.project, bo.extraction_id, key, "15 patients divided equally into 3 cohorts."
    )
    finding = {f.key: f for f in changes.findings}[key]
    assert finding.acknowledged and finding.severity is Severity.WARNING
