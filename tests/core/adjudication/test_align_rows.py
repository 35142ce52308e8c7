"""Pairing rows of repeating groups entered by two reviewers in different orders."""

from itertools import permutations

from hypothesis import given
from hypothesis import strategies as st

from core.adjudication import RowPair, align_rows
from core.adjudication.assignment import max_weight_assignment
from core.domain import FieldValueInfo, GroupSpec
from core.templates import default_template
from tests.core.adjudication.answers import answer, arm

TEMPLATE = default_template()
ARMS = TEMPLATE.group("arms")
OUTCOMES = TEMPLATE.group("outcomes")
assert ARMS is not None and OUTCOMES is not None


def rows(values: list[FieldValueInfo]) -> dict[int, dict[str, FieldValueInfo]]:
    table: dict[int, dict[str, FieldValueInfo]] = {}
    for value in values:
        assert value.row is not None
        table.setdefault(value.row, {})[value.field_id] = value
    return table


def pairs(group: GroupSpec, a: list[FieldValueInfo], b: list[FieldValueInfo]) -> set[tuple]:
    return {(p.row_a, p.row_b) for p in align_rows(group, rows(a), rows(b))}


# The sepsis trial of sample_docs/004: 15 patients in three dose cohorts of 5.
SEPSIS_A = [
    *arm(1, "Low dose", 1000000, "cells/kg", 5),
    *arm(2, "Intermediate dose", 2000000, "cells/kg", 5),
    *arm(3, "High dose", 3000000, "cells/kg", 5),
]
SEPSIS_B = [
    *arm(1, "High-dose cohort", 3, "10^6 cells/kg", 5),
    *arm(2, "low dose cohort", 1, "10^6 cells/kg", 5),
    *arm(3, "Intermediate-dose cohort", 2, "10^6 cells/kg", 5),
    *arm(4, "Historical control", 0, "cells/kg", 15, arm_type="no_intervention"),
]


def test_dose_cohorts_entered_in_another_order_are_paired_and_an_extra_arm_stands_alone() -> None:
    aligned = align_rows(ARMS, rows(SEPSIS_A), rows(SEPSIS_B))
    assert aligned == [
        RowPair(1, 2, 0.8),
        RowPair(2, 3, 0.8),
        RowPair(3, 1, 0.8),
        RowPair(None, 4),
    ]


def test_identical_labels_pair_whatever_the_order() -> None:
    a = [*arm(1, "Cohort 1", 1, "mg", 5), *arm(2, "Cohort 2", 2, "mg", 5)]
    a += arm(3, "Cohort 3", 3, "mg", 5)
    b = [*arm(1, "cohort 3", 3, "mg", 5), *arm(2, "COHORT 1", 1, "mg", 5)]
    b += arm(3, "Cohort 2", 2, "mg", 5)
    assert pairs(ARMS, a, b) == {(1, 2), (2, 3), (3, 1)}


def test_labels_with_different_numbers_never_pair() -> None:
    a = [*arm(1, "Cohort 1", 1, "mg", 5), *arm(2, "Cohort 2", 2, "mg", 5)]
    b = [*arm(1, "Cohort 2", 2, "mg", 5), *arm(2, "Cohort 3", 3, "mg", 5)]
    assert pairs(ARMS, a, b) == {(1, None), (2, 1), (None, 2)}


def test_rows_only_half_alike_stay_apart() -> None:
    a = arm(1, "Low dose", 1, "mg", 5)
    b = arm(1, "High dose", 1, "mg", 5)
    assert pairs(ARMS, a, b) == {(1, None), (None, 1)}


def test_one_close_pair_wins_over_two_loose_ones() -> None:
    # A1-B1 score 0.86; A1-B2 and A2-B1 0.67 each, A2-B2 0. Two loose pairs add up to
    # more (1.33) than the close one, but only the close one is surely the same arm.
    a = arm(1, "saline placebo infusion", 0, "mL", 10) + arm(2, "infusion daily", 0, "mL", 10)
    b = arm(1, "saline placebo infusion daily", 0, "mL", 10)
    b += arm(2, "saline placebo injection", 0, "mL", 10)
    assert pairs(ARMS, a, b) == {(1, 1), (2, None), (None, 2)}


