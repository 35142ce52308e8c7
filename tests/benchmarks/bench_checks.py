"""Check-all figures: the checks over 10,000 extractions of the default template.

Figures reported separately because they answer different questions:
- the pure checks (`core.checks`) over 10,000 extractions held in memory: the cost of the
  checking itself, built-in checks and CEL rules, from cold caches;
- `services.checks.check_all` over a SQLite project holding the same 10,000 extractions,
  and over one holding a tenth of them: what the user waits for, reading included;
- one edit (`editing.set_value`) in the large project, with the findings it returns.

The data come from the benchmarks' generator (`generator.py`): 5,000 studies, each with a
document of its own, and two reviewers' extractions of about 50 values, most with a
passage of that document as evidence; one extraction in ten carries a typical mistake.

Run: python -m tests.benchmarks.bench_checks [--extractions N]
"""

import gc
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from core.checks import Checker, clear_caches
from core.domain import Finding, Template
from core.services import checks, editing
from core.templates import default_template
from tests.benchmarks.common import Result, command_line, noted
from tests.benchmarks.generator import REVIEWERS, StudyData, generate, in_memory, store

EXTRACTIONS = 10_000
BUDGET = 2.0
EDIT_BUDGET = 0.050  # as for "fill from selection" in the workspace figures


def _pure(template: Template, studies: list[StudyData]) -> tuple[float, int, str]:
    """The pure checks over the extractions in memory, from cold caches."""
    records = in_memory(template, studies)
    values = sum(len(r.values) for r in records)
    passages = sum(len(v.anchors) for r in records for v in r.values)
    gc.collect()
    gc.freeze()  # the input is set up, not measured: keep it out of the collector's scans
    try:

        def run() -> int:
            clear_caches()
            checker = Checker(template)
            return sum(len(checker.check(record)) for record in records)

        seconds, found = _best(run, 3)
    finally:
        gc.unfreeze()
    note = f"{len(records):,} extractions, {values:,} values, {passages:,} passages"
    return seconds, found, note


def _service(folder: Path, studies: list[StudyData], *, live: bool) -> tuple[float, float | None]:
    """`check_all` over a SQLite project of the studies, and one edit's live findings."""
    project = store(folder / f"bench-{len(studies)}.sqlite", studies)
    try:

        def run() -> dict[int, list[Finding]]:
            clear_caches()
            return checks.check_all(project)

        seconds, results = _best(run, 3)
        assert len(results) == sum(len(study.extractions) for study in studies)
        if not live:
            return seconds, None
        target = sorted(results)[len(results) // 2]

        def edit() -> None:
            editing.set_value(project, target, "age_min", 18.0, unit="years")

        edit_seconds, _ = _best(edit, 9, median=True)
        return seconds, edit_seconds
    finally:
        project.close()


def measure(extractions: int) -> tuple[list[Result], list[str]]:
    studies = generate((extractions + 1) // len(REVIEWERS), reviewers=len(REVIEWERS))
    small = studies[: max(1, len(studies) // 10)]
    template = default_template()
    pure_time, found, note = _pure(template, studies)
    notes = [note, f"{found:,} findings in all"]
    with tempfile.TemporaryDirectory() as folder:
        service_time, edit_time = _service(Path(folder), studies, live=True)
        small_time, _ = _service(Path(folder), small, live=False)
    n, m = f"{extractions:,}", f"{2 * len(small):,}"
    return [
        Result(f"check all: the checks over {n} extractions in memory", pure_time, budget=BUDGET),
        Result(
            f"check all: service over a {n}-extraction SQLite project",
            service_time,
            budget=BUDGET,
        ),
        Result(f"check all: service over a {m}-extraction SQLite project", small_time),
        Result(
            f"one edit with its live findings, {n}-extraction project",
            edit_time or 0.0,
            budget=EDIT_BUDGET,
        ),
    ], notes


def _best(call: Any, repeat: int, *, median: bool = False) -> tuple[float, Any]:
    """Fastest (or median) wall time of `repeat` runs after a warm-up, and the last result."""
    result = call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    times.sort()
    return (times[len(times) // 2] if median else times[0]), result


def run() -> list[Result]:
    """Entry point of the shared runner (tests/benchmarks/run.py)."""
    return noted(measure(EXTRACTIONS))


def main(argv: list[str] | None = None) -> int:
    return command_line(__doc__, measure, argv, extractions=EXTRACTIONS)


if __name__ == "__main__":
    sys.exit(main())
