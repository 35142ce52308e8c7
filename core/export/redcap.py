"""REDCap out: the template as a REDCap data dictionary, the records as a REDCap import CSV.

Each section of the form becomes a REDCap instrument (form) named by its id; a
repeating group becomes a repeating instrument named by the group id, whose rows are
written with `redcap_repeat_instrument` and `redcap_repeat_instance`. Types: text ->
text, long text -> notes, integer -> text validated as integer, decimal -> text
validated as number, partial date -> text validated as date_ymd, single choice ->
radio, multiple choice -> checkbox (one 0/1 column per code in the import file),
boolean -> yesno. The record id is the study id (with the extraction id when every
extraction is exported).
"""

import re
from collections.abc import Iterator
from typing import Any

from core.domain import FieldSpec, FieldType, GroupSpec, Template
from core.export.options import ExportOptions, RecordSet, code_value
from core.export.records import Answer, ExportRecord, Records
from core.export.redcap_format import RedcapField, choices_text, form_title

RECORD_ID = "record_id"
UNIT_FIELD = "_unit"
SPLIT_SECTION = re.compile(r"^(?P<form>[a-z][a-z0-9_]*?)__(?P<part>\d+)$")
COMPLETE = 2
INCOMPLETE = 0
_TYPES = {
    FieldType.TEXT: ("text", ""),
    FieldType.LONG_TEXT: ("notes", ""),
    FieldType.INTEGER: ("text", "integer"),
    FieldType.DECIMAL: ("text", "number"),
    FieldType.PARTIAL_DATE: ("text", "date_ymd"),
    FieldType.SINGLE_CHOICE: ("radio", ""),
    FieldType.MULTIPLE_CHOICE: ("checkbox", ""),
    FieldType.BOOLEAN: ("yesno", ""),
}


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# -- date ranges, which REDCap keeps as validation min/max and a template as a rule ----
def date_range_rule_id(field_id: str) -> str:
    return f"{field_id}_range"


def date_range_check(field_id: str, low: str, high: str, group: str | None = None) -> str:
    """The CEL check of a date range: ISO dates compare as text."""
    ref = f"r.{field_id}" if group else field_id
    parts = []
    if low:
        parts.append(f"{ref} >= '{low}'")
    if high:
        parts.append(f"{ref} <= '{high}'")
    inner = " && ".join(parts)
    body = f"{ref} == null || " + (f"({inner})" if len(parts) > 1 else inner)
    return f"{group}.all(r, {body})" if group else body


def date_range(template: Template, spec: FieldSpec, group: str | None) -> tuple[str, str]:
    """(min, max) of a date field, when the template holds the rule `date_range_check`
    writes for it."""
    rule = next((r for r in template.rules if r.id == date_range_rule_id(spec.id)), None)
    if rule is None or rule.when is not None:
        return "", ""
    found = re.findall(r"(>=|<=) '([0-9-]+)'", rule.check)
    low = next((d for op, d in found if op == ">="), "")
    high = next((d for op, d in found if op == "<="), "")
    if (low or high) and rule.check == date_range_check(spec.id, low, high, group):
        return low, high
    return "", ""


# -- the dictionary -----------------------------------------------------------------------
def _label(spec: FieldSpec) -> str:
    if spec.unit and not spec.units and spec.unit not in spec.label:
        return f"{spec.label} ({spec.unit})"
    return spec.label


def _field_row(
    template: Template, spec: FieldSpec, form: str, header: str, group: str | None
) -> RedcapField:
    kind, validation = _TYPES[spec.type]
    low, high = "", ""
    if spec.type in (FieldType.INTEGER, FieldType.DECIMAL):
        low, high = number_text(spec.min), number_text(spec.max)
    elif spec.type is FieldType.PARTIAL_DATE:
        low, high = date_range(template, spec, group)
    return RedcapField(
        field_name=spec.id,
        form_name=form,
        section_header=header,
        field_type=kind,
        field_label=_label(spec),
        select_choices_or_calculations=choices_text([(c.code, c.label) for c in spec.choices]),
        field_note=spec.help,
        text_validation_type_or_show_slider_number=validation,
        text_validation_min=low,
        text_validation_max=high,
        required_field="y" if spec.required else "",
    )


def unit_choices(spec: FieldSpec) -> list[str]:
    """The units a value of the field may carry, default first."""
    return list(dict.fromkeys(u for u in (spec.unit, *spec.units) if u))


def _unit_row(spec: FieldSpec, form: str) -> RedcapField:
    """A field with several units gets a companion field naming the unit of its value."""
    choices = [(str(n), unit) for n, unit in enumerate(unit_choices(spec), start=1)]
    return RedcapField(
        field_name=f"{spec.id}{UNIT_FIELD}",
        form_name=form,
        field_type="radio",
        field_label=f"Unit of {spec.label}",
        select_choices_or_calculations=choices_text(choices),
    )


class Instrument:
    """A REDCap form: its name, whether it repeats, and its fields with section headers."""

    def __init__(self, name: str, group: GroupSpec | None = None) -> None:
        self.name = name
        self.group = group
        self.fields: list[tuple[FieldSpec, str]] = []


