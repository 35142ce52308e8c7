"""Cohen's kappa against examples computed by hand, and its degenerate cases."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.adjudication import cohen_kappa


def table(cells: dict[tuple[str, str], int]) -> list[tuple[str, str]]:
    """Rating pairs from a contingency table {(rater A, rater B): count}."""
    return [pair for pair, count in cells.items() for _ in range(count)]


def test_the_classic_two_by_two_example() -> None:
    # 50 grant proposals read by two readers: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no.
    # p_o = 35/50 = 0.7; A says yes 25 times, B 30: p_e = 0.5·0.6 + 0.5·0.4 = 0.5;
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    result = cohen_kappa(
        table({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15})
    )
    assert result.n == 50
    assert result.observed == pytest.approx(0.7, abs=1e-12)
    assert result.expected == pytest.approx(0.5, abs=1e-12)
    assert result.value == pytest.approx(0.4, abs=1e-12)


@pytest.mark.parametrize(
    ("cells", "kappa"),
    [
        # Same 60 % agreement, different marginals, different kappa:
        # p_e = 0.6·0.7 + 0.4·0.3 = 0.54 -> 0.06 / 0.46
        ({("y", "y"): 45, ("y", "n"): 15, ("n", "y"): 25, ("n", "n"): 15}, 0.06 / 0.46),
        # p_e = 0.6·0.3 + 0.4·0.7 = 0.46 -> 0.14 / 0.54
        ({("y", "y"): 25, ("y", "n"): 35, ("n", "y"): 5, ("n", "n"): 35}, 0.14 / 0.54),
    ],
)
def test_equal_agreement_with_other_marginals_gives_another_kappa(
    cells: dict[tuple[str, str], int], kappa: float
) -> None:
    result = cohen_kappa(table(cells))
    assert result.observed == pytest.approx(0.6, abs=1e-12)
    assert result.value == pytest.approx(kappa, abs=1e-12)
    assert round(result.value or 0, 4) in (0.1304, 0.2593)


def test_three_categories() -> None:
    # 200 items; A's marginals 120/60/20, B's 100/60/40; 88 + 40 + 12 on the diagonal.
    # p_o = 0.70, p_e = 0.6·0.5 + 0.3·0.3 + 0.1·0.2 = 0.41, kappa = 0.29 / 0.59.
    cells = {
        ("a", "a"): 88, ("a", "b"): 14, ("a", "c"): 18,
        ("b", "a"): 10, ("b", "b"): 40, ("b", "c"): 10,
        ("c", "a"): 2, ("c", "b"): 6, ("c", "c"): 12,
    }  # fmt: skip
    result = cohen_kappa(table(cells))
    assert (result.observed, result.expected) == (pytest.approx(0.70), pytest.approx(0.41))
    assert result.value == pytest.approx(0.29 / 0.59, abs=1e-12)


def test_perfect_and_perfectly_opposite_ratings() -> None:
    assert cohen_kappa([("y", "y"), ("n", "n")] * 5).value == 1.0
    assert cohen_kappa([("y", "n"), ("n", "y")] * 5).value == -1.0


def test_one_rater_with_one_category_gives_kappa_zero() -> None:
    result = cohen_kappa([("y", "y"), ("y", "y"), ("y", "y"), ("y", "n")])
    assert (result.observed, result.expected, result.value) == (0.75, 0.75, 0.0)


def test_kappa_is_undefined_when_both_raters_use_one_category_only() -> None:
    result = cohen_kappa([("placebo", "placebo")] * 12)
    assert result.value is None
    assert (result.n, result.observed, result.expected) == (12, 1.0, 1.0)
    assert "placebo" in result.reason and "undefined" in result.reason


def test_kappa_is_undefined_without_items() -> None:
    result = cohen_kappa([])
    assert (result.value, result.n) == (None, 0)
    assert result.reason == "No item was rated by both reviewers."


ratings = st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from("abcd")), max_size=60)


@given(ratings)
def test_kappa_is_symmetric_bounded_and_the_textbook_formula(pairs: list[tuple[str, str]]) -> None:
    result = cohen_kappa(pairs)
    swapped = cohen_kappa([(b, a) for a, b in pairs])
    assert swapped.value == result.value
    if result.value is None:
        return
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    expected = sum(
        (sum(a == c for a, _ in pairs) / n) * (sum(b == c for _, b in pairs) / n) for c in "abcd"
    )
    assert -1 <= result.value <= 1
    assert result.value == pytest.approx((observed - expected) / (1 - expected), abs=1e-9)
