"""Two reviewers' extractions of one study compared as a whole: every field, every row."""

from core.adjudication import ComparisonState, Match, Tolerance, compare_extractions
from core.domain import FieldStatus
from core.templates import default_template
from tests.core.adjudication.answers import answer, arm, passage

TEMPLATE = default_template()
PLAIN = [spec.id for _, spec in TEMPLATE.plain_fields()]
ARM_FIELDS = [spec.id for spec in TEMPLATE.group("arms").fields]  # type: ignore[union-attr]

# The sepsis trial of sample_docs/004 as two reviewers entered it.
ANA = [
    answer("phase", "1", anchors=(passage(120, 135),)),
    answer("enrolled", 15, anchors=(passage(700, 715),)),
    answer("n_centres", 1),
    answer("start_date", "2016-03"),
    answer("allocation", "non_randomized"),
    answer("masking", "none"),
    *arm(1, "Low dose", 1000000, "cells/kg", 5),
    *arm(2, "Intermediate dose", 2000000, "cells/kg", 5),
    *arm(3, "High dose", 3000000, "cells/kg", 5),
    answer("surgeon_name", "not in the form"),
]
BEN = [
    answer("phase", "1_2", anchors=(passage(120, 135),)),
    answer("enrolled", 15, anchors=(passage(1500, 1515),)),
    answer("start_date", "2016-03-01"),
    answer("allocation", "non_randomized"),
    answer("masking", status=FieldStatus.NOT_REPORTED),
    answer("deaths", status=FieldStatus.NOT_REPORTED),
    *arm(1, "High-dose cohort", 3, "10^6 cells/kg", 5),
    *arm(2, "low dose cohort", 1, "10^6 cells/kg", 5),
    *arm(3, "Intermediate-dose cohort", 2, "10^6 cells/kg", 6),
    *arm(4, "Historical control", 0, "cells/kg", 15),
]


def test_every_plain_field_and_every_row_field_is_compared_once() -> None:
    result = compare_extractions(TEMPLATE, ANA, BEN)
    plain = [f.path for f in result.fields if f.group_id is None]
    assert plain == PLAIN
    arms = [f.path for f in result.fields if f.group_id == "arms"]
    assert arms == [f"arms[{row}].{field}" for row in (1, 2, 3, 4) for field in ARM_FIELDS]
    assert [f.group_id for f in result.fields if f.group_id] == ["arms"] * len(arms)
    assert result.ignored == ("surgeon_name",)


def test_rows_keep_a_numbering_and_carry_both_source_paths() -> None:
    result = compare_extractions(TEMPLATE, ANA, BEN)
    assert [(r.row, r.row_a, r.row_b) for r in result.rows] == [
        (1, 1, 2),
        (2, 2, 3),
        (3, 3, 1),
        (4, None, 4),
    ]
    low = result.field("arms[1].dose")
    assert low is not None
    assert (low.path_a, low.path_b, low.row_a, low.row_b) == ("arms[1].dose", "arms[2].dose", 1, 2)
    assert (low.state, low.match) == (ComparisonState.AGREED, Match.EQUIVALENT)
    assert (
        low.reason == "A: 1000000 cells/kg, B: 1 × 10^6 cells/kg (the same amount in other units)"
    )
    control = result.field("arms[4].label")
    assert control is not None
    assert (control.state, control.path_a, control.path_b) == (
        ComparisonState.ONLY_B,
        None,
        "arms[4].label",
    )


