"""Checking a value typed by a person against its field's type."""

from typing import Any

from core.domain import FieldSpec, FieldType
from core.errors import ValidationError
from core.parsing import parse_value


def coerce_value(spec: FieldSpec, value: Any, unit: str | None) -> tuple[Any, str | None]:
    """Return the stored form of `value`, or raise ValidationError saying why not.

    Text is parsed with the field's type; typed Python values are checked.
    """
    if isinstance(value, str):
        result = parse_value(spec, value)
        if not result.ok:
            raise ValidationError(result.message or f"'{value}' is not a valid {spec.label}.")
        return result.value, unit or result.unit
    kind = spec.type
    if kind is FieldType.INTEGER and isinstance(value, int) and not isinstance(value, bool):
        return value, unit
    if kind is FieldType.DECIMAL and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), unit or spec.unit
    if kind is FieldType.BOOLEAN and isinstance(value, bool):
        return value, None
    if kind is FieldType.MULTIPLE_CHOICE and isinstance(value, list | tuple | set):
        codes = [str(v) for v in value]
        unknown = [c for c in codes if spec.choice(c) is None]
        if unknown:
            raise ValidationError(f"{spec.label}: {', '.join(unknown)} is not one of its choices.")
        order = [c.code for c in spec.choices]
        return sorted(set(codes), key=order.index), None
    raise ValidationError(f"{spec.label} expects a {kind.value.replace('_', ' ')} value.")
