"""Shared parts of the benchmarks: result rows, timing, the report table, the command line."""

import argparse
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Result:
    """One figure: this build's time beside a reference measured in the same run."""

    figure: str
    value: float  # seconds, or the unit named in `unit`
    reference: float | None = None
    reference_name: str = ""
    budget: float | None = None  # absolute budget in the same unit as value
    ratio_budget: float | None = None  # budget on value / reference
    unit: str = "s"
    # Growth: the same figure on the smallest data set, and how much more data this is.
    # The cost may grow at most as the data does (no worse than linear).
    growth_base: float | None = None
    data_ratio: float | None = None

    @property
    def ratio(self) -> float | None:
        return None if not self.reference else self.value / self.reference

    @property
    def growth(self) -> float | None:
        return None if not self.growth_base else self.value / self.growth_base

    @property
    def within_budget(self) -> bool:
        ok = self.budget is None or self.value <= self.budget
        if self.ratio_budget is not None and self.ratio is not None:
            ok = ok and self.ratio <= self.ratio_budget
        if self.growth is not None and self.data_ratio is not None:
            ok = ok and self.growth <= self.data_ratio
        return ok


def median_time(
    call: Callable[[], object], repeat: int = 5, setup: Callable[[], object] | None = None
) -> float:
    """Median wall time of `call` over `repeat` runs (after one warm-up)."""
    if setup is not None:
        setup()
    call()
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:,.1f} {unit}"


def markdown_table(results: list[Result]) -> str:
    lines = [
        "| figure | this build | reference | ratio | growth | budget | |",
        "| --- | ---: | --- | ---: | --- | --- | --- |",
    ]
    for r in results:
        reference = f"{_fmt(r.reference, r.unit)} ({r.reference_name})" if r.reference else "—"
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "—"
        growth = (
            f"{r.growth:.2f}x for {r.data_ratio:g}x data"
            if r.growth is not None and r.data_ratio is not None
            else "—"
        )
        budgets = []
        if r.budget is not None:
            budgets.append(_fmt(r.budget, r.unit))
        if r.ratio_budget is not None:
            budgets.append(f"{r.ratio_budget:g}x")
        mark = "ok" if r.within_budget else "**over budget**"
        lines.append(
            f"| {r.figure} | {_fmt(r.value, r.unit)} | {reference} | {ratio} | {growth} | "
            f"{' / '.join(budgets) or '—'} | {mark} |"
        )
    return "\n".join(lines)


def write_json(results: list[Result], path: Path) -> None:
    data = [
        asdict(r) | {"ratio": r.ratio, "growth": r.growth, "within_budget": r.within_budget}
        for r in results
    ]
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


Measure = Callable[..., tuple[list[Result], list[str]]]


def noted(measured: tuple[list[Result], list[str]]) -> list[Result]:
    """Print a benchmark's notes (sizes, set-up times) and pass its results on."""
    results, notes = measured
    for note in notes:
        print(note)
    return results


def command_line(doc: str, measure: Measure, argv: list[str] | None, **sizes: int) -> int:
    """Run one benchmark module on its own: `--NAME N` per size, then print its table.

    Exits 0 even when a budget is missed: benchmarks report, they do not fail.
    """
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    for name, default in sizes.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args(argv)
    print(markdown_table(noted(measure(**vars(args)))))
    return 0
