"""Check-all figures: the checks over 10,000 extractions of the default template.

Figures reported separately because they answer different questions:
- `services.checks.check_all` over a SQLite project holding 10,000 extractions: what the
  user waits for. Every edit stores its extraction's findings and `check_all` stores what
  it checked, so a run reads the stored lists that are still current and checks the rest
  (`services.stored_findings`). Timed with every list current (the usual case), with a
  tenth of the extractions changed behind the services' back since (as by a bulk
  import), and from nothing (no list stored: the first run after an upgrade);
- the same from nothing over a project holding a tenth of them;
- the pure checks (`core.checks`) over the 10,000 extractions held in memory: the cost of
  the checking itself, built-in checks and CEL rules, from cold caches;
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

from sqlalchemy import delete, text

from core.checks import Checker, clear_caches
from core.domain import Finding, Template
from core.services import checks, editing
from core.services.project import Project
from core.storage.models import StoredFindings
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


def forget_stored_findings(project: Project) -> None:
    """Delete every stored finding list: the next `check_all` checks everything."""
    with project.uow() as session:
        session.execute(delete(StoredFindings))


def _touch(project: Project, every: int) -> None:
    """Change one value in every `every`-th extraction behind the services' back (as a
    bulk import would), so that their stored findings are no longer current."""
    with project.uow() as session:
        session.execute(
            text(
                "UPDATE field_values SET unit = unit "
                "WHERE field_key = 'enrolled' AND extraction_id % :every = 0"
            ),
            {"every": every},
        )


def _service(folder: Path, studies: list[StudyData], *, live: bool) -> dict[str, float]:
    """`check_all` over a SQLite project of the studies: from nothing, with every list
    stored, and with a tenth changed since; and one edit's live findings."""
    project = store(folder / f"bench-{len(studies)}.sqlite", studies)
    try:

        def run() -> dict[int, list[Finding]]:
            clear_caches()
            return checks.check_all(project)

        def from_nothing() -> dict[int, list[Finding]]:
            forget_stored_findings(project)
            return run()

        figures: dict[str, float] = {}
        figures["cold"], results = _best(from_nothing, 2)
        assert len(results) == sum(len(study.extractions) for study in studies)
        figures["stored"], again = _best(run, 3)
        assert again == results
        if not live:
            return figures
        times = []
        for _ in range(3):
            _touch(project, 10)
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        figures["tenth"] = min(times)
        target = sorted(results)[len(results) // 2]

        def edit() -> None:
            editing.set_value(project, target, "age_min", 18.0, unit="years")

        figures["edit"], _ = _best(edit, 9, median=True)
        return figures
    finally:
        project.close()


def measure(extractions: int) -> tuple[list[Result], list[str]]:
    studies = generate((extractions + 1) // len(REVIEWERS), reviewers=len(REVIEWERS))
    small = studies[: max(1, len(studies) // 10)]
    template = default_template()
    pure_time, found, note = _pure(template, studies)
    notes = [note, f"{found:,} findings in all"]
    with tempfile.TemporaryDirectory() as folder:
        large = _service(Path(folder), studies, live=True)
        small_time = _service(Path(folder), small, live=False)["cold"]
    n, m = f"{extractions:,}", f"{2 * len(small):,}"
    project = f"{n}-extraction SQLite project"
    return [
        Result(
            f"check all: service over a {project}, findings stored by earlier edits and runs",
            large["stored"],
            budget=BUDGET,
        ),
        Result("check all: the same, a tenth of the extractions changed since", large["tenth"]),
        Result("check all: the same from nothing (no findings stored)", large["cold"]),
        Result(f"check all: service over a {m}-extraction SQLite project from nothing", small_time),
        Result(f"check all: the checks alone over {n} extractions in memory", pure_time),
        Result(
            f"one edit with its live findings, {n}-extraction project",
            large["edit"],
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
