"""Two reviewers' answers to one field: the state, how they matched, the reason shown."""

import pytest

from core.adjudication import ComparisonState, Match, Tolerance, compare_answers, tolerance_for
from core.domain import FieldSpec, FieldStatus
from core.templates import default_template
from tests.core.adjudication.answers import answer, passage

TEMPLATE = default_template()
AGREED, DISAGREED = ComparisonState.AGREED, ComparisonState.DISAGREED


def spec(template_id: str) -> FieldSpec:
    found = TEMPLATE.field(template_id)
    assert found is not None, template_id
    return found


def verdict(
    template_id: str,
    a: object,
    b: object,
    unit_a: str | None = None,
    unit_b: str | None = None,
    tolerance: Tolerance | None = None,
) -> tuple[ComparisonState, Match | None, str]:
    field = spec(template_id)
    path = template_id.replace(".", "[1].") if "." in template_id else template_id
    result = compare_answers(
        field,
        answer(path, a, unit_a),
        answer(path, b, unit_b),
        tolerance or tolerance_for(field),
    )
    return result.state, result.match, result.reason


@pytest.mark.parametrize(
    ("a", "unit_a", "b", "unit_b"),
    [
        (40, "mg", 0.04, "g"),
        (5, "mL", 0.005, "L"),
        (250, "µg", 0.25, "mg"),
        (250, "μg", 0.25, "mg"),  # Greek mu, as NFKC writes the micro sign
        (1000000, "cells/kg", 1, "10^6 cells/kg"),
        (1000000, "cells/kg", 1, "× 10⁶ cells/kg"),
        (2000000, "cells/kg", 2, "million cells/kg"),
        (2000000, "cells/kg", 2, "x10⁶/kg"),  # cells left unnamed after a power of ten
        (3, "mg/kg", 3000, "µg/kg"),
    ],
)
def test_doses_in_different_units_agree_as_equivalent(
    a: float, unit_a: str, b: float, unit_b: str
) -> None:
    state, match, reason = verdict("arms.dose", a, b, unit_a, unit_b)
    assert (state, match) == (AGREED, Match.EQUIVALENT)
    assert "the same amount in other units" in reason


def test_doses_that_differ_or_cannot_be_converted_disagree() -> None:
    assert verdict("arms.dose", 40, 0.4, "mg", "g")[:2] == (DISAGREED, None)
    assert verdict("arms.dose", 2, 1, "10^6 cells/kg", "10^6 cells/kg")[:2] == (DISAGREED, None)
    state, _, reason = verdict("arms.dose", 5, 5, "mL", "mg")
    assert state is DISAGREED
    assert reason == "A: 5 mL, B: 5 mg (units that cannot be converted into each other)"
    # per kilogram and per patient are different doses, not different spellings
    assert verdict("arms.dose", 1000000, 1000000, "cells/kg", "cells")[0] is DISAGREED


def test_a_number_without_a_unit_is_in_the_field_unit() -> None:
    assert verdict("arms.dose", 40, 40, None, "mg")[:2] == (AGREED, Match.EQUIVALENT)
    assert verdict("arms.dose", 40, 0.04, None, "g")[:2] == (AGREED, Match.EQUIVALENT)
    assert verdict("arms.dose", 40, 40, "mg", "mg")[:2] == (AGREED, Match.IDENTICAL)


def test_durations_convert_between_calendar_units() -> None:
    assert verdict("follow_up_duration", 12, 1, "months", "years")[:2] == (AGREED, Match.EQUIVALENT)
    assert verdict("follow_up_duration", 2, 14, "weeks", "days")[0] is AGREED
    assert verdict("follow_up_duration", 24, 1, "hours", "days")[0] is AGREED
    # 52 weeks are 364 days, a year 365.25: only a tolerance makes them meet
    assert verdict("follow_up_duration", 52, 1, "weeks", "years")[0] is DISAGREED
    one_percent = Tolerance(relative=0.01)
    state, match, reason = verdict("follow_up_duration", 52, 1, "weeks", "years", one_percent)
    assert (state, match) == (AGREED, Match.WITHIN_TOLERANCE)
    assert reason == "A: 52 weeks, B: 1 years (within 1 %)"


def test_numbers_are_exact_by_default_and_decimal_exact() -> None:
    assert verdict("enrolled", 23, 23)[:2] == (AGREED, Match.IDENTICAL)
    assert verdict("enrolled", 23, 24) == (DISAGREED, None, "A: 23, B: 24")
    assert verdict("outcomes.percent", 60, 0.6, "%", "%") == (DISAGREED, None, "A: 60%, B: 0.6%")
    # 0.1 + 0.2 style binary error never splits what a reviewer wrote as decimals
    assert verdict("arms.dose", 0.3, 300, "g", "mg")[0] is AGREED
    assert verdict("arms.dose", 0.1, 100.00000000000001, "g", "mg")[0] is DISAGREED


