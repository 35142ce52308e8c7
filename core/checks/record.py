"""What the checks read: one extraction's values, indexed by field and row, with typed values."""

import calendar
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from core.domain import AnchorStatus, FieldSpec, FieldStatus, FieldType, Template
from core.domain.answers import ValueLike
from core.parsing.numbers import format_number


class StoredAnchor(NamedTuple):
    """A light anchor for checking many extractions at once (see `AnchorLike`)."""

    document_id: int
    start: int
    end: int
    exact: str
    status: AnchorStatus


class StoredValue(NamedTuple):
    """A light answer for checking many extractions at once (see `ValueLike`)."""

    path: str
    field_id: str
    group_id: str | None
    row: int | None
    status: FieldStatus
    raw_text: str
    value: Any
    unit: str | None
    anchors: tuple[StoredAnchor, ...]


@dataclass(frozen=True)
class ExtractionRecord:
    """The input of the checks: pure data, no database.

    `values` are `FieldValueInfo` read models or anything with their attributes
    (`StoredValue`). `row_counts` gives each repeating group's number of rows (rows
    without any value count); groups not named there have as many rows as their highest
    numbered value. `texts` maps a document id to its canonical text, for verifying
    anchors; anchors into documents not given are not verified. `registry_ids` maps a
    normalised registry ID (`checks.registry.normalise_registry_id`) to the names of the
    *other* studies of the project that record it.
    """

    template: Template
    values: Sequence[ValueLike]
    row_counts: Mapping[str, int] = field(default_factory=dict)
    texts: Mapping[int, str] = field(default_factory=dict)
    registry_ids: Mapping[str, Sequence[str]] = field(default_factory=dict)


class Forms:
    """A template indexed for quick lookups; built once per template by `Checker`."""

    def __init__(self, template: Template) -> None:
        self.template = template
        self.specs: dict[tuple[str | None, str], FieldSpec] = {}
        self.order: dict[tuple[str | None, str], int] = {}
        self.codes: dict[tuple[str | None, str], frozenset[str]] = {}
        self.required: list[tuple[str | None, FieldSpec]] = []
        # Notes are the reviewer's own words: nobody expects a passage for them.
        self.own_words: set[str] = set()
        self.groups = {group.id: group for _, group in template.groups()}
        for section in template.sections:
            for spec in section.fields:
                self._add(None, spec)
            for group in section.groups:
                self.order[(None, group.id)] = len(self.order)
                for spec in group.fields:
                    self._add(group.id, spec)

    def _add(self, group_id: str | None, spec: FieldSpec) -> None:
        self.specs[(group_id, spec.id)] = spec
        self.order[(group_id, spec.id)] = len(self.order)
        self.codes[(group_id, spec.id)] = frozenset(choice.code for choice in spec.choices)
        if spec.required:
            self.required.append((group_id, spec))
        if spec.id == "notes" or spec.id.endswith("_notes"):
            self.own_words.add(spec.id)

    def spec(self, group_id: str | None, field_id: str) -> FieldSpec | None:
        return self.specs.get((group_id, field_id))

    def label(self, group_id: str | None, field_id: str) -> str:
        spec = self.specs.get((group_id, field_id))
        return spec.label if spec is not None else field_id

    def where(self, group_id: str | None, row: int | None) -> str:
        """Where a field is: "" for a plain field, "Arms row 2: " for a group row's."""
        if group_id is None:
            return ""
        group = self.groups.get(group_id)
        return f"{group.label if group else group_id} row {row}: "


_UNSET = object()
Cells = dict[tuple[str, int], dict[str, ValueLike]]  # (group, row) -> field id -> value


class View:
    """An `ExtractionRecord` indexed once for all checks."""

    def __init__(
        self,
        record: ExtractionRecord,
        forms: Forms,
        indexed: tuple[dict[str, ValueLike], Cells] | None = None,
        typed: dict[int, Any] | None = None,
    ) -> None:
        """`indexed` is what `index_values(record.values)` gives, when already made;
        `typed` holds typed values already known, by `id` of the stored answer."""
        self.record = record
        self.forms = forms
        self._typed: dict[int, Any] = {} if typed is None else typed
        self.plain, cells = indexed or index_values(record.values)
        counts = dict(record.row_counts)
        for group_id, row in cells:
            if row > counts.get(group_id, 0):
                counts[group_id] = row
        self.rows: dict[str, list[dict[str, ValueLike]]] = {
            group_id: [cells.get((group_id, row)) or {} for row in range(1, count + 1)]
            for group_id, count in counts.items()
        }

    def typed(self, field_id: str) -> Any:
        """The usable value of a plain field (see `typed_value`), None when there is none."""
        value = self.plain.get(field_id)
        return None if value is None else self.typed_of(None, field_id, value)

    def row_typed(self, group_id: str, row: dict[str, ValueLike], field_id: str) -> Any:
        """The usable value of a field of a group row, None when there is none."""
        value = row.get(field_id)
        return None if value is None else self.typed_of(group_id, field_id, value)

    def typed_of(self, group_id: str | None, field_id: str, value: ValueLike) -> Any:
        """The usable value of a stored answer of the field; several checks read the same
        values, so each is typed once per view."""
        known = self._typed.get(id(value), _UNSET)
        if known is _UNSET:
            spec = self.forms.specs.get((group_id, field_id))
            known = self._typed[id(value)] = typed_value(spec, value) if spec else None
        return known


