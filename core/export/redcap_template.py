"""REDCap in: a form template made from a REDCap data dictionary.

Each REDCap form becomes a section (a section header inside a form starts a further
section, `form__2`, which exports back into the same form); forms named as repeating
become repeating groups. Field types map the other way round from `export.redcap`;
REDCap's date min/max become a template rule (`<field>_range`) that the checks apply and
the REDCap export turns back into min/max. What a template cannot hold (identifier
flags, branching logic, calculations, file and descriptive fields, text validations
other than numbers and dates...) is left out and listed in the notes, one line per kind.
The result goes through the template parser, so it loads like any template file.
"""

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from core.domain import Template
from core.errors import TemplateError
from core.export.redcap import date_range_check, date_range_rule_id
from core.export.redcap_format import RedcapField, form_title, parse_choices
from core.templates import parse_template

IDENT = re.compile(r"^[a-z][a-z0-9_]*$")
ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
NUMBER_VALIDATIONS = re.compile(r"^number(?:_\d+dp)?(?:_comma_decimal)?$")
DATE_VALIDATIONS = ("date_ymd", "date_mdy", "date_dmy")
CHOICE_TYPES = {
    "radio": "single_choice",
    "dropdown": "single_choice",
    "checkbox": "multiple_choice",
}
SKIPPED_TYPES = {
    "descriptive": "descriptive text (not a question)",
    "file": "file upload or signature",
    "sql": "dynamic SQL list",
}
IGNORED_COLUMNS = {
    "identifier": "identifier flags",
    "branching_logic": "branching logic (every field is always shown)",
    "custom_alignment": "custom alignment",
    "question_number": "survey question numbers",
    "matrix_group_name": "matrix groups",
    "matrix_ranking": "matrix ranking",
    "field_annotation": "field annotations",
}


def identifier(text: str) -> str:
    """A template id from any name: lower case, other signs as '_', starting with a letter."""
    clean = re.sub(r"[^a-z0-9_]+", "_", text.strip().lower()).strip("_")
    if not clean or not clean[0].isalpha():
        clean = f"f_{clean}"
    return clean


@dataclass
class RedcapImport:
    """A template made from a dictionary, and what of the dictionary it could not hold."""

    template: Template
    notes: list[str]


@dataclass
class _Form:
    name: str
    repeating: bool
    sections: list[dict[str, Any]] = field(default_factory=list)


class _Notes:
    def __init__(self) -> None:
        self.by_kind: dict[str, list[str]] = {}

    def add(self, kind: str, name: str) -> None:
        self.by_kind.setdefault(kind, []).append(name)

    def lines(self) -> list[str]:
        lines = []
        for kind, names in self.by_kind.items():
            shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
            lines.append(f"{kind}: {shown}.")
        return lines


def _number(text: str, name: str, notes: _Notes) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        notes.add("Ranges that are not numbers were left out", f"{name} ({text})")
        return None


def _spec(
    row: RedcapField, name: str, notes: _Notes
) -> tuple[dict[str, Any] | None, tuple[str, str]]:
    """The field of a dictionary row (None when skipped) and its date range."""
    kind = row.field_type.strip().lower()
    validation = row.text_validation_type_or_show_slider_number.strip().lower()
    spec: dict[str, Any] = {"id": name, "label": row.field_label.strip() or name}
    if row.field_note.strip():
        spec["help"] = row.field_note
    if row.required_field.strip().lower() in ("y", "yes", "1"):
        spec["required"] = True
    dates = ("", "")
    if kind in SKIPPED_TYPES:
        notes.add(f"Left out, {SKIPPED_TYPES[kind]}", name)
        return None, dates
    if kind in CHOICE_TYPES:
        choices = parse_choices(row.select_choices_or_calculations)
        unique: dict[str, str] = {}
        for code, label in choices:
            if code and code not in unique:
                unique[code] = label
        if not unique:
            notes.add("Choice fields without choices became text fields", name)
            spec["type"] = "text"
            return spec, dates
        spec["type"] = CHOICE_TYPES[kind]
        spec["choices"] = [{"code": c, "label": lab} for c, lab in unique.items()]
        if kind == "dropdown":
            notes.add("Drop-down lists become choices exported as radio buttons", name)
        return spec, dates
    if kind in ("yesno", "truefalse"):
        spec["type"] = "boolean"
        if kind == "truefalse":
            notes.add("True/false fields become yes/no fields", name)
        return spec, dates
    if kind == "notes":
        spec["type"] = "long_text"
        return spec, dates
    if kind == "calc":
        notes.add("Calculated fields are entered by hand (their formula is not kept)", name)
        spec["type"] = "decimal"
        return spec, dates
    if kind == "slider":
        spec["type"] = "integer"
        spec["min"] = _number(row.text_validation_min, name, notes) or 0
        spec["max"] = _number(row.text_validation_max, name, notes)
        spec["max"] = 100 if spec["max"] is None else spec["max"]
        notes.add("Sliders become whole numbers (their labels are not kept)", name)
        return spec, dates
    if kind != "text":
        notes.add(f"Unknown field type '{kind}' became text", name)
        spec["type"] = "text"
        return spec, dates
    if validation == "integer" or NUMBER_VALIDATIONS.match(validation):
        spec["type"] = "integer" if validation == "integer" else "decimal"
        if validation not in ("integer", "number"):
            notes.add("Decimal places and comma decimal marks are not kept", name)
        low = _number(row.text_validation_min, name, notes)
        high = _number(row.text_validation_max, name, notes)
        if low is not None:
            spec["min"] = low
        if high is not None:
            spec["max"] = high
        return spec, dates
    if validation in DATE_VALIDATIONS:
        spec["type"] = "partial_date"
        if validation != "date_ymd":
            notes.add("Dates are written year-month-day (exported as date_ymd)", name)
        bounds = tuple(
            b.strip() if ISO_DATE.match(b.strip()) else ""
            for b in (row.text_validation_min, row.text_validation_max)
        )
        dropped = [
            b
            for b in (row.text_validation_min, row.text_validation_max)
            if b.strip() and not ISO_DATE.match(b.strip())
        ]
        if dropped:
            notes.add(
                "Date limits that are not dates were left out", f"{name} ({', '.join(dropped)})"
            )
        return spec, (bounds[0], bounds[1])
    spec["type"] = "text"
    if validation:
        notes.add("Text validations that are not checked", f"{name} ({validation})")
    return spec, dates