def test_an_absolute_tolerance_is_in_the_field_unit_and_inclusive() -> None:
    half_week = Tolerance(absolute=0.5)
    assert verdict("follow_up_duration", 10, 10.5, "weeks", "weeks", half_week)[0] is AGREED
    assert verdict("follow_up_duration", 10, 10.6, "weeks", "weeks", half_week)[0] is DISAGREED
    # 73.5 days are 10.5 weeks; 74 days are not within half a week of 10 weeks
    assert verdict("follow_up_duration", 10, 73.5, "weeks", "days", half_week)[0] is AGREED
    assert verdict("follow_up_duration", 10, 74, "weeks", "days", half_week)[0] is DISAGREED
    state, match, reason = verdict("follow_up_duration", 10, 10.5, None, None, half_week)
    assert (state, match) == (AGREED, Match.WITHIN_TOLERANCE)
    assert reason == "A: 10, B: 10.5 (within ±0.5 weeks)"


def test_a_relative_tolerance_is_a_share_of_the_larger_value() -> None:
    five_percent = Tolerance(relative=0.05)
    assert verdict("outcomes.mean", 100, 105, tolerance=five_percent)[0] is AGREED
    assert verdict("outcomes.mean", 100, 106, tolerance=five_percent)[0] is DISAGREED
    assert verdict("outcomes.mean", -100, -105, tolerance=five_percent)[0] is AGREED


def test_the_tolerance_is_read_from_the_field_spec_when_it_carries_one() -> None:
    assert tolerance_for(spec("age_mean_or_median")) == Tolerance(absolute=0.05)
    plain = spec("age_mean_or_median").model_copy(update={"tolerance": None})
    assert tolerance_for(plain) == Tolerance()
    tolerant = plain.model_copy(update={"tolerance": 0.5, "relative_tolerance": 0.02})
    assert tolerance_for(tolerant) == Tolerance(absolute=0.5, relative=0.02)
    result = compare_answers(
        tolerant, answer("age_mean_or_median", 58), answer("age_mean_or_median", 58.4)
    )
    assert result.match is Match.WITHIN_TOLERANCE
    assert "within ±0.5 years or 2 %" in result.reason


def test_a_template_refuses_a_tolerance_on_a_field_that_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="tolerance but is not a number field"):
        FieldSpec(id="phase_note", label="Phase note", type="text", tolerance=1)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2024-08", "2024-08-15", (AGREED, Match.LOWER_PRECISION)),
        ("2024", "2024-08-15", (AGREED, Match.LOWER_PRECISION)),
        ("2024-08-15", "2024-08-15", (AGREED, Match.IDENTICAL)),
        ("2024-08", "2024-09-01", (DISAGREED, None)),
        ("2023", "2024-08", (DISAGREED, None)),
        ("2024-08-14", "2024-08-15", (DISAGREED, None)),
    ],
)
def test_partial_dates_compare_at_their_common_precision(
    a: str, b: str, expected: tuple[ComparisonState, Match | None]
) -> None:
    assert verdict("start_date", a, b)[:2] == expected
    assert verdict("start_date", b, a)[:2] == expected


def test_a_date_agreeing_at_a_lower_precision_says_who_was_more_precise() -> None:
    _, match, reason = verdict("start_date", "2024-08", "2024-08-15")
    assert match is not None and not match.complete
    assert reason == "A: Aug 2024, B: 15 Aug 2024 (agree to the month; B is more precise)"


def test_single_choices_compare_by_code() -> None:
    assert verdict("phase", "2", "2")[:2] == (AGREED, Match.IDENTICAL)
    assert verdict("phase", "2", "1_2") == (DISAGREED, None, "A: Phase 2, B: Phase 1/2")


def test_multiple_choices_compare_as_sets() -> None:
    field = FieldSpec.model_validate(
        {
            "id": "sources",
            "label": "Sources",
            "type": "multiple_choice",
            "choices": [{"code": c, "label": c.title()} for c in ("cord", "marrow", "fat")],
        }
    )
    a = answer("sources", ["cord", "fat"])
    assert compare_answers(field, a, answer("sources", ["cord", "fat"])).match is Match.IDENTICAL
    assert compare_answers(field, a, answer("sources", ["fat", "cord"])).match is Match.EQUIVALENT
    different = compare_answers(field, a, answer("sources", ["cord"]))
    assert different.state is DISAGREED
    assert different.reason == "A: Cord; Fat, B: Cord"