def index_values(values: Sequence[ValueLike]) -> tuple[dict[str, ValueLike], Cells]:
    """Plain values by field id, and group values by (group, row) and field id."""
    plain: dict[str, ValueLike] = {}
    cells: Cells = {}
    for value in values:
        add_to_index(value, plain, cells)
    return plain, cells


def add_to_index(value: ValueLike, plain: dict[str, ValueLike], cells: Cells) -> None:
    group_id = value.group_id
    if group_id is None:
        plain[value.field_id] = value
        return
    cell = cells.get((group_id, value.row or 1))
    if cell is None:
        cell = cells[(group_id, value.row or 1)] = {}
    cell[value.field_id] = value


def row_path(group_id: str, row: int, field_id: str) -> str:
    return f"{group_id}[{row}].{field_id}"


_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def valid_partial_date(value: Any) -> bool:
    """'2019', '2019-03' or '2019-03-14', naming a real month and day."""
    return isinstance(value, str) and _valid_iso(value)


@lru_cache(maxsize=4096)
def _valid_iso(value: str) -> bool:
    match = _ISO_DATE.match(value)
    if match is None:
        return False
    year, month, day = match.groups()
    if month is None:
        return int(year) >= 1
    if not 1 <= int(month) <= 12:
        return False
    return day is None or 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]


def has_type(spec: FieldSpec, value: Any) -> bool:
    """Whether a stored value has the Python type of its field (dates: any string)."""
    kind, cls = spec.type, type(value)
    if kind is FieldType.INTEGER:
        return cls is int
    if kind is FieldType.DECIMAL:
        return cls is int or (cls is float and math.isfinite(value))
    if kind is FieldType.BOOLEAN:
        return cls is bool
    if kind is FieldType.MULTIPLE_CHOICE:
        return cls is list and all(type(v) is str for v in value)
    return cls is str


# Factors to a base unit per kind of quantity; only units of one kind convert.
_UNIT_FACTORS: dict[str, tuple[str, float]] = {
    "s": ("time", 1 / 86400),
    "min": ("time", 1 / 1440),
    "h": ("time", 1 / 24),
    "hours": ("time", 1 / 24),
    "d": ("time", 1.0),
    "days": ("time", 1.0),
    "weeks": ("time", 7.0),
    "months": ("time", 365.25 / 12),
    "years": ("time", 365.25),
    "pg": ("mass", 1e-9),
    "ng": ("mass", 1e-6),
    "µg": ("mass", 1e-3),
    "mcg": ("mass", 1e-3),
    "mg": ("mass", 1.0),
    "g": ("mass", 1e3),
    "kg": ("mass", 1e6),
    "µL": ("volume", 1e-3),
    "mL": ("volume", 1.0),
    "cc": ("volume", 1.0),
    "dL": ("volume", 100.0),
    "L": ("volume", 1000.0),
    "cell": ("cells", 1.0),
    "cells": ("cells", 1.0),
}


def in_default_unit(spec: FieldSpec, value: float, unit: str | None) -> float | None:
    """A decimal in its field's default unit; None when the recorded unit cannot convert."""
    if spec.unit is None or unit is None or unit == spec.unit:
        return value
    source, target = _UNIT_FACTORS.get(unit), _UNIT_FACTORS.get(spec.unit)
    if source is None or target is None or source[0] != target[0]:
        return None
    return value * source[1] / target[1]


def typed_value(spec: FieldSpec, value: ValueLike) -> Any:
    """The value as rules see it (see `core.rules`): None unless it is a usable answer.

    A value with another status than "value", of the wrong type, an invalid date, or a
    decimal whose unit cannot be converted to the field's unit is None.
    """
    raw = value.value
    if raw is None or value.status is not FieldStatus.VALUE:
        return None
    kind, cls = spec.type, type(raw)
    if kind is FieldType.INTEGER:
        return raw if cls is int else None
    if kind is FieldType.DECIMAL:
        if cls is not int and (cls is not float or not math.isfinite(raw)):
            return None
        unit = value.unit
        if unit is None or unit == spec.unit:
            return float(raw)
        return in_default_unit(spec, float(raw), unit)
    if kind is FieldType.PARTIAL_DATE:
        return raw if cls is str and _valid_iso(raw) else None
    return raw if has_type(spec, raw) else None


def number_text(number: float) -> str:
    """A number as a reviewer writes it: 23, 69.7, 1000000 (no trailing ".0")."""
    if isinstance(number, int):
        return str(number)
    return format_number(number)
