"""Comparison figures: 1,000 double-entered studies of the default template, in memory.

The studies come from `tests/benchmarks/generator.py` (`double_entered`). Each has two
reviewers' extractions of about 60 answers (most plain fields and three arms, each
answer with a passage as evidence). Reviewer B entered the arms in another order, wrote
some doses and durations in other units and some text in another case, cited another
passage for some values, and disagrees on about one answer in ten (another number,
choice, date or text, or an answer only one of them gave).

Two figures: `compare_extractions` over every study (alignment of the arms included),
and the agreement statistics over the resulting comparisons.

Run: python -m tests.benchmarks.bench_compare [--studies N]
"""

import gc
import sys

from core.adjudication import StudyComparison, agreement, compare_extractions
from core.adjudication.text import clear_caches
from core.templates import default_template
from tests.benchmarks.common import Result, command_line, median_time, noted
from tests.benchmarks.generator import double_entered

STUDIES = 1_000
BUDGET = 1.0
AGREEMENT_BUDGET = 0.5


def measure(studies: int) -> tuple[list[Result], list[str]]:
    template = default_template()
    pairs = double_entered(template, studies)
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
