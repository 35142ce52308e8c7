"""Comparison figures: 1,000 double-entered studies of the default template, in memory.

Each study has two reviewers' extractions of about 60 answers (most plain fields and
three arms, each answer with a passage as evidence). Reviewer B entered the arms in
another order, wrote some doses and durations in other units and some text in another
case, cited another passage for some values, and disagrees on about one answer in ten
(another number, choice, date or text, or an answer only one of them gave).

Two figures: `compare_extractions` over every study (alignment of the arms included),
and the agreement statistics over the resulting comparisons.

Run: python -m tests.benchmarks.bench_compare [--studies N]
"""

import gc
import random
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.adjudication import StudyComparison, agreement, compare_extractions
from core.adjudication.text import clear_caches
from core.domain import Anchor, FieldSpec, FieldStatus, FieldType, FieldValueInfo, Template
from core.templates import default_template
from tests.benchmarks.common import Result, command_line, median_time, noted

ROOT = Path(__file__).resolve().parent.parent.parent
WORDS = (ROOT / "sample_docs" / "001_dbdeea00f2d7ba41.txt").read_text(encoding="utf-8").split()
STUDIES = 1_000
BUDGET = 1.0
AGREEMENT_BUDGET = 0.5
DISAGREE = 0.10
NOW = datetime(2024, 11, 12, tzinfo=UTC)
ARM_LABELS = ("Low dose", "Intermediate dose", "High dose")
Side = list[FieldValueInfo]


def _value(spec: FieldSpec, rng: random.Random) -> tuple[Any, str | None]:
    """A plausible answer of the field's type, and its unit."""
    match spec.type:
        case FieldType.INTEGER:
            low = int(spec.min or 0)
            return rng.randint(low, int(spec.max or low + 500)), None
        case FieldType.DECIMAL:
            return round(rng.uniform(0, 100), rng.choice((0, 1, 2))), spec.unit
        case FieldType.PARTIAL_DATE:
            parts = [f"{rng.randint(2005, 2024)}", f"{rng.randint(1, 12):02d}", "15"]
            return "-".join(parts[: rng.randint(1, 3)]), None
        case FieldType.SINGLE_CHOICE:
            return rng.choice(spec.choices).code, None
        case FieldType.MULTIPLE_CHOICE:
            return [rng.choice(spec.choices).code], None
        case FieldType.BOOLEAN:
            return rng.random() < 0.5, None
        case FieldType.LONG_TEXT:
            start = rng.randrange(len(WORDS) - 40)
            return " ".join(WORDS[start : start + rng.randint(10, 40)]), None
    start = rng.randrange(len(WORDS) - 4)
    return " ".join(WORDS[start : start + rng.randint(1, 4)]), None


def _other(spec: FieldSpec, value: Any, unit: str | None, rng: random.Random) -> tuple[Any, Any]:
    """A different answer: what the second reviewer read or typed wrongly."""
    if spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
        return value + rng.choice((1, 2, 10)), unit
    if spec.type is FieldType.PARTIAL_DATE:
        return str(int(value[:4]) - 1) + value[4:], unit
    if spec.type is FieldType.BOOLEAN:
        return not value, unit
    if spec.type in (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE):
        codes = [c.code for c in spec.choices if c.code not in value]
        chosen = rng.choice(codes)
        return ([chosen] if spec.type is FieldType.MULTIPLE_CHOICE else chosen), unit
    return value + " " + rng.choice(WORDS), unit


def _equivalent(spec: FieldSpec, value: Any, unit: str | None) -> tuple[Any, Any]:
    """The same answer written another way."""
    if spec.type is FieldType.DECIMAL and unit == "mg":
        return value / 1000, "g"
    if spec.type is FieldType.DECIMAL and unit == "weeks":
        return value * 7, "days"
    if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT):
        return value.upper(), unit
    return value, unit


def _answer(path: str, spec: FieldSpec, group: str | None, row: int | None, value: Any,
            unit: str | None, start: int) -> FieldValueInfo:  # fmt: skip
    anchor = Anchor.model_construct(
        document_id=1, source_sha256="0" * 64, start=start, end=start + 40, exact="x" * 40
    )
    return FieldValueInfo.model_construct(
        path=path, field_id=spec.id, group_id=group, row=row, status=FieldStatus.VALUE,
        raw_text=str(value), value=value, unit=unit, note="", anchors=(anchor,),
        updated_by="Ana", updated_at=NOW,
    )  # fmt: skip


