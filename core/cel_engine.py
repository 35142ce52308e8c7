"""The CEL engine (the `cel` package) for template rules, loaded without its command line.

Importing `cel` also imports its interactive command line (typer, prompt_toolkit,
pygments): a fifth of a second at every start of the app, which only compiles and runs
expressions. Unless something loaded it already, a placeholder module stands in for that
command line in this process; `python -m cel` in a process of its own is unaffected.
"""

import sys
import types

if "cel" not in sys.modules:
    sys.modules.setdefault("cel.cli", types.ModuleType("cel.cli"))

import cel
from cel.stdlib import STDLIB_FUNCTIONS, add_stdlib_to_context

__all__ = ["STDLIB_FUNCTIONS", "add_stdlib_to_context", "cel"]
