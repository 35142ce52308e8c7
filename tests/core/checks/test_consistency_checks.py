"""Cross-field checks with the sample documents' own numbers: 23 enrolled and 20 completed,
12 of 20 closed = 60 %, 30 of 43 tracts = 69.7 %, three cohorts of 5 for 15 enrolled,
August to December 2024."""

from core.domain import Severity
from tests.core.checks.conftest import DeskFactory
from tests.core.checks.desk import CROHN, REGISTRY_RECTAL, SEPSIS, Desk, keys


def test_twenty_of_twenty_three_completed(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    assert "completed_gt_enrolled@completed" not in keys(ana.fill("completed", "20 of whom"))


def test_more_completed_than_enrolled_is_an_error(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    ana.fill("enrolled", "Twenty-three")
    found = {f.key: f for f in ana.type("completed", 24).findings}
    finding = found["completed_gt_enrolled@completed"]
    assert finding.severity is Severity.ERROR
    assert finding.message == "Completed or analysed (24) is more than enrolled (23)."


def _outcome(ana: Desk, events: str, total: str, percent: str) -> int:
    row = ana.add_row("outcomes")
    ana.fill(f"outcomes[{row}].events", events)
    ana.fill(f"outcomes[{row}].total", total)
    ana.fill(f"outcomes[{row}].percent", percent)
    return row


def test_reported_percentages_agree_with_events_and_totals(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    _outcome(ana, "in 12 patients", "20 of whom", "(60%)")  # 12 of 20 = 60 %
    _outcome(ana, "30 of which", "A total of 43", "(69.7%)")  # 30 of 43 = 69.77 %, cut
    assert not {k for k in ana.findings() if k.startswith("percentage_mismatch")}


def test_the_enrolled_count_taken_as_denominator_breaks_the_percentage(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    row = _outcome(ana, "in 12 patients", "Twenty-three", "(60%)")
    finding = ana.findings()[f"percentage_mismatch@outcomes[{row}].percent"]
    assert finding.severity is Severity.ERROR
    assert finding.message == "Outcome results row 1: 12 of 23 is 52.2 %, not the reported 60 %."
    tracts = _outcome(ana, "30 of which", "A total of 43", "(60%)")
    assert ana.findings()[f"percentage_mismatch@outcomes[{tracts}].percent"].message == (
        "Outcome results row 2: 30 of 43 is 69.8 %, not the reported 60 %."
    )


def _cohorts(bo: Desk, sizes: list[int | None]) -> None:
    bo.fill("enrolled", "We enrolled 15 patients")
    for size in sizes:
        row = bo.add_row("arms")
        bo.fill(f"arms[{row}].label", "low")
        if size is not None:
            bo.type(f"arms[{row}].n_randomized", size)


def test_three_cohorts_of_five_add_up_to_fifteen(desk: DeskFactory) -> None:
    bo = desk(SEPSIS, reviewer="Bo")
    _cohorts(bo, [5, 5, 5])
    assert "arm_sum@enrolled" not in bo.findings()


def test_arm_sizes_that_do_not_add_up_are_flagged(desk: DeskFactory) -> None:
    bo = desk(SEPSIS, reviewer="Bo")
    _cohorts(bo, [5, 5, 6])
    finding = bo.findings()["arm_sum@enrolled"]
    assert finding.severity is Severity.WARNING
    assert finding.message == "The arm sizes add up to 16 (5 + 5 + 6), not the 15 enrolled."


def test_arm_sizes_are_only_added_up_when_every_arm_has_one(desk: DeskFactory) -> None:
    bo = desk(SEPSIS, reviewer="Bo")
    _cohorts(bo, [5, 5, None])
    assert "arm_sum@enrolled" not in bo.findings()


def test_events_within_their_total(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    row = ana.add_row("outcomes")
    ana.fill(f"outcomes[{row}].events", "in 12 patients")
    assert f"events_gt_n@outcomes[{row}].events" not in keys(
        ana.fill(f"outcomes[{row}].total", "20 of whom")
    )


def test_tract_events_counted_against_patients_exceed_the_total(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    row = ana.add_row("outcomes")
    ana.fill(f"outcomes[{row}].events", "30 of which")  # tracts
    ana.fill(f"outcomes[{row}].total", "20 of whom")  # patients
    finding = ana.findings()[f"events_gt_n@outcomes[{row}].events"]
    assert finding.severity is Severity.ERROR
    assert finding.message == "Outcome results row 1: Events (30) are more than the total (20)."


def _arm_and_outcome(ana: Desk, events: str, unit: str) -> int:
    arm = ana.add_row("arms")
    ana.type(f"arms[{arm}].label", "MSC exosomes")
    ana.fill(f"arms[{arm}].n_randomized", "20 of whom")
    row = ana.add_row("outcomes")
    ana.type(f"outcomes[{row}].arm_label", "MSC Exosomes")  # case and spacing may differ
    ana.type(f"outcomes[{row}].unit_counted", unit)
    ana.fill(f"outcomes[{row}].events", events)
    return row


def test_events_without_a_total_are_compared_with_their_arm(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    row = _arm_and_outcome(ana, "Twenty-three", "patients")
    assert ana.findings()[f"events_gt_n@outcomes[{row}].events"].message == (
        "Outcome results row 1: Events (23) are more than the 20 allocated to the arm "
        "“MSC Exosomes”."
    )


def test_tracts_are_not_compared_with_the_number_of_patients(desk: DeskFactory) -> None:
    ana = desk(CROHN)
    row = _arm_and_outcome(ana, "30 of which", "tracts")
    assert f"events_gt_n@outcomes[{row}].events" not in ana.findings()


def test_august_to_december_2024_is_in_order(desk: DeskFactory) -> None:
    cy = desk(REGISTRY_RECTAL, reviewer="Cy")
    cy.fill("start_date", "Start date: August 2024")
    assert "date_order@start_date" not in keys(
        cy.fill("completion_date", "Completion date: December 2024")
    )
    # A day in the completion month is not after it: dates compare at their common precision.
    assert "date_order@start_date" not in keys(cy.type("start_date", "2024-12-05"))


def test_dates_swapped_between_the_lines_are_out_of_order(desk: DeskFactory) -> None:
    cy = desk(REGISTRY_RECTAL, reviewer="Cy")
    cy.fill("start_date", "Completion date: December 2024")
    cy.fill("completion_date", "Start date: August 2024")
    finding = cy.findings()["date_order@start_date"]
    assert finding.severity is Severity.ERROR
    assert finding.message == "Start date (Dec 2024) is after the completion date (Aug 2024)."