def test_booleans_compare_exactly() -> None:
    assert verdict("any_adverse_events", True, True)[:2] == (AGREED, Match.IDENTICAL)
    assert verdict("any_adverse_events", True, False) == (DISAGREED, None, "A: Yes, B: No")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Non-randomized", "non randomized"),
        ("Low-dose  cohort", "low dose cohort."),
        ("Mesenchymal stem (stromal) cells", "mesenchymal stem stromal cells"),
        ("Panés J", "PANÉS, J."),
        ("ﬁstula", "fistula"),  # a ligature, as PDFs hand it over
        ("days 0–28", "days 0-28"),
        ("Crohn’s disease", "Crohn's disease"),
    ],
)
def test_free_text_ignores_case_spaces_punctuation_dashes_and_unicode_form(a: str, b: str) -> None:
    state, match, reason = verdict("arms.product", a, b)
    assert (state, match) == (AGREED, Match.EQUIVALENT)
    assert reason.endswith("(the same words)")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("non randomised", "Non-randomized"),  # spelling variants are for the adjudicator
        ("nonrandomized", "non-randomized"),
        ("1.5 mg", "15 mg"),
        ("dose < 5", "dose 5"),
        ("-5", "5"),
        ("Panes J", "Panés J"),
    ],
)
def test_free_text_keeps_spelling_numbers_and_meaningful_symbols(a: str, b: str) -> None:
    assert verdict("arms.product", a, b)[0] is DISAGREED


def test_statuses_are_answers_of_their_own() -> None:
    field = spec("n_centres")
    not_reported = answer("n_centres", status=FieldStatus.NOT_REPORTED)
    not_applicable = answer("n_centres", status=FieldStatus.NOT_APPLICABLE)
    agreed = compare_answers(field, not_reported, not_reported)
    assert (agreed.state, agreed.match) == (AGREED, Match.IDENTICAL)
    against_value = compare_answers(field, answer("n_centres", 3), not_reported)
    assert (against_value.state, against_value.reason) == (DISAGREED, "A: 3, B: not reported")
    assert compare_answers(field, not_applicable, not_reported).state is DISAGREED


def test_empty_sides_give_only_a_only_b_or_both_empty() -> None:
    field = spec("enrolled")
    only_a = compare_answers(field, answer("enrolled", 15), None)
    assert (only_a.state, only_a.reason) == (ComparisonState.ONLY_A, "A: 15, B: empty")
    assert compare_answers(field, None, answer("enrolled", 15)).state is ComparisonState.ONLY_B
    # a value status with nothing in it is no answer
    assert compare_answers(field, answer("enrolled"), None).state is ComparisonState.BOTH_EMPTY
    assert compare_answers(field, None, None).reason == "A: empty, B: empty"
    status_only = compare_answers(field, None, answer("enrolled", status=FieldStatus.UNCLEAR))
    assert (status_only.state, status_only.reason) == (
        ComparisonState.ONLY_B,
        "A: empty, B: unclear",
    )


def test_the_same_value_from_passages_that_do_not_overlap_is_marked() -> None:
    field = spec("enrolled")

    def enrolled(*anchors: object) -> object:
        return answer("enrolled", 15, anchors=anchors)  # type: ignore[arg-type]

    abstract, results = passage(100, 120), passage(900, 930)
    assert not compare_answers(
        field, enrolled(abstract), enrolled(abstract)
    ).same_value_different_evidence
    overlapping = enrolled(passage(110, 140))
    assert not compare_answers(field, enrolled(abstract), overlapping).same_value_different_evidence
    assert compare_answers(
        field, enrolled(abstract), enrolled(results)
    ).same_value_different_evidence
    # one shared passage is enough; the other document's passage does not overlap
    other_document = passage(100, 120, document_id=2)
    assert compare_answers(
        field, enrolled(abstract), enrolled(other_document)
    ).same_value_different_evidence
    both = enrolled(results, abstract)
    assert not compare_answers(field, enrolled(abstract), both).same_value_different_evidence
    # typed without a passage against a cited value; and neither cites anything
    assert compare_answers(field, enrolled(), enrolled(abstract)).same_value_different_evidence
    assert not compare_answers(field, enrolled(), enrolled()).same_value_different_evidence
    # only agreements carry the mark
    different = compare_answers(
        field, enrolled(abstract), answer("enrolled", 16, anchors=(results,))
    )
    assert not different.same_value_different_evidence


def test_long_values_are_shortened_in_the_reason() -> None:
    long_text = "word " * 40
    _, _, reason = verdict("title", long_text, long_text + "more")
    shown_a = reason.split(", B: ")[0]
    assert shown_a.endswith("…")
    assert len(shown_a) == len("A: ") + 60
