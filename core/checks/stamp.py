"""What a list of findings was checked with: the checking code and the template.

Stored findings (`core.services.stored_findings`) count only while both are unchanged.
The code is named by a digest of the `core` package's sources, so any change to a check,
a parser or a rule engine retires every stored list, including during development when
the version number stays the same.
"""

import hashlib
from functools import cache
from pathlib import Path

import core
from core.domain import Template


@cache
def code_digest() -> str:
    """A digest of the sources of `core` (its version when they cannot be read)."""
    digest = hashlib.sha256(core.__version__.encode())
    root = Path(core.__file__).parent
    try:
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    except OSError:
        return hashlib.sha256(core.__version__.encode()).hexdigest()
    return digest.hexdigest()


def checked_with(template: Template) -> str:
    """The stamp of findings checked by this code against this template (64 hex digits)."""
    digest = hashlib.sha256(code_digest().encode())
    digest.update(template.model_dump_json().encode())
    return digest.hexdigest()
