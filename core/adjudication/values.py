"""Whether two stored values of one field say the same thing, by the field's type."""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, NamedTuple

from core.adjudication.states import Match
from core.adjudication.text import words
from core.adjudication.units import same_unit, to_base, unit_scale
from core.domain.template import FieldSpec, FieldType
from core.parsing.numbers import format_number

_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PRECISION = ("year", "month", "day")


@dataclass(frozen=True)
class Tolerance:
    """How far apart two numbers may be and still agree; the default is exact.

    `absolute` is in the field's own unit (`FieldSpec.unit`), and applies when both values
    are in that unit's dimension (or the field has no unit); `relative` is a fraction of
    the larger magnitude (0.05 = 5 %). Values agree when they are within either.
    """

    absolute: float = 0.0
    relative: float = 0.0

    @property
    def exact(self) -> bool:
        return not self.absolute and not self.relative

    def describe(self, unit: str | None) -> str:
        parts = []
        if self.absolute:
            parts.append(f"±{format_number(float(self.absolute))}{_unit_suffix(unit)}")
        if self.relative:
            parts.append(f"{format_number(round(self.relative * 100, 9))} %")
        return " or ".join(parts)


EXACT = Tolerance()


def tolerance_for(spec: FieldSpec) -> Tolerance:
    """The field's tolerance: `spec.tolerance` (absolute, in the field's unit) and
    `spec.relative_tolerance` (a fraction) when the template gives them."""
    absolute = spec.tolerance or 0.0
    relative = spec.relative_tolerance or 0.0
    return Tolerance(absolute=absolute, relative=relative) if absolute or relative else EXACT


class ValueMatch(NamedTuple):
    """`match` is None when the values differ; `note` says in words what was noticed."""

    match: Match | None
    note: str = ""


def match_values(
    spec: FieldSpec,
    a: Any,
    b: Any,
    unit_a: str | None = None,
    unit_b: str | None = None,
    tolerance: Tolerance | None = None,
) -> ValueMatch:
    """Compare two non-empty stored values of `spec`: numbers after unit conversion and
    within `tolerance` (by default the field's own, `tolerance_for`), dates at their
    common precision, multiple choices as sets, single choices and booleans exactly, text
    after normalising. Symmetric in A and B."""
    kind = spec.type
    if kind in (FieldType.INTEGER, FieldType.DECIMAL) and _is_number(a) and _is_number(b):
        return _numbers(spec, a, b, unit_a, unit_b, tolerance or tolerance_for(spec))
    if kind is FieldType.PARTIAL_DATE:
        return _dates(a, b)
    if kind is FieldType.MULTIPLE_CHOICE:
        return _sets(a, b)
    if kind is FieldType.SINGLE_CHOICE or (isinstance(a, bool) and isinstance(b, bool)):
        return ValueMatch(Match.IDENTICAL if str(a) == str(b) else None)
    return _texts(a, b)


def _numbers(
    spec: FieldSpec,
    a: float,
    b: float,
    unit_a: str | None,
    unit_b: str | None,
    tolerance: Tolerance,
) -> ValueMatch:
    written_alike = unit_a == unit_b
    unit_a, unit_b = unit_a or spec.unit, unit_b or spec.unit
    if not (_finite(a) and _finite(b)):
        same = repr(float(a)) == repr(float(b)) and same_unit(unit_a, unit_b)
        return ValueMatch(Match.IDENTICAL if same else None)
    if same_unit(unit_a, unit_b):
        if a == b:
            return ValueMatch(Match.IDENTICAL if written_alike else Match.EQUIVALENT)
        if tolerance.exact:
            return ValueMatch(None)
    base_a = to_base(_exact(a), unit_a)
    base_b = to_base(_exact(b), unit_b)
    if base_a.dimension != base_b.dimension:
        return ValueMatch(None, "units that cannot be converted into each other")
    if base_a.magnitude == base_b.magnitude:
        return ValueMatch(Match.EQUIVALENT, "the same amount in other units")
    difference = abs(base_a.magnitude - base_b.magnitude)
    largest = max(abs(base_a.magnitude), abs(base_b.magnitude))
    if difference <= _exact(tolerance.relative) * largest or _within_absolute(
        spec, tolerance, base_a.dimension, difference
    ):
        return ValueMatch(Match.WITHIN_TOLERANCE, f"within {tolerance.describe(spec.unit)}")
    return ValueMatch(None)


def _within_absolute(
    spec: FieldSpec, tolerance: Tolerance, dimension: str, difference: Fraction
) -> bool:
    if not tolerance.absolute:
        return False
    field_scale = unit_scale(spec.unit)
    if spec.unit and field_scale.dimension != dimension:
        return False
    return difference <= _exact(tolerance.absolute) * field_scale.factor


def _dates(a: Any, b: Any) -> ValueMatch:
    parts_a, parts_b = _date_parts(a), _date_parts(b)
    if parts_a is None or parts_b is None:
        return _texts(a, b)
    common = min(len(parts_a), len(parts_b))
    if parts_a[:common] != parts_b[:common]:
        return ValueMatch(None)
    if len(parts_a) == len(parts_b):
        return ValueMatch(Match.IDENTICAL)
    fuller = "A" if len(parts_a) > len(parts_b) else "B"
    note = f"agree to the {_PRECISION[common - 1]}; {fuller} is more precise"
    return ValueMatch(Match.LOWER_PRECISION, note)


def _date_parts(value: Any) -> tuple[str, ...] | None:
    match = _ISO_DATE.match(str(value))
    return tuple(p for p in match.groups() if p is not None) if match else None


def _sets(a: Any, b: Any) -> ValueMatch:
    items_a, items_b = _items(a), _items(b)
    if items_a == items_b:
        return ValueMatch(Match.IDENTICAL)
    if set(items_a) == set(items_b):
        return ValueMatch(Match.EQUIVALENT)
    return ValueMatch(None)


def _items(value: Any) -> list[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return [str(value)]
    return [str(item) for item in value]


def _texts(a: Any, b: Any) -> ValueMatch:
    text_a, text_b = _text(a), _text(b)
    if text_a == text_b:
        return ValueMatch(Match.IDENTICAL)
    if words(text_a) == words(text_b):
        return ValueMatch(Match.EQUIVALENT, "the same words")
    return ValueMatch(None)


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _finite(value: float) -> bool:
    return isinstance(value, int) or math.isfinite(value)


def _exact(value: float) -> Fraction:
    """The decimal a reviewer wrote, exactly: 0.04 is 4/100, not the nearest binary."""
    return Fraction(value) if isinstance(value, int) else Fraction(repr(value))


def _unit_suffix(unit: str | None) -> str:
    if not unit:
        return ""
    return unit if unit == "%" else f" {unit}"
