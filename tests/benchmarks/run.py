"""Runs every benchmark under tests/benchmarks and prints one markdown table.

Usage: python -m tests.benchmarks.run [--quick] [--json FILE]
"""

import argparse
import importlib
import platform
import sys
from pathlib import Path

from tests.benchmarks.common import Result, markdown_table, write_json

MODULES = ["bench_workspace", "bench_checks", "bench_compare"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", type=Path, default=Path("benchmark-results.json"))
    parser.add_argument("--only", nargs="*", help="module names to run (default: all)")
    args = parser.parse_args(argv)
    results: list[Result] = []
    for name in args.only or MODULES:
        module = importlib.import_module(f"tests.benchmarks.{name}")
        results.extend(module.run())
    print()
    print(
        f"Machine: {platform.machine()}, {platform.processor() or platform.system()}, "
        f"Python {platform.python_version()}"
    )
    print(markdown_table(results))
    write_json(results, args.json)
    print(f"\nwritten to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
