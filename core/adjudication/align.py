"""Pairing the rows of a repeating group between A and B on the group's key fields."""

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from core.adjudication.assignment import max_weight_assignment
from core.adjudication.compare import is_empty
from core.adjudication.text import similarity
from core.adjudication.values import EXACT, Tolerance, match_values
from core.domain.answers import AnswerLike
from core.domain.records import FieldStatus
from core.domain.template import FieldSpec, FieldType, GroupSpec

Row = Mapping[str, AnswerLike]  # field id -> answer
Rows = Mapping[int, Row]  # 1-based row position -> its answers

# Rows pair only when their key fields are more than half alike: "Low dose" and "High
# dose" (Dice 0.5) are different arms, "Low dose" and "Low-dose cohort" (0.8) the same.
MIN_SCORE = 0.5
_SCALE = 1000  # scores are compared to three decimals


@dataclass(frozen=True, slots=True)
class RowPair:
    """A's row and B's row that describe the same thing; None where one has no such row.

    `score` is the similarity of their key fields (0 to 1), None for an unpaired row.
    """

    row_a: int | None
    row_b: int | None
    score: float | None = None


def align_rows(
    group: GroupSpec,
    rows_a: Rows,
    rows_b: Rows,
    tolerances: Mapping[str, Tolerance] | None = None,
) -> list[RowPair]:
    """Pair A's rows with B's so that the pairs' key fields are as alike as possible.

    The score of two rows is the mean similarity of the key fields either fills (text by
    `text.similarity`, other types 1 when they agree, else 0); a group without key fields,
    or two rows with all key fields empty, are scored on all fields. Pairs scoring above
    MIN_SCORE are candidates; the optimal assignment (Hungarian method, exact, fine for
    the tens of rows a group holds) maximises the total of (score - MIN_SCORE), so one
    close pair wins over two loose ones. Equal scores are settled by how many of the other
    fields agree, then by keeping the order the rows were entered in. The result lists
    A's rows in order, each with its partner or None, then B's unpaired rows in order.
    """
    tolerances = tolerances or {}
    order_a, order_b = sorted(rows_a), sorted(rows_b)
    keys = [spec for k in group.key_fields if (spec := group.field(k)) is not None]
    every = list(group.fields)
    scores = [
        [_key_score(keys or every, every, rows_a[a], rows_b[b], tolerances) for b in order_b]
        for a in order_a
    ]
    key_ids = {spec.id for spec in keys}
    others = [spec for spec in every if spec.id not in key_ids] if keys else []

    def agreement(i: int, j: int) -> float:
        row_a, row_b = rows_a[order_a[i]], rows_b[order_b[j]]
        share = _mean_similarity(others, row_a, row_b, tolerances, agreement_only=True)
        return share or 0.0

    partner = dict(max_weight_assignment(_weights(scores, agreement)))
    pairs: list[RowPair] = []
    for i, a in enumerate(order_a):
        j = partner.get(i)
        pairs.append(RowPair(a, None) if j is None else RowPair(a, order_b[j], scores[i][j]))
    taken = set(partner.values())
    pairs.extend(RowPair(None, b) for j, b in enumerate(order_b) if j not in taken)
    return pairs


def _weights(scores: list[list[float]], agreement: Callable[[int, int], float]) -> list[list[int]]:
    """One integer per pair that ranks by key score, then other fields, then row order.

    `agreement(i, j)` tells how far the other fields of A's row i and B's row j agree;
    it is asked only where a score is tied, as most groups have none.

    Each criterion is scaled past the largest total the ones after it can reach, so sums
    of weights compare like tuples of the criteria. Weight 0: never pair.
    """
    rows = len(scores)
    columns = len(scores[0]) if rows else 0
    count, span = min(rows, columns), max(rows, columns)
    order_scale = count * span + 1
    other_scale = count * (_SCALE * order_scale + span) + 1
    margin = [[round((s - MIN_SCORE) * _SCALE) for s in line] for line in scores]
    in_row = [Counter(line) for line in margin]
    in_column = [Counter(line[j] for line in margin) for j in range(columns)]
    weights: list[list[int]] = []
    for i, line in enumerate(margin):
        row: list[int] = []
        for j, key in enumerate(line):
            if key <= 0:
                row.append(0)
                continue
            tied = in_row[i][key] > 1 or in_column[j][key] > 1
            other = round(agreement(i, j) * _SCALE) if tied else 0
            row.append(key * other_scale + other * order_scale + span - abs(i - j))
        weights.append(row)
    return weights


def _key_score(
    keys: Sequence[FieldSpec],
    every: Sequence[FieldSpec],
    row_a: Row,
    row_b: Row,
    tolerances: Mapping[str, Tolerance],
) -> float:
    score = _mean_similarity(keys, row_a, row_b, tolerances)
    if score is None and keys is not every:
        score = _mean_similarity(every, row_a, row_b, tolerances)
    return score or 0.0


def _mean_similarity(
    specs: Sequence[FieldSpec],
    row_a: Row,
    row_b: Row,
    tolerances: Mapping[str, Tolerance],
    *,
    agreement_only: bool = False,
) -> float | None:
    """Mean similarity over the fields either row fills; None when they fill none."""
    total, counted = 0.0, 0
    for spec in specs:
        a, b = row_a.get(spec.id), row_b.get(spec.id)
        if is_empty(a) and is_empty(b):
            continue
        counted += 1
        if a is not None and b is not None and not is_empty(a) and not is_empty(b):
            tolerance = tolerances.get(spec.id, EXACT)
            total += _similarity(spec, a, b, tolerance, agreement_only)
    return total / counted if counted else None


def _similarity(
    spec: FieldSpec, a: AnswerLike, b: AnswerLike, tolerance: Tolerance, agreement_only: bool
) -> float:
    if a.status != FieldStatus.VALUE or b.status != FieldStatus.VALUE:
        return 1.0 if a.status == b.status else 0.0
    if match_values(spec, a.value, b.value, a.unit, b.unit, tolerance).match is not None:
        return 1.0
    if agreement_only or spec.type not in (FieldType.TEXT, FieldType.LONG_TEXT):
        return 0.0
    return similarity(str(a.value), str(b.value))
