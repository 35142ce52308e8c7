"""Cohen's kappa: agreement of two raters on categories, corrected for chance."""

from collections import Counter
from collections.abc import Hashable, Iterable

from pydantic import BaseModel, ConfigDict


class Kappa(BaseModel):
    """Cohen's kappa over `n` items, with the proportions it is made of.

    `value` is None when kappa is undefined; `reason` then says why in words.
    """

    model_config = ConfigDict(frozen=True)

    value: float | None
    n: int
    observed: float | None = None  # proportion of items both raters put in one category
    expected: float | None = None  # the proportion expected by chance from the marginals
    reason: str = ""


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> Kappa:
    """Kappa = (p_o - p_e) / (1 - p_e) for (rater A, rater B) category pairs.

    p_o is the observed share of agreement, p_e = sum over categories of the product of
    the two raters' shares of that category. Computed on whole counts,
    (n·agreements - Σ a_k·b_k) / (n² - Σ a_k·b_k), and divided once, so it is exact to
    the last digit. Undefined with no items, or when both raters used one and the same
    category for every item (then p_e = 1 and any "agreement" is certain by chance).
    """
    counts_a: Counter[Hashable] = Counter()
    counts_b: Counter[Hashable] = Counter()
    n = agreements = 0
    for a, b in pairs:
        n += 1
        agreements += a == b
        counts_a[a] += 1
        counts_b[b] += 1
    if n == 0:
        return Kappa(value=None, n=0, reason="No item was rated by both reviewers.")
    chance = sum(count * counts_b[category] for category, count in counts_a.items())
    observed, expected = agreements / n, chance / (n * n)
    if chance == n * n:
        only = next(iter(counts_a))
        reason = (
            f"Both reviewers gave every item the same single category ({only}), "
            "so agreement is certain by chance and kappa is undefined."
        )
        return Kappa(value=None, n=n, observed=observed, expected=expected, reason=reason)
    value = (n * agreements - chance) / (n * n - chance)
    return Kappa(value=value, n=n, observed=observed, expected=expected)
