"""The `trial-abstractor` entry point: the app without arguments or with `open`, else the CLI."""

import sys
from collections.abc import Sequence

from core import cli


def _open_gui(project: str | None, reviewer: str | None = None) -> int:
    from gui.display import display_problem

    problem = display_problem()
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 3
    from gui.app import run

    return run(project, reviewer)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args:
        return _open_gui(None, None)
    return cli.main(args, open_gui=_open_gui)


if __name__ == "__main__":
    sys.exit(main())
