"""Trial registration numbers: their format per registry, and one ID on two studies."""

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from core.checks.record import View
from core.domain import Finding, Severity

REGISTRY_FIELD = "registry_id"
DUPLICATE_CODE = "registry_id_duplicate"


class Registry(NamedTuple):
    name: str
    prefix: re.Pattern[str]  # what says an ID claims to be of this registry
    valid: re.Pattern[str]  # the whole ID, when well formed
    form: str  # the format in words, with an example


def _full(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{pattern})", re.IGNORECASE)


REGISTRIES = (
    Registry(
        "ClinicalTrials.gov",
        _full(r"NCT"),
        _full(r"NCT\d{8}"),
        "NCT followed by 8 digits, e.g. NCT01234567",
    ),
    Registry(
        "ISRCTN",
        _full(r"ISRCTN"),
        _full(r"ISRCTN\d{8}"),
        "ISRCTN followed by 8 digits, e.g. ISRCTN12345678",
    ),
    Registry(
        "EudraCT",
        _full(r"EudraCT|EUCTR|\d{4}-"),
        _full(r"(?:EudraCT(?:\s*(?:number|no\.?))?[\s:#]*|EUCTR)?\d{4}-\d{6}-\d{2}(?:-[A-Z]{2})?"),
        "a year, 6 digits and 2 check digits, e.g. 2012-001234-56",
    ),
    Registry(
        "IRCT",
        _full(r"IRCT"),
        _full(r"IRCT\d{10,14}N\d{1,3}"),
        "IRCT, digits, N and a number, e.g. IRCT20190101012345N1",
    ),
    Registry(
        "ChiCTR",
        _full(r"ChiCTR"),
        _full(r"ChiCTR(?:\d{10}|-[A-Z]{2,5}-\d{8})"),
        "ChiCTR and 10 digits, or the older ChiCTR-TRC-12001234",
    ),
)


def registry_of(registry_id: str) -> Registry | None:
    """The registry an ID claims to belong to, by its prefix; None for other registries."""
    text = registry_id.strip()
    return next((r for r in REGISTRIES if r.prefix.match(text)), None)


def registry_id_problem(registry_id: str) -> str | None:
    """Why an ID is not well formed for its registry, or None.

    IDs of registries not listed in `REGISTRIES` (ACTRN, DRKS, CTRI, ...) are not judged.
    """
    text = registry_id.strip()
    registry = registry_of(text)
    if registry is None or registry.valid.fullmatch(text):
        return None
    return f"“{text}” is not a well-formed {registry.name} ID: {registry.form}."


def normalise_registry_id(registry_id: str) -> str:
    """The form IDs are compared in: capitals, no spaces ("nct 0123..." == "NCT0123...")."""
    return "".join(registry_id.split()).upper()


def registry_findings(view: View) -> Iterator[Finding]:
    """The ID's format, and the same ID recorded for another study of the project."""
    value = view.plain.get(REGISTRY_FIELD)
    registry_id = view.typed(REGISTRY_FIELD)
    if value is None or not isinstance(registry_id, str) or not registry_id.strip():
        return
    label = view.forms.label(None, REGISTRY_FIELD)
    problem = registry_id_problem(registry_id)
    if problem is not None:
        yield Finding(
            severity=Severity.WARNING,
            path=value.path,
            code="registry_id_format",
            message=f"{label}: {problem}",
        )
    duplicate = duplicate_finding(
        label,
        value.path,
        registry_id,
        view.record.registry_ids.get(normalise_registry_id(registry_id), ()),
    )
    if duplicate is not None:
        yield duplicate


def duplicate_finding(
    label: str, path: str, registry_id: str, others: Sequence[str]
) -> Finding | None:
    """The warning that the studies `others` (names) record the same ID, or None.

    The one finding that depends on other studies: findings stored per extraction leave
    it out (`DUPLICATE_CODE`), and whoever reads them adds it back from the project's
    current IDs.
    """
    if not others:
        return None
    names = ", ".join(f"“{name}”" for name in sorted(others)[:3])
    more = f" and {len(others) - 3} more" if len(others) > 3 else ""
    studies = "study" if len(others) == 1 else "studies"
    message = (
        f"{label} {registry_id.strip()} is also recorded for the {studies} {names}{more}: "
        "are they the same trial?"
    )
    return Finding(severity=Severity.WARNING, path=path, code=DUPLICATE_CODE, message=message)
