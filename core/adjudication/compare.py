"""Comparing two reviewers' answers to one field: a state, a reason, an evidence mark."""

from collections.abc import Sequence
from typing import Any, NamedTuple

from core.adjudication.states import ComparisonState, Match
from core.adjudication.values import Tolerance, match_values
from core.domain.answers import AnswerLike, PassageLike
from core.domain.records import FieldStatus
from core.domain.template import FieldSpec, FieldType
from core.parsing import format_value

EMPTY = "empty"
_LONGEST_SHOWN = 60


class AnswerComparison(NamedTuple):
    """The verdict on one field: `match` says how agreeing answers matched."""

    state: ComparisonState
    reason: str
    match: Match | None = None
    same_value_different_evidence: bool = False


_BOTH_EMPTY = AnswerComparison(ComparisonState.BOTH_EMPTY, f"A: {EMPTY}, B: {EMPTY}")


def is_empty(answer: AnswerLike | None) -> bool:
    """No answer at all: no row, or a value status with nothing in it."""
    return answer is None or is_empty_value(answer.status, answer.value)


def is_empty_value(status: FieldStatus | None, value: Any) -> bool:
    """Whether a status and value amount to no answer (a status alone is an answer)."""
    if status is None:
        return True
    if status != FieldStatus.VALUE:
        return False
    return value is None or (isinstance(value, (str, list, tuple)) and not value)


def compare_answers(
    spec: FieldSpec,
    a: AnswerLike | None,
    b: AnswerLike | None,
    tolerance: Tolerance | None = None,
) -> AnswerComparison:
    """Compare A's and B's answers to `spec`; None stands for a field left empty.

    `tolerance` applies to numbers; by default it is the field's own (`tolerance_for`).
    Statuses compare as answers of their own: not reported agrees with not reported and
    disagrees with any value. Values compare by the field's type (see `match_values`).
    An agreement is marked `same_value_different_evidence` when the two answers share no
    passage: neither cites a span that overlaps one of the other's in the same document
    (answers where neither cites anything share their lack of evidence).
    """
    if a is None and b is None:
        return _BOTH_EMPTY
    shown_a = _shown(spec, a)
    if shown_a is not None and b is not None and _stored_alike(a, b):
        assert a is not None
        different = not shares_passage(a.anchors, b.anchors)
        return AnswerComparison(
            ComparisonState.AGREED, f"A: {shown_a}, B: {shown_a}", Match.IDENTICAL, different
        )
    shown_b = _shown(spec, b)
    shown = f"A: {shown_a or EMPTY}, B: {shown_b or EMPTY}"
    if shown_a is None or shown_b is None:
        if shown_a is not None:
            return AnswerComparison(ComparisonState.ONLY_A, shown)
        if shown_b is not None:
            return AnswerComparison(ComparisonState.ONLY_B, shown)
        return AnswerComparison(ComparisonState.BOTH_EMPTY, shown)
    assert a is not None and b is not None
    if a.status != FieldStatus.VALUE or b.status != FieldStatus.VALUE:
        if a.status != b.status:
            return AnswerComparison(ComparisonState.DISAGREED, shown)
        found: Match | None = Match.IDENTICAL
        note = ""
    else:
        found, note = match_values(spec, a.value, b.value, a.unit, b.unit, tolerance)
    reason = f"{shown} ({note})" if note else shown
    if found is None:
        return AnswerComparison(ComparisonState.DISAGREED, reason)
    different = not shares_passage(a.anchors, b.anchors)
    return AnswerComparison(ComparisonState.AGREED, reason, found, different)


def _stored_alike(a: Any, b: AnswerLike) -> bool:
    """The same status, unit and value of the same type: identical by any field's rules."""
    return (
        a.status == b.status
        and a.unit == b.unit
        and type(a.value) is type(b.value)
        and a.value == b.value
    )


def shares_passage(anchors_a: Sequence[PassageLike], anchors_b: Sequence[PassageLike]) -> bool:
    """Whether two lists of passages overlap somewhere, or are both empty.

    Passages overlap when they are in the same document and their spans intersect; two
    empty spans at the same place count as overlapping.
    """
    if not anchors_a and not anchors_b:
        return True
    for x in anchors_a:
        for y in anchors_b:
            if x.document_id == y.document_id and (
                (x.start < y.end and y.start < x.end) or (x.start == y.start and x.end == y.end)
            ):
                return True
    return False


def describe(spec: FieldSpec, answer: AnswerLike | None) -> str:
    """An answer as the adjudicator reads it: "40 mg", "Phase 2", "not reported", "empty"."""
    return _shown(spec, answer) or EMPTY


def _shown(spec: FieldSpec, answer: AnswerLike | None) -> str | None:
    """`describe` without a word for no answer: None then, and never an empty string."""
    if answer is None:
        return None
    status, value = answer.status, answer.value
    if status != FieldStatus.VALUE:
        return None if status is None else str(status).replace("_", " ")
    if value is None or (isinstance(value, (str, list, tuple)) and not value):
        return None
    kind = spec.type
    if type(value) is int:
        shown = str(value)
    elif kind is FieldType.SINGLE_CHOICE:
        shown = _labels(spec).get(str(value)) or str(value)
    elif kind in (FieldType.TEXT, FieldType.LONG_TEXT) and isinstance(value, str):
        # only the start is shown: no need to tidy the spaces of a whole page of text
        shown = " ".join(value[: _LONGEST_SHOWN * 4].split())
    else:
        shown = " ".join(format_value(spec, value).split())
    if len(shown) > _LONGEST_SHOWN:
        shown = shown[: _LONGEST_SHOWN - 1] + "…"
    elif not shown:
        shown = repr(value)
    unit = answer.unit
    if unit and kind in (FieldType.INTEGER, FieldType.DECIMAL):
        if unit == "%":
            shown += unit
        else:  # "1 × 10^6 cells/kg", not "1 10^6 cells/kg"
            shown += f" × {unit}" if unit[0].isdigit() else f" {unit}"
    return shown


# Choice labels by code for each field spec seen, found by identity (specs are immutable).
_LABELS: dict[int, tuple[FieldSpec, dict[str, str]]] = {}


def _labels(spec: FieldSpec) -> dict[str, str]:
    cached = _LABELS.get(id(spec))
    if cached is None or cached[0] is not spec:
        if len(_LABELS) >= 4096:
            _LABELS.clear()
        cached = _LABELS[id(spec)] = (spec, {c.code: c.label for c in spec.choices})
    return cached[1]
