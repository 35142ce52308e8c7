"""Checks of evidence: anchors that no longer hold, and numbers missing from their passages."""

import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from core.anchoring import verify_anchor
from core.checks.fields import shown
from core.checks.record import Forms
from core.domain import AnchorStatus, FieldSpec, Finding, Severity
from core.domain.answers import AnchorLike, ValueLike
from core.parsing.numbers import find_numbers, format_number, prepare

_STILL_PLACED = (AnchorStatus.EXACT, AnchorStatus.RELOCATED, AnchorStatus.FUZZY)
_AFTER_NUMBER = ".,"
_BEFORE_NUMBER = ".,^"


def anchor_problems(
    forms: Forms, spec: FieldSpec, value: ValueLike, texts: Mapping[int, str], out: list[Finding]
) -> None:
    """Passages whose quote is no longer at its place, that wait for review, or are lost.

    One finding per kind and field, naming the passages concerned.
    """
    for anchor in value.anchors:
        if not _holds(anchor, texts):
            out.extend(_anchor_findings(forms, spec, value, texts))
            return


def _holds(anchor: AnchorLike, texts: Mapping[int, str]) -> bool:
    """Placed and, when its document's text is given, still quoting its passage."""
    if anchor.status not in _STILL_PLACED:
        return False
    text = texts.get(anchor.document_id)
    # verify_anchor reads only start, end and exact, which every AnchorLike has.
    return text is None or verify_anchor(anchor, text)  # type: ignore[arg-type]


def _anchor_findings(
    forms: Forms, spec: FieldSpec, value: ValueLike, texts: Mapping[int, str]
) -> list[Finding]:
    moved = [a.exact for a in value.anchors if a.status in _STILL_PLACED and not _holds(a, texts)]
    review = [a.exact for a in value.anchors if a.status is AnchorStatus.NEEDS_REVIEW]
    orphaned = [a.exact for a in value.anchors if a.status is AnchorStatus.ORPHANED]
    found = []
    subject = f"{forms.where(value.group_id, value.row)}{spec.label}"
    if moved:
        message = (
            f"{subject}: the document no longer reads {_quotes(moved)} where the evidence "
            "points; select the passage again."
        )
        found.append(
            Finding(severity=Severity.ERROR, path=value.path, code="anchor_moved", message=message)
        )
    if review:
        message = (
            f"{subject}: the evidence {_quotes(review)} was only found approximately after the "
            "document changed; confirm the passage or select it again."
        )
        found.append(
            Finding(
                severity=Severity.WARNING,
                path=value.path,
                code="anchor_needs_review",
                message=message,
            )
        )
    if orphaned:
        message = (
            f"{subject}: the evidence {_quotes(orphaned)} cannot be found in the document any "
            "more; select the passage again or remove it."
        )
        found.append(
            Finding(
                severity=Severity.ERROR, path=value.path, code="anchor_orphaned", message=message
            )
        )
    return found


def _quotes(quotes: list[str]) -> str:
    return ", ".join(f"“{_short(q)}”" for q in quotes)


def _short(text: str, limit: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def number_problem(forms: Forms, spec: FieldSpec, value: ValueLike) -> Finding | None:
    """A number that none of its passages states (digits, number words or a percentage)."""
    number = value.value
    written = number_written(number)
    if written is None or (type(number) is float and not math.isfinite(number)):
        return None  # not a number (bool, text), no value, or one the type check reports
    if any(not anchor.exact for anchor in value.anchors):
        return None  # an area of a scanned page: its number was read by the reviewer
    for anchor in value.anchors:
        if _states(anchor.exact, number, written):
            return None
    passages = _quotes([a.exact for a in value.anchors])
    message = (
        f"{forms.where(value.group_id, value.row)}{spec.label} "
        f"({shown(spec, number, value.unit)}) does not appear in its evidence {passages}: "
        "check the value, or say how it was worked out."
    )
    return Finding(
        severity=Severity.WARNING, path=value.path, code="number_not_in_evidence", message=message
    )


def number_written(number: object) -> str | None:
    """A number as digits the way reports print it (23, 69.7, 60 for 60.0); None if not one."""
    cls = type(number)
    if cls is int:
        return str(number)
    if cls is float:
        return format_number(number)  # type: ignore[arg-type]
    return None


def _states(passage: str, number: int | float, written: str) -> bool:
    """Whether `passage` gives `number`: as written digits, then with number words read
    as digits ("Twenty-three" -> 23), then in any form `find_numbers` reads (10^6, 1,234)."""
    if written_in(passage, written):
        return True
    prepared = _prepared(passage)
    if prepared != passage and written_in(prepared, written):
        return True
    if abs(number) >= 1000 and _power_of_ten(number).search(prepared):
        return True
    try:
        wanted = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
    except InvalidOperation:
        return False
    return wanted in numbers_in(passage)


def written_in(text: str, written: str) -> bool:
    """`written` stands in `text` as a number of its own (not inside 2023, 2.5 or 10^6)."""
    at = text.find(written)
    if at == -1:
        return False
    size, length = len(written), len(text)
    while at != -1:
        end = at + size  # beyond either end of the text, a neighbour counts as a space
        before = text[at - 1] if at else " "
        after = text[end] if end < length else " "
        after_next = text[end + 1] if end + 1 < length else " "
        digit_after = after.isdigit() or (after in _AFTER_NUMBER and after_next.isdigit())
        if not (before.isdigit() or before in _BEFORE_NUMBER or digit_after):
            return True
        at = text.find(written, at + 1)
    return False


@lru_cache(maxsize=1024)
def _power_of_ten(number: float) -> re.Pattern[str]:
    """How a dose such as 2000000 is usually written: "2 x 10^6" ("2 × 10⁶" once prepared).

    Only a shortcut for the common form; `numbers_in` reads every other one (a lost
    superscript, "2 × 106 cells", among them).
    """
    exponent = math.floor(math.log10(abs(number)))
    mantissa = re.escape(format_number(round(number / 10**exponent, 6)))
    return re.compile(rf"(?<![\d.,]){mantissa}\s*[x×X*·⋅]\s*10\s*\^\s*\(?\+?{exponent}\)?(?!\d)")


_prepared = lru_cache(maxsize=4096)(prepare)


@lru_cache(maxsize=4096)
def numbers_in(passage: str) -> frozenset[Decimal]:
    """Every number a passage states, number words ("Twenty-three") and powers included."""
    return frozenset(token.value for token in find_numbers(_prepared(passage)))


def clear_passage_caches() -> None:
    for cached in (numbers_in, _prepared, _power_of_ten):
        cached.cache_clear()
