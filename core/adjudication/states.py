"""The verdicts of a comparison: the state of a field and how agreeing values matched."""

from enum import StrEnum


class ComparisonState(StrEnum):
    """What two reviewers' answers to one field amount to."""

    AGREED = "agreed"
    DISAGREED = "disagreed"
    ONLY_A = "only_a"  # A answered (a value or a status such as not reported), B left it empty
    ONLY_B = "only_b"
    BOTH_EMPTY = "both_empty"

    def swapped(self) -> "ComparisonState":
        """The state seen from the other reviewer's side."""
        if self is ComparisonState.ONLY_A:
            return ComparisonState.ONLY_B
        if self is ComparisonState.ONLY_B:
            return ComparisonState.ONLY_A
        return self


class Match(StrEnum):
    """How two agreeing answers matched; None on a comparison that did not agree.

    Only IDENTICAL and EQUIVALENT answers say the same thing in full. WITHIN_TOLERANCE
    values differ by less than the field's tolerance; LOWER_PRECISION dates agree as far
    as the less precise one goes (2024-08 and 2024-08-15). Both count as agreement in the
    statistics, but the final value is a choice between two different answers, so the
    adjudication should not take one over without a person seeing it.
    """

    IDENTICAL = "identical"  # the same stored value, unit and status
    EQUIVALENT = "equivalent"  # the same after normalising (units, case, order of a set)
    WITHIN_TOLERANCE = "within_tolerance"
    LOWER_PRECISION = "lower_precision"

    @property
    def complete(self) -> bool:
        """Whether either answer may stand for both without losing or changing anything."""
        return self in (Match.IDENTICAL, Match.EQUIVALENT)
