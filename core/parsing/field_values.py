"""A field's value by the field's type: parsed from a passage, and shown as text."""

import math
import re
from typing import Any

from core.domain.template import FieldSpec, FieldType
from core.domain.values import ParseResult
from core.parsing.booleans import format_boolean, parse_boolean
from core.parsing.choices import parse_multiple_choice, parse_single_choice
from core.parsing.dates import MONTH_NAMES, parse_partial_date
from core.parsing.numbers import format_number, parse_number

EMPTY = "The passage is empty."

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_value(spec: FieldSpec, quote: str) -> ParseResult:
    """The value `quote` gives for `spec`, or `ok=False` with a message for the reviewer.

    Pure and quick: safe to call on the GUI thread for every passage sent to a field.
    `raw` is the quote stripped of surrounding whitespace. Nothing is guessed: a passage
    with two different numbers, a range, or two matching choices gives no value. Limits
    (`min`, `max`, required) are not checked here.
    """
    raw = quote.strip()
    if not raw:
        return ParseResult(ok=False, value=None, raw=raw, message=EMPTY)
    match spec.type:
        case FieldType.INTEGER:
            return parse_number(spec, raw, integer=True)
        case FieldType.DECIMAL:
            return parse_number(spec, raw, integer=False)
        case FieldType.PARTIAL_DATE:
            return parse_partial_date(raw)
        case FieldType.SINGLE_CHOICE:
            return parse_single_choice(spec, raw)
        case FieldType.MULTIPLE_CHOICE:
            return parse_multiple_choice(spec, raw)
        case FieldType.BOOLEAN:
            return parse_boolean(raw)
        case FieldType.TEXT:
            return ParseResult(ok=True, value=" ".join(raw.split()), raw=raw)
        case FieldType.LONG_TEXT:
            return ParseResult(ok=True, value=raw, raw=raw)
    raise AssertionError(f"unhandled field type {spec.type}")


def format_value(spec: FieldSpec, value: Any) -> str:
    """`value` as text for `spec`; never raises, whatever was stored.

    Dates read "2024", "Aug 2024", "1 Dec 2024" (no day-month order to misread), choice
    codes read as their labels, booleans as Yes/No, lists joined with "; ". What is shown
    parses back to the same value with `parse_value` (given choices with distinct labels).
    """
    if value is None:
        return ""
    match spec.type:
        case FieldType.INTEGER | FieldType.DECIMAL:
            return _number(value)
        case FieldType.PARTIAL_DATE:
            return _date(value)
        case FieldType.SINGLE_CHOICE:
            return _label(spec, value)
        case FieldType.MULTIPLE_CHOICE:
            items = value if isinstance(value, list | tuple) else [value]
            return "; ".join(_label(spec, item) for item in items)
        case FieldType.BOOLEAN:
            return format_boolean(value) if isinstance(value, bool) else str(value)
    return str(value)


def _number(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    return format_number(value)


def _date(value: Any) -> str:
    match = _ISO.match(str(value))
    if match is None:
        return str(value)
    year, month, day = match.groups()
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return str(value)
    name = MONTH_NAMES[int(month) - 1][:3]
    if day is None:
        return f"{name} {year}"
    return f"{int(day)} {name} {year}"


def _label(spec: FieldSpec, code: Any) -> str:
    choice = spec.choice(str(code))
    return choice.label if choice is not None else str(code)
