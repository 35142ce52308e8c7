"""Rows of the CSV tables: one wide row per record, one long row per group row.

Column names are the template's stable field ids. A cell is typed: integers and
decimals stay numbers (so a negative number is never mistaken for a formula), choices
are their codes, multiple choices their codes joined by the separator, booleans 1 or
0, partial dates ISO text ('2019', '2019-03', '2019-03-14'). A field that is not
reported, not applicable or unclear holds its status code; an empty field is empty.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from core.domain import FieldSpec, FieldType, GroupSpec, Template
from core.export.evidence import EVIDENCE_PARTS, evidence_cells
from core.export.options import EvidenceMode, ExportOptions, RecordSet
from core.export.records import Answer, ExportRecord, Records, Row

Cell = str | int | float | None
CellOf = Callable[[Answer | None], Cell]
UNIT_SUFFIX = "__unit"


def _multiple(value: Any, sep: str) -> Any:
    if not isinstance(value, list | tuple):
        return value
    try:
        return sep.join(value)
    except TypeError:  # not all codes are text
        return sep.join(map(str, value))


def _boolean(value: Any, _sep: str) -> Any:
    if value is True:
        return 1
    if value is False:
        return 0
    return value


# Only these types need converting: every other value is written as stored (text as
# text, numbers as numbers; csv writes anything else with str()).
CONVERTERS: dict[FieldType, Callable[[Any, str], Any]] = {
    FieldType.MULTIPLE_CHOICE: _multiple,
    FieldType.BOOLEAN: _boolean,
}


def status_codes(options: ExportOptions) -> dict[str, Cell]:
    codes = options.codes
    return {
        "not_reported": codes.not_reported,
        "not_applicable": codes.not_applicable,
        "unclear": codes.unclear,
    }


def value_cell(spec: FieldSpec, options: ExportOptions) -> CellOf:
    """How one field's answer becomes a cell."""
    convert = CONVERTERS.get(spec.type)
    codes = status_codes(options)
    sep = options.multi_separator

    def cell(answer: Answer | None) -> Cell:
        if answer is None:
            return None
        if answer.status != "value":
            return codes.get(answer.status)
        value = answer.value
        return value if convert is None or value is None else convert(value, sep)

    return cell


def unit_cell(spec: FieldSpec) -> CellOf:
    def cell(answer: Answer | None) -> Cell:
        if answer is None or answer.status != "value" or answer.value is None:
            return None
        return answer.unit or spec.unit

    return cell


@dataclass(frozen=True)
class FieldColumns:
    """The columns one field takes: its value, its unit when it has several, evidence."""

    spec: FieldSpec
    names: tuple[str, ...]
    value: CellOf
    unit: CellOf | None


def field_columns(spec: FieldSpec, options: ExportOptions) -> FieldColumns:
    names = [spec.id]
    unit = unit_cell(spec) if spec.units else None
    if unit is not None:
        names.append(spec.id + UNIT_SUFFIX)
    if options.evidence is EvidenceMode.COLUMNS:
        names.extend(f"{spec.id}__{part}" for part in EVIDENCE_PARTS)
    return FieldColumns(spec, tuple(names), value_cell(spec, options), unit)


def key_names(options: ExportOptions, *, long: bool) -> list[str]:
    """The columns that say whose record a row belongs to."""
    names = ["study_id", "study"]
    if options.records is not RecordSet.FINAL:
        names.append("reviewer")
    if options.records is RecordSet.ALL:
        names.append("record")
    names.append("row" if long else "status")
    return names


def _key_cells(record: ExportRecord, options: ExportOptions) -> list[Cell]:
    head = record.head
    cells: list[Cell] = [head.study_id, head.study]
    if options.records is not RecordSet.FINAL:
        cells.append(head.reviewer)
    if options.records is RecordSet.ALL:
        cells.append(head.kind)
    return cells


class Table:
    """Header and rows of the wide table, or of one group's long table."""

    def __init__(
        self, specs: tuple[FieldSpec, ...], options: ExportOptions, group: GroupSpec | None
    ) -> None:
        self.group = group
        self.options = options
        self.columns = [field_columns(s, options) for s in specs]
        self.header = key_names(options, long=group is not None) + [
            name for c in self.columns for name in c.names
        ]
        duplicates = {n for n in self.header if self.header.count(n) > 1}
        if duplicates:
            raise ValueError(f"two columns would be named {sorted(duplicates)[0]}")
        self._evidence = options.evidence is EvidenceMode.COLUMNS
        self._simple = not self._evidence and all(c.unit is None for c in self.columns)
        self._ids = [c.spec.id for c in self.columns]
        self._index = {field_id: index for index, field_id in enumerate(self._ids)}
        self._converted = [
            (index, c.spec.type is FieldType.BOOLEAN)
            for index, c in enumerate(self.columns)
            if c.spec.type in CONVERTERS
        ]
        self._codes = status_codes(options)

    def _simple_cells(self, cells: list[Cell], answers: Row) -> list[Cell]:
        """`cells` followed by the row's value cells, without a function call per cell
        (three times quicker than calling `value_cell`)."""
        get = answers.get
        code_of = self._codes.get
        start = len(cells)
        cells += [
            None if (a := get(f)) is None else a[2] if a[1] == "value" else code_of(a[1])
            for f in self._ids
        ]
        self._convert(cells, start)
        return cells

    def _wide_cells(self, cells: list[Cell], record: ExportRecord) -> list[Cell]:
        """`cells` followed by the record's plain field cells, the values picked in one
        C-level pass (`map`), then the few unanswered fields and conversions put in."""
        start = len(cells)
        cells += map(record.values.get, self._ids)
        code_of = self._codes.get
        for field_id, status in record.unanswered:
            cells[start + self._index[field_id]] = code_of(status)
        self._convert(cells, start)
        return cells

    def _convert(self, cells: list[Cell], start: int) -> None:
        """Booleans to 1/0 and lists of codes joined, in place (inline: no call per cell)."""
        sep = self.options.multi_separator
        for index, boolean in self._converted:
            at = start + index
            value = cells[at]
            if value is True:
                cells[at] = 1
            elif value is False:
                cells[at] = 0
            elif not boolean and value.__class__ is list:
                cells[at] = _multiple(value, sep)

    def _cells(self, cells: list[Cell], answers: Row, records: Records) -> list[Cell]:
        if self._simple:
            return self._simple_cells(cells, answers)
        get = answers.get
        for column in self.columns:
            answer = get(column.spec.id)
            cells.append(column.value(answer))
            if column.unit is not None:
                cells.append(column.unit(answer))
            if self._evidence:
                found = records.passages.get(answer.id, ()) if answer is not None else ()
                cells.extend(evidence_cells(found, records.documents))
        return cells

    def rows(self, records: Records) -> Iterator[list[Cell]]:
        for record in records.records:
            keys = _key_cells(record, self.options)
            if self.group is None:
                keys.append(record.head.status)
                if self._simple:
                    yield self._wide_cells(keys, record)
                else:
                    yield self._cells(keys, record.fields, records)
                continue
            for number, row in enumerate(record.groups.get(self.group.id, ()), start=1):
                yield self._cells([*keys, number], row, records)

    def count(self, records: Records) -> int:
        if self.group is None:
            return len(records.records)
        return sum(len(r.groups.get(self.group.id, ())) for r in records.records)


def wide_table(template: Template, options: ExportOptions) -> Table:
    return Table(tuple(spec for _, spec in template.plain_fields()), options, None)


def long_tables(template: Template, options: ExportOptions) -> list[Table]:
    return [Table(group.fields, options, group) for _, group in template.groups()]