def outcome(row: int, unit_counted: str, events: int, total: int) -> list[FieldValueInfo]:
    return [
        answer(f"outcomes[{row}].name", "Combined remission"),
        answer(f"outcomes[{row}].time_point", "week 24"),
        answer(f"outcomes[{row}].arm_label", "Cx601"),
        answer(f"outcomes[{row}].unit_counted", unit_counted),
        answer(f"outcomes[{row}].events", events),
        answer(f"outcomes[{row}].total", total),
    ]


def test_rows_with_equal_keys_are_told_apart_by_their_other_fields() -> None:
    # One outcome reported per patient and per fistula tract: two denominators.
    a = [*outcome(1, "patients", 12, 20), *outcome(2, "tracts", 30, 43)]
    b = [*outcome(1, "tracts", 30, 43), *outcome(2, "patients", 12, 20)]
    assert pairs(OUTCOMES, a, b) == {(1, 2), (2, 1)}


def test_rows_with_equal_keys_and_nothing_else_keep_their_order() -> None:
    a = [*outcome(1, "patients", 12, 20), *outcome(2, "patients", 12, 20)]
    assert pairs(OUTCOMES, a, a) == {(1, 1), (2, 2)}


def test_key_text_is_matched_by_its_words_in_any_order() -> None:
    a = outcome(1, "patients", 12, 20)
    b = [v for v in outcome(1, "patients", 12, 20) if v.field_id != "time_point"]
    b.append(answer("outcomes[1].time_point", "24 weeks"))
    (pair,) = align_rows(OUTCOMES, rows(a), rows(b))
    assert (pair.row_a, pair.row_b) == (1, 1)
    assert pair.score == 1.0


def test_rows_without_key_values_are_paired_on_their_other_fields() -> None:
    a = [answer("arms[1].dose", 40, "mg"), answer("arms[2].dose", 80, "mg")]
    b = [answer("arms[1].dose", 0.08, "g"), answer("arms[2].dose", 0.04, "g")]
    assert pairs(ARMS, a, b) == {(1, 2), (2, 1)}


def test_a_group_only_one_reviewer_filled_gives_unpaired_rows() -> None:
    assert pairs(ARMS, SEPSIS_A, []) == {(1, None), (2, None), (3, None)}
    assert pairs(ARMS, [], SEPSIS_A) == {(None, 1), (None, 2), (None, 3)}


def _best_total(weights: list[list[int]]) -> int:
    rows, columns = len(weights), len(weights[0])
    if rows <= columns:
        return max(
            sum(max(weights[i][j], 0) for i, j in enumerate(chosen))
            for chosen in permutations(range(columns), rows)
        )
    return _best_total([list(column) for column in zip(*weights, strict=True)])


@given(
    st.integers(1, 5).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda columns: st.lists(
                st.lists(st.integers(0, 20), min_size=columns, max_size=columns),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_the_assignment_reaches_the_best_total_weight(weights: list[list[int]]) -> None:
    chosen = max_weight_assignment(weights)
    assert len({i for i, _ in chosen}) == len(chosen) == len({j for _, j in chosen})
    assert all(weights[i][j] > 0 for i, j in chosen)
    assert sum(weights[i][j] for i, j in chosen) == _best_total(weights)


@given(st.permutations(["Placebo", "Cohort 1", "Cohort 2", "Cohort 3", "Sham", "Control arm"]))
def test_any_order_of_distinct_labels_is_undone(order: list[str]) -> None:
    labels = ["Placebo", "Cohort 1", "Cohort 2", "Cohort 3", "Sham", "Control arm"]
    a = [answer(f"arms[{i}].label", label) for i, label in enumerate(labels, 1)]
    b = [answer(f"arms[{i}].label", label.upper()) for i, label in enumerate(order, 1)]
    expected = {(labels.index(label) + 1, i) for i, label in enumerate(order, 1)}
    assert pairs(ARMS, a, b) == expected