def template_from_redcap(
    rows: list[RedcapField],
    *,
    template_id: str,
    name: str,
    repeating: Collection[str] = (),
    source: str = "REDCap dictionary",
) -> RedcapImport:
    """Build a template from dictionary rows. The first row is REDCap's record id: it
    becomes the study and is not a field of the form. Raises TemplateError when the
    result is not a valid template."""
    if not rows:
        raise TemplateError(f"{source}: the dictionary holds no fields")
    notes = _Notes()
    forms_named = {r.form_name.strip() for r in rows}
    unknown = sorted(set(repeating) - forms_named)
    if unknown:
        raise TemplateError(f"{source}: there is no form called {', '.join(unknown)}")
    first = rows[0]
    if first.field_name != "record_id":
        notes.add(
            "The first field is REDCap's record id; it is the study and exported as record_id",
            first.field_name,
        )
    forms: dict[str, _Form] = {}
    rules: list[dict[str, Any]] = []
    headers: dict[str, str] = {}  # a section header waiting for the form's next field
    for row in rows[1:]:
        form_name = row.form_name.strip()
        if not form_name:
            notes.add("Fields without a form were left out", row.field_name)
            continue
        form = forms.get(form_name)
        if form is None:
            form = forms[form_name] = _Form(form_name, form_name in repeating)
        if row.section_header.strip():
            headers[form_name] = row.section_header.strip()
        field_id = identifier(row.field_name)
        if field_id != row.field_name:
            notes.add("Variable names changed to template ids", f"{row.field_name} -> {field_id}")
        for column, words in IGNORED_COLUMNS.items():
            if getattr(row, column).strip():
                notes.add(f"Not kept, {words}", row.field_name)
        spec, (low, high) = _spec(row, field_id, notes)
        if spec is None:
            continue
        _place(form, spec, headers.pop(form_name, None), notes)
        if low or high:
            group = identifier(form_name) if form.repeating else None
            check = date_range_check(field_id, low, high, group)
            span = " and ".join(
                p
                for p in (
                    f"on or after {low}" if low else "",
                    f"on or before {high}" if high else "",
                )
                if p
            )
            rules.append(
                {
                    "id": date_range_rule_id(field_id),
                    "check": check,
                    "severity": "warning",
                    "message": f"{spec['label']} should be {span}.",
                }
            )
    sections = [s for form in forms.values() for s in form.sections]
    empty = [f.name for f in forms.values() if not f.sections]
    for form_name in empty:
        notes.add("Forms left out because none of their fields could be kept", form_name)
    if not sections:
        raise TemplateError(f"{source}: none of the dictionary's fields can be a form field")
    data = {
        "id": identifier(template_id),
        "name": name,
        "version": "1",
        "description": f"Made from the REDCap data dictionary {source}.",
        "sections": sections,
        "rules": rules,
    }
    template = parse_template(json.dumps(data), source, "json")
    return RedcapImport(template, notes.lines())


def _place(form: _Form, spec: dict[str, Any], header: str | None, notes: _Notes) -> None:
    """Add a field to its form: a header starts a new section, except in a repeating form."""
    form_id = identifier(form.name)
    if form.repeating:
        if not form.sections:
            label = header or form_title(form_id)
            group = {"id": form_id, "label": label, "fields": []}
            form.sections.append({"id": form_id, "label": label, "groups": [group]})
        elif header:
            notes.add("Section headers inside repeating forms are not kept", spec["id"])
        form.sections[0]["groups"][0]["fields"].append(spec)
        return
    if not form.sections:
        form.sections.append({"id": form_id, "label": header or form_title(form_id), "fields": []})
    elif header:
        number = len(form.sections) + 1
        form.sections.append({"id": f"{form_id}__{number}", "label": header, "fields": []})
    form.sections[-1]["fields"].append(spec)