def test_the_verdicts_on_the_sepsis_trial() -> None:
    result = compare_extractions(TEMPLATE, ANA, BEN)
    states = {f.path: f.state for f in result.fields if f.state is not ComparisonState.BOTH_EMPTY}
    assert states == {
        "phase": ComparisonState.DISAGREED,
        "enrolled": ComparisonState.AGREED,
        "n_centres": ComparisonState.ONLY_A,
        "start_date": ComparisonState.AGREED,
        "allocation": ComparisonState.AGREED,
        "masking": ComparisonState.DISAGREED,
        "deaths": ComparisonState.ONLY_B,
        **{
            f"arms[{row}].{field}": ComparisonState.AGREED
            for row in (1, 2, 3)
            for field in ("dose", "n_randomized")
        },
        "arms[1].label": ComparisonState.DISAGREED,
        "arms[2].label": ComparisonState.DISAGREED,
        "arms[3].label": ComparisonState.DISAGREED,
        **{
            f"arms[4].{field}": ComparisonState.ONLY_B
            for field in ("label", "dose", "n_randomized")
        },
    } | {"arms[2].n_randomized": ComparisonState.DISAGREED}
    phase = result.field("phase")
    assert phase is not None and phase.reason == "A: Phase 1, B: Phase 1/2"
    assert result.field("masking").reason == "A: None (open label), B: not reported"  # type: ignore[union-attr]
    enrolled = result.field("enrolled")
    assert enrolled is not None and enrolled.same_value_different_evidence
    assert not phase.same_value_different_evidence
    start = result.field("start_date")
    assert start is not None and start.match is Match.LOWER_PRECISION
    assert not start.agreed_in_full
    assert result.field("allocation").agreed_in_full  # type: ignore[union-attr]


def test_disagreements_and_counts_summarise_the_study() -> None:
    result = compare_extractions(TEMPLATE, ANA, BEN)
    counts = result.counts()
    assert counts[ComparisonState.AGREED] == 8
    assert counts[ComparisonState.DISAGREED] == 6
    assert counts[ComparisonState.ONLY_A] == 1
    assert counts[ComparisonState.ONLY_B] == 4
    assert sum(counts.values()) == len(result.fields) == len(PLAIN) + 4 * len(ARM_FIELDS)
    assert {f.path for f in result.disagreements()} == {
        "phase",
        "masking",
        "n_centres",
        "deaths",
        "arms[1].label",
        "arms[2].label",
        "arms[3].label",
        "arms[2].n_randomized",
        "arms[4].label",
        "arms[4].dose",
        "arms[4].n_randomized",
    }


def test_a_row_only_b_has_takes_the_next_free_number_when_a_uses_its_own() -> None:
    a = [*arm(1, "Low dose", 1, "mg", 5), *arm(2, "Placebo", 0, "mg", 5)]
    b = [*arm(1, "Low dose", 1, "mg", 5), *arm(2, "Sham", 0, "mg", 5)]
    result = compare_extractions(TEMPLATE, a, b)
    assert [(r.row, r.row_a, r.row_b) for r in result.rows] == [
        (1, 1, 1),
        (2, 2, None),
        (3, None, 2),
    ]
    sham = result.field("arms[3].label")
    assert sham is not None and (sham.path_b, sham.value_b) == ("arms[2].label", "Sham")


def test_tolerances_given_by_template_id_override_the_template() -> None:
    a = [answer("age_mean_or_median", 58), *arm(1, "Low dose", 40, "mg", 5)]
    b = [answer("age_mean_or_median", 58.5), *arm(1, "Low dose", 41, "mg", 5)]
    exact = compare_extractions(TEMPLATE, a, b)
    assert exact.field("age_mean_or_median").state is ComparisonState.DISAGREED  # type: ignore[union-attr]
    assert exact.field("arms[1].dose").state is ComparisonState.DISAGREED  # type: ignore[union-attr]
    tolerant = compare_extractions(
        TEMPLATE,
        a,
        b,
        {"age_mean_or_median": Tolerance(absolute=1), "arms.dose": Tolerance(relative=0.05)},
    )
    for path in ("age_mean_or_median", "arms[1].dose"):
        compared = tolerant.field(path)
        assert compared is not None
        assert (compared.state, compared.match) == (ComparisonState.AGREED, Match.WITHIN_TOLERANCE)


def test_two_empty_extractions_agree_on_nothing_and_list_no_rows() -> None:
    result = compare_extractions(TEMPLATE, [], [])
    assert result.rows == ()
    assert {f.state for f in result.fields} == {ComparisonState.BOTH_EMPTY}
    assert len(result.fields) == len(PLAIN)
    assert result.disagreements() == []


def test_the_result_is_plain_data_that_survives_json() -> None:
    result = compare_extractions(TEMPLATE, ANA, BEN)
    again = type(result).model_validate_json(result.model_dump_json())
    assert again == result
