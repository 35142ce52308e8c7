"""Runs every benchmark under tests/benchmarks and prints one markdown table.

Usage: python -m tests.benchmarks.run [--only MODULE ...] [--json FILE]
"""

import argparse
import importlib
import os
import platform
import sys
import time
from pathlib import Path

from tests.benchmarks.common import Result, markdown_table, write_json

MODULES = [
    "bench_startup",
    "bench_growth",
    "bench_checks",
    "bench_compare",
    "bench_import",
    "bench_pdf_import",
    "bench_pdf_view",
    "bench_export",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, default=Path("benchmark-results.json"))
    parser.add_argument("--only", nargs="*", help="module names to run (default: all)")
    args = parser.parse_args(argv)
    results: list[Result] = []
    started = time.perf_counter()
    for name in args.only or MODULES:
        module = importlib.import_module(f"tests.benchmarks.{name}")
        results.extend(module.run())
    print()
    print(f"Machine: {machine()}; the run took {time.perf_counter() - started:.0f} s")
    print(markdown_table(results))
    write_json(results, args.json)
    print(f"\nwritten to {args.json}")
    return 0


def machine() -> str:
    """CPU model, cores, memory, system and Python, as far as the system tells them."""
    model = platform.processor() or platform.machine()
    memory = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            names = [
                line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")
            ]
        model = names[0] if names else model
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            kb = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
        memory = f", {kb / 1024**2:.0f} GB RAM"
    except (OSError, StopIteration, ValueError):
        pass  # not Linux: the platform module's words will do
    return (
        f"{model}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}"
    )


if __name__ == "__main__":
    sys.exit(main())
