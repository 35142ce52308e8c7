"""The `trial-abstractor` entry point: the app without arguments or with `open`, else the CLI."""

import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager


def _open_gui(project: str | None, reviewer: str | None = None) -> int:
    from gui.display import display_problem

    problem = display_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 3
    with _loading():
        from gui.app import run

    return run(project, reviewer)


@contextmanager
def _loading() -> Iterator[None]:
    """Loading modules makes only long-lived objects: the cyclic collector, which would
    scan them again and again meanwhile, waits, and what was loaded is frozen (never
    scanned again) when the collector resumes."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    with _loading():
        from core import cli

    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        return _open_gui(None, None)
    return cli.main(args, open_gui=_open_gui)


if __name__ == "__main__":
    sys.exit(main())