def instruments(template: Template) -> list[Instrument]:
    """The template's sections and groups as REDCap forms, in form order."""
    forms: dict[str, Instrument] = {}
    for section in template.sections:
        split = SPLIT_SECTION.match(section.id)
        continued = split is not None and split["form"] in forms
        name = split["form"] if split is not None and continued else section.id
        if section.fields:
            form = forms.setdefault(name, Instrument(name))
            header = section.label if continued or section.label != form_title(name) else ""
            for index, spec in enumerate(section.fields):
                form.fields.append((spec, header if index == 0 else ""))
        for group in section.groups:
            form = Instrument(group.id, group)
            forms[group.id] = form
            header = group.label if group.label != form_title(group.id) else ""
            for index, spec in enumerate(group.fields):
                form.fields.append((spec, header if index == 0 else ""))
    return list(forms.values())


def redcap_dictionary(template: Template) -> list[RedcapField]:
    """The template as REDCap dictionary rows, starting with the record id."""
    forms = instruments(template)
    if not forms:
        return []
    rows = [RedcapField(field_name=RECORD_ID, form_name=forms[0].name, field_label="Record ID")]
    for form in forms:
        group = form.group.id if form.group else None
        for spec, header in form.fields:
            rows.append(_field_row(template, spec, form.name, header, group))
            if spec.units:
                rows.append(_unit_row(spec, form.name))
    return rows


def dictionary_cells(row: RedcapField) -> list[Any]:
    """A dictionary row for the CSV writer: numeric limits as numbers, so that a
    negative minimum is written as it is even with formula protection on."""
    cells: list[Any] = list(row)
    for index in (8, 9):
        cells[index] = code_value(cells[index]) if cells[index] else ""
    return cells


# -- the records ------------------------------------------------------------------------------
def checkbox_column(field_id: str, code: str) -> str:
    """REDCap's name of one choice's 0/1 column: lower case, other signs as '_'."""
    return f"{field_id}___{re.sub(r'[^a-z0-9_]', '_', code.lower())}"


def _field_names(spec: FieldSpec) -> list[str]:
    if spec.type is FieldType.MULTIPLE_CHOICE:
        return [checkbox_column(spec.id, c.code) for c in spec.choices]
    return [spec.id] + ([f"{spec.id}{UNIT_FIELD}"] if spec.units else [])


def import_header(template: Template) -> list[str]:
    forms = instruments(template)
    header = [RECORD_ID]
    if any(f.group for f in forms):
        header += ["redcap_repeat_instrument", "redcap_repeat_instance"]
    for form in forms:
        for spec, _ in form.fields:
            header += _field_names(spec)
        header.append(f"{form.name}_complete")
    return header


def _cells(spec: FieldSpec, answer: Answer | None, options: ExportOptions) -> list[Any]:
    value_cells = _value_cells(spec, answer, options)
    if not spec.units:
        return value_cells
    unit = None
    if answer is not None and answer.status == "value" and answer.value is not None:
        units = unit_choices(spec)
        chosen = answer.unit or spec.unit
        unit = units.index(chosen) + 1 if chosen in units else None
    return [*value_cells, unit]


def _value_cells(spec: FieldSpec, answer: Answer | None, options: ExportOptions) -> list[Any]:
    width = len(spec.choices) if spec.type is FieldType.MULTIPLE_CHOICE else 1
    if answer is None or (answer.value is None and answer.status == "value"):
        return [None] * width
    if answer.status != "value":
        if spec.type is FieldType.MULTIPLE_CHOICE:
            return [None] * width
        return [options.codes.for_status(answer.status)]
    value = answer.value
    kind = spec.type
    if kind is FieldType.MULTIPLE_CHOICE:
        chosen = set(value) if isinstance(value, list) else {value}
        return [1 if c.code in chosen else 0 for c in spec.choices]
    if kind is FieldType.BOOLEAN and isinstance(value, bool):
        return [1 if value else 0]
    if kind is FieldType.DECIMAL and isinstance(value, int | float):
        return [int(value) if float(value).is_integer() else value]
    return [value]


def record_id(record: ExportRecord, options: ExportOptions) -> str:
    head = record.head
    if options.records is RecordSet.ALL:
        return f"{head.study_id}-{head.extraction_id}"
    return str(head.study_id)


def import_rows(records: Records, options: ExportOptions) -> Iterator[list[Any]]:
    """One row per record, then one per repeating group row (REDCap's import layout)."""
    forms = instruments(records.template)
    repeats = any(f.group for f in forms)
    widths = [sum(len(_field_names(s)) for s, _ in f.fields) + 1 for f in forms]
    for record in records.records:
        key = record_id(record, options)
        done = COMPLETE if record.head.status in ("submitted", "final") else INCOMPLETE
        main: list[Any] = [key] + (["", ""] if repeats else [])
        for form, width in zip(forms, widths, strict=True):
            if form.group is not None:
                main += [None] * width
                continue
            for spec, _ in form.fields:
                main += _cells(spec, record.fields.get(spec.id), options)
            main.append(done)
        yield main
        for index, form in enumerate(forms):
            if form.group is None:
                continue
            before = sum(widths[:index])
            after = sum(widths[index + 1 :])
            for number, row in enumerate(record.groups.get(form.group.id, ()), start=1):
                cells: list[Any] = [key, form.name, number] + [None] * before
                for spec, _ in form.fields:
                    cells += _cells(spec, row.get(spec.id), options)
                cells.append(done)
                yield cells + [None] * after