def _entries(template: Template, rng: random.Random) -> list[tuple[str, FieldSpec, int | None]]:
    """Which fields the study fills: most plain fields and most fields of three arms."""
    plain = [(spec.id, spec, None) for _, spec in template.plain_fields() if rng.random() < 0.9]
    arms = template.group("arms")
    assert arms is not None
    chosen = [spec for spec in arms.fields if spec.id == "label" or rng.random() < 0.8]
    return plain + [("arms", spec, row) for row in (1, 2, 3) for spec in chosen]


def generate(template: Template, count: int, seed: int = 11) -> list[tuple[Side, Side]]:
    """`count` studies as (A's answers, B's answers)."""
    rng = random.Random(seed)
    studies = []
    for _ in range(count):
        a: Side = []
        b: Side = []
        order = [1, 2, 3]
        rng.shuffle(order)
        for name, spec, row in _entries(template, rng):
            value, unit = _value(spec, rng)
            if spec.id == "label" and row is not None:
                value = ARM_LABELS[row - 1]
            if spec.id == "dose":
                unit = "mg"
            start = rng.randrange(0, 5000)
            other_value, other_unit, other_start = value, unit, start
            roll = rng.random()
            if roll < DISAGREE and spec.id != "label":
                other_value, other_unit = _other(spec, value, unit, rng)
            elif roll < DISAGREE + 0.05:
                other_value, other_unit = _equivalent(spec, value, unit)
            if rng.random() < 0.2:
                other_start = rng.randrange(0, 5000)
            group = name if row is not None else None
            path_a = f"arms[{row}].{spec.id}" if row else spec.id
            b_row = order[row - 1] if row is not None else None
            path_b = f"arms[{b_row}].{spec.id}" if b_row else spec.id
            if not (roll > 0.98 and spec.id != "label"):
                a.append(_answer(path_a, spec, group, row, value, unit, start))
            if not (0.96 < roll <= 0.98 and spec.id != "label"):
                b.append(_answer(path_b, spec, group, b_row, other_value, other_unit, other_start))
        studies.append((a, b))
    return studies


def measure(studies: int) -> tuple[list[Result], list[str]]:
    template = default_template()
    pairs = generate(template, studies)
    values = sum(len(a) + len(b) for a, b in pairs)
    comparisons: list[StudyComparison] = []

    def compare_all() -> None:
        comparisons.extend(compare_extractions(template, a, b) for a, b in pairs)

    def start_afresh() -> None:
        comparisons.clear()
        clear_caches()
        gc.collect()

    gc.collect()
    gc.freeze()  # the input is set up, not measured: keep it out of the collector's scans
    try:
        compare_time = median_time(compare_all, repeat=5, setup=start_afresh)
        agreement_time = median_time(lambda: agreement(template, comparisons), repeat=5)
    finally:
        gc.unfreeze()
    report = agreement(template, comparisons)
    overall = report.overall
    notes = [
        f"{studies:,} studies, {values:,} answers ({values / (2 * studies):.0f} per reviewer), "
        f"{sum(len(c.fields) for c in comparisons):,} fields compared",
        f"overall agreement {overall.percent_agreement:.1f} % over {overall.n_items:,} items, "
        f"mean kappa {overall.mean_kappa:.2f} over {overall.kappa_fields} fields",
    ]
    n = f"{studies:,}"
    return [
        Result(f"compare {n} double-entered studies", compare_time, budget=BUDGET),
        Result(f"agreement statistics over {n} studies", agreement_time, budget=AGREEMENT_BUDGET),
    ], notes


def run() -> list[Result]:
    """Entry point of the shared runner (tests/benchmarks/run.py)."""
    return noted(measure(STUDIES))


def main(argv: list[str] | None = None) -> int:
    return command_line(__doc__, measure, argv, studies=STUDIES)


if __name__ == "__main__":
    sys.exit(main())
