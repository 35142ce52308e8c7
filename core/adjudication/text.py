"""Free text as two reviewers may type it differently: normalised words and similarity."""

import re
import unicodedata
from functools import lru_cache

# A number keeps its decimal point or thousands separator ("1.5" is not "15"); a minus
# sign counts only right before a digit and not after a letter or digit ("days 0-28").
# Symbols that change a meaning ("<", "%", "±") are words of their own. Everything else
# (spaces, punctuation, dashes, slashes, brackets, quotes) only separates words.
_TOKEN = re.compile(
    r"(?<![\w.,])-?\d+(?:[.,]\d+)*"
    r"|[^\W_]+"
    r"|[%<>=≤≥±+×°]"
)
_DASH_BEFORE_DIGIT = re.compile(r"[‐‑‒–—−](?=\d)")
_NUMBER = re.compile(r"-?\d")


@lru_cache(maxsize=8192)
def words(text: str) -> tuple[str, ...]:
    """The words of `text` after NFKC, case folding and dropping punctuation and dashes.

    "Non-randomized" and "non randomized" give the same words; "non randomised" does not:
    spelling variants are left to the adjudicator.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return tuple(_TOKEN.findall(_DASH_BEFORE_DIGIT.sub("-", folded)))


def normalise(text: str) -> str:
    """`text` as its normalised words joined by single spaces."""
    return " ".join(words(text))


def similarity(a: str, b: str) -> float:
    """How alike two short texts are, 0 to 1, for aligning rows on their labels.

    The Dice coefficient of their word sets, with a trailing plural "s" dropped ("24
    weeks" meets "week 24"). Numbers must match: when both texts hold numbers and they
    differ ("Cohort 1", "Cohort 3") the texts are different things and score 0.
    """
    words_a, words_b = _stems(a), _stems(b)
    if words_a == words_b:
        return 1.0
    if not words_a or not words_b:
        return 0.0
    numbers_a = {w for w in words_a if _NUMBER.match(w)}
    numbers_b = {w for w in words_b if _NUMBER.match(w)}
    if numbers_a and numbers_b and numbers_a != numbers_b:
        return 0.0
    return 2 * len(words_a & words_b) / (len(words_a) + len(words_b))


@lru_cache(maxsize=8192)
def _stems(text: str) -> frozenset[str]:
    return frozenset(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words(text))


def clear_caches() -> None:
    """Forget remembered word lists (benchmarks measure a cold start with it)."""
    words.cache_clear()
    _stems.cache_clear()
