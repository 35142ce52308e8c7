"""Checks of single values: required, type, range, choice, partial date, value without evidence."""

from collections.abc import Iterator
from math import isfinite
from typing import Any

from core.checks.record import (
    Forms,
    ValueLike,
    View,
    in_default_unit,
    number_text,
    row_path,
    valid_partial_date,
)
from core.domain import FieldSpec, FieldStatus, FieldType, Finding, Severity
from core.parsing import format_value

ERROR, WARNING = Severity.ERROR, Severity.WARNING

_TYPE_NAMES = {
    FieldType.TEXT: "text",
    FieldType.LONG_TEXT: "text",
    FieldType.INTEGER: "a whole number",
    FieldType.DECIMAL: "a number",
    FieldType.PARTIAL_DATE: "a date",
    FieldType.SINGLE_CHOICE: "a choice",
    FieldType.MULTIPLE_CHOICE: "a list of choices",
    FieldType.BOOLEAN: "yes or no",
}
_NUMERIC = (FieldType.INTEGER, FieldType.DECIMAL)


def shown(spec: FieldSpec, value: Any, unit: str | None = None, limit: int = 40) -> str:
    """A value as the form shows it, with its unit, cut short for a message."""
    text = format_value(spec, value)
    if unit and spec.type in _NUMERIC:
        text = f"{text}{unit}" if unit == "%" else f"{text} {unit}"
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def required(view: View) -> Iterator[Finding]:
    """A required field with no answer: a value, or a status such as "not reported"."""
    forms = view.forms
    for group_id, spec in forms.required:
        field_id = spec.id
        if group_id is None:
            if _unanswered(view.plain.get(field_id)):
                yield _required(spec, field_id, "")
            continue
        for index, row in enumerate(view.rows.get(group_id, ()), start=1):
            if _unanswered(row.get(field_id)):
                path = row_path(group_id, index, field_id)
                yield _required(spec, path, forms.where(group_id, index))


def _unanswered(value: ValueLike | None) -> bool:
    return value is None or (value.status is FieldStatus.VALUE and value.value is None)


def _required(spec: FieldSpec, path: str, where: str) -> Finding:
    message = f"{where}{spec.label} is required: record it, or mark it not reported."
    return Finding(severity=ERROR, path=path, code="required", message=message)


def value_problems(forms: Forms, spec: FieldSpec, value: ValueLike, out: list[Finding]) -> None:
    """Type, range, choice and date validity of one answer, and missing evidence.

    Called for every value of every extraction, so it does the common case (a valid
    value) with as little work as it can; findings are appended to `out`.
    """
    raw = value.value
    if raw is None:
        if (value.raw_text.strip() or value.anchors) and not spec.required:
            out.append(_no_value(forms, spec, value))
        return
    kind, cls = spec.type, type(raw)
    if kind is FieldType.INTEGER or kind is FieldType.DECIMAL:
        if cls is not int and (kind is FieldType.INTEGER or cls is not float or not isfinite(raw)):
            out.append(_wrong_type(forms, spec, value))
            return
        low, high = spec.min, spec.max
        if low is not None or high is not None:
            unit = value.unit
            number = raw if unit is None or unit == spec.unit else in_default_unit(spec, raw, unit)
            if number is not None and (
                (low is not None and number < low) or (high is not None and number > high)
            ):
                out.append(_out_of_range(forms, spec, value, number))
    elif kind is FieldType.SINGLE_CHOICE or kind is FieldType.MULTIPLE_CHOICE:
        if (
            cls is not str
            if kind is FieldType.SINGLE_CHOICE
            else cls is not list or not all(type(code) is str for code in raw)
        ):
            out.append(_wrong_type(forms, spec, value))
            return
        codes = forms.codes[(value.group_id, value.field_id)]
        if (raw not in codes) if cls is str else not codes.issuperset(raw):
            out.append(_unknown_choice(forms, spec, value, codes))
    elif kind is FieldType.BOOLEAN:
        if cls is not bool:
            out.append(_wrong_type(forms, spec, value))
            return
    elif cls is not str:
        out.append(_wrong_type(forms, spec, value))
        return
    elif kind is FieldType.PARTIAL_DATE and not valid_partial_date(raw):
        out.append(_invalid_date(forms, spec, value))
    if not value.anchors and spec.id not in forms.own_words:
        out.append(_no_evidence(forms, spec, value))


def _no_value(forms: Forms, spec: FieldSpec, value: ValueLike) -> Finding:
    message = (
        f"{forms.where(value.group_id, value.row)}{spec.label} has a passage but no value: "
        "type the value, or mark it not reported."
    )
    return Finding(severity=WARNING, path=value.path, code="no_value", message=message)


def _wrong_type(forms: Forms, spec: FieldSpec, value: ValueLike) -> Finding:
    message = (
        f"{forms.where(value.group_id, value.row)}{spec.label} holds “{str(value.value)[:40]}”, "
        f"which is not {_TYPE_NAMES[spec.type]}."
    )
    return Finding(severity=ERROR, path=value.path, code="type", message=message)


def _out_of_range(forms: Forms, spec: FieldSpec, value: ValueLike, number: float) -> Finding:
    below = spec.min is not None and number < spec.min
    side = "below the minimum" if below else "above the maximum"
    limit = (spec.min if below else spec.max) or 0.0
    unit = "" if not spec.unit else spec.unit if spec.unit == "%" else f" {spec.unit}"
    message = (
        f"{forms.where(value.group_id, value.row)}{spec.label} "
        f"({shown(spec, value.value, value.unit)}) is {side} of {number_text(limit)}{unit}."
    )
    return Finding(severity=ERROR, path=value.path, code="range", message=message)


def _unknown_choice(
    forms: Forms, spec: FieldSpec, value: ValueLike, codes: frozenset[str]
) -> Finding:
    given = value.value if isinstance(value.value, list) else [value.value]
    unknown = [code for code in given if code not in codes]
    listed = ", ".join(c.label for c in spec.choices[:6]) + (", …" if len(spec.choices) > 6 else "")
    names = ", ".join(f"“{code}”" for code in unknown)
    verb = "is not one of its choices" if len(unknown) == 1 else "are not among its choices"
    message = f"{forms.where(value.group_id, value.row)}{spec.label}: {names} {verb} ({listed})."
    return Finding(severity=ERROR, path=value.path, code="choice", message=message)


def _invalid_date(forms: Forms, spec: FieldSpec, value: ValueLike) -> Finding:
    message = (
        f"{forms.where(value.group_id, value.row)}{spec.label} “{value.value}” is not a valid "
        "date: write a year, a year and month, or a full date (2019, 2019-03, 2019-03-14)."
    )
    return Finding(severity=ERROR, path=value.path, code="partial_date", message=message)


def _no_evidence(forms: Forms, spec: FieldSpec, value: ValueLike) -> Finding:
    message = (
        f"{forms.where(value.group_id, value.row)}{spec.label} "
        f"({shown(spec, value.value, value.unit)}) has no evidence: "
        "select the passage it comes from."
    )
    return Finding(severity=WARNING, path=value.path, code="no_evidence", message=message)
