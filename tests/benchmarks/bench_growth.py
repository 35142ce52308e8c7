"""Growth figures: the workspace and check all at 1,000, 10,000 and 100,000 stored values.

One project of the benchmarks' generator per size (one reviewer, 50 values per study:
20, 200 and 2,000 studies). On each: the workspace figures of `bench_workspace` (open a
study, fill from a selection, jump to evidence, on the real widgets offscreen) and
`services.checks.check_all` over every extraction (best of three, from cold caches).
Each figure is reported per size with its growth: its cost beside the same figure on
the smallest project, and how much more data that is. Costs may grow at most as the
data does; the per-study figures should hardly grow at all.

Run: python -m tests.benchmarks.bench_growth [--sizes N N ...]
"""

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

from core.checks import clear_caches
from core.services import checks
from core.services.project import Project
from tests.benchmarks import bench_workspace
from tests.benchmarks.bench_checks import forget_stored_findings
from tests.benchmarks.common import Result, markdown_table

SIZES = (1_000, 10_000, 100_000)
CHECK_ALL = "check all, service from nothing"


def _check_all(project: Project) -> float:
    """Fastest of three runs of check all after a warm-up, from cold caches and with no
    findings stored (stored lists would hide how the checking grows)."""
    times = []
    for turn in range(4):
        forget_stored_findings(project)
        clear_caches()
        gc.collect()
        started = time.perf_counter()
        found = checks.check_all(project)
        if turn:
            times.append(time.perf_counter() - started)
    assert found, "the project has extractions to check"
    return min(times)


def measure(sizes: tuple[int, ...]) -> list[Result]:
    figures: dict[int, dict[str, tuple[float, float | None]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        # A first pass over the smallest project, not counted: the first window, query
        # and check of the process cost more, which would flatter the growth.
        warm_up = bench_workspace.project_for(Path(folder), sizes[0], "warm-up")
        bench_workspace.measure_project(warm_up)
        _check_all(warm_up)
        warm_up.close()
        for size in sizes:
            project = bench_workspace.project_for(Path(folder), size)
            try:
                measured = bench_workspace.measure_project(project)
                measured[CHECK_ALL] = (_check_all(project), None)
            finally:
                project.close()
            figures[size] = measured
    smallest = sizes[0]
    results = []
    for size in sizes:
        label = f"{size:,} values"
        rows = bench_workspace.results(figures[size], label)
        rows.append(Result(f"{CHECK_ALL} ({label})", figures[size][CHECK_ALL][0]))
        for row, (name, (base, _)) in zip(rows, figures[smallest].items(), strict=True):
            assert row.figure.startswith(name)
            if size != smallest:
                row.growth_base, row.data_ratio = base, size / smallest
        results.extend(rows)
    order = list(figures[smallest])

    def place(result: Result) -> int:  # each figure's sizes together, in the figures' order
        return next(i for i, name in enumerate(order) if result.figure.startswith(name))

    return sorted(results, key=place)


def run() -> list[Result]:
    """Entry point of the shared runner (tests/benchmarks/run.py)."""
    started = time.perf_counter()
    results = measure(SIZES)
    print(f"growth benchmarks took {time.perf_counter() - started:.0f} s")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)
    print(markdown_table(measure(tuple(args.sizes))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
