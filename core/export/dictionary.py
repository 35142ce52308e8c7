"""The data dictionary: one row per column of every exported table, in table order.

It says what each column holds (label, type, unit, choices as code=label, whether the
form requires it, its range and the template rules that read it), so the CSV files can
be read without the app.
"""

from collections.abc import Iterator
from typing import Any

from core.domain import FieldSpec, FieldType, GroupSpec, Rule, Template
from core.export.evidence import EVIDENCE_PARTS
from core.export.options import EvidenceMode, ExportOptions, RecordSet
from core.export.tables import UNIT_SUFFIX
from core.rules import RuleExpressionError, analyse

HEADER = [
    "table",
    "id",
    "label",
    "type",
    "format",
    "unit",
    "choices",
    "required",
    "min",
    "max",
    "status_codes",
    "rules",
    "section",
    "help",
]
FORMATS = {
    FieldType.TEXT: "text",
    FieldType.LONG_TEXT: "text, may hold line breaks",
    FieldType.INTEGER: "whole number",
    FieldType.DECIMAL: "number, '.' as decimal mark",
    FieldType.PARTIAL_DATE: "YYYY, YYYY-MM or YYYY-MM-DD",
    FieldType.SINGLE_CHOICE: "one code",
    FieldType.MULTIPLE_CHOICE: "codes separated by '{sep}'",
    FieldType.BOOLEAN: "1 = yes, 0 = no",
}
EVIDENCE_WORDS = {
    "quote": ("the quoted passage", "text"),
    "document": ("file name of the document quoted", "text"),
    "page": ("page of the passage, from 1", "integer"),
    "start": ("start of the passage: code point offset in the document's text", "integer"),
    "end": ("end of the passage (exclusive): code point offset", "integer"),
}


def _number(value: float | None) -> Any:
    if value is None:
        return None
    return int(value) if value.is_integer() else value


def _usage(rule: Rule) -> tuple[set[str], set[tuple[str, str]]]:
    free: set[str] = set()
    members: set[tuple[str, str]] = set()
    for expr in (rule.check, rule.when):
        if expr is None:
            continue
        try:
            usage = analyse(expr)
        except RuleExpressionError:
            continue
        free |= usage.free
        members |= usage.members
    return free, members


def rules_by_field(template: Template) -> dict[str, list[Rule]]:
    """The rules that read each field: plain fields by id, group fields as `group.field`."""
    found: dict[str, list[Rule]] = {}
    for rule in template.rules:
        free, members = _usage(rule)
        for name in free:
            found.setdefault(name, []).append(rule)
        for group, member in members:
            found.setdefault(f"{group}.{member}", []).append(rule)
    return found


def _rule_text(rules: list[Rule]) -> str:
    parts = []
    for rule in rules:
        when = f" (when {rule.when})" if rule.when else ""
        parts.append(f"{rule.id}: {rule.check}{when}")
    return " | ".join(parts)


def _key_rows(table: str, options: ExportOptions, *, long: bool) -> Iterator[list[Any]]:
    yield [table, "study_id", "Study id in the project", "integer", "whole number"]
    yield [table, "study", "Study name", "text", "text"]
    if options.records is not RecordSet.FINAL:
        yield [table, "reviewer", "Reviewer (for a final record, its adjudicator)", "text", "text"]
    if options.records is RecordSet.ALL:
        yield [
            table,
            "record",
            "reviewer = one reviewer's extraction, final = final record",
            "single_choice",
            "one code",
        ]
    if long:
        yield [
            table,
            "row",
            "Row number within the study's record, from 1",
            "integer",
            "whole number",
        ]
    else:
        yield [
            table,
            "status",
            "Status of the record: in_progress, submitted or final",
            "single_choice",
            "one code",
        ]


def _field_rows(
    table: str,
    spec: FieldSpec,
    section: str,
    rules: list[Rule],
    options: ExportOptions,
) -> Iterator[list[Any]]:
    units = [u for u in (spec.unit, *spec.units) if u]
    yield [
        table,
        spec.id,
        spec.label,
        spec.type.value,
        FORMATS[spec.type].format(sep=options.multi_separator),
        spec.unit,
        " | ".join(f"{c.code}={c.label}" for c in spec.choices),
        "yes" if spec.required else "no",
        _number(spec.min),
        _number(spec.max),
        options.codes.words(),
        _rule_text(rules),
        section,
        spec.help,
    ]
    if spec.units:
        label = f"Unit of {spec.label}"
        choices = " | ".join(f"{u}={u}" for u in units)
        yield [table, spec.id + UNIT_SUFFIX, label, "single_choice", "one code", None, choices]
    if options.evidence is EvidenceMode.COLUMNS:
        for part in EVIDENCE_PARTS:
            words, kind = EVIDENCE_WORDS[part]
            yield [table, f"{spec.id}__{part}", f"{spec.label}: {words}", kind, kind]


def _pad(row: list[Any]) -> list[Any]:
    return row + [None] * (len(HEADER) - len(row))


def dictionary_rows(
    template: Template, options: ExportOptions, tables: dict[str, str]
) -> Iterator[list[Any]]:
    """Rows for `dictionary.csv`. `tables` names the file of the wide table ("") and of
    each group's long table (by group id)."""
    rules = rules_by_field(template)
    wide = tables[""]
    for row in _key_rows(wide, options, long=False):
        yield _pad(row)
    for section, spec in template.plain_fields():
        for row in _field_rows(wide, spec, section.label, rules.get(spec.id, []), options):
            yield _pad(row)
    for section, group in template.groups():
        yield from _group_rows(tables[group.id], group, section.label, rules, options)


def _group_rows(
    table: str, group: GroupSpec, section: str, rules: dict[str, list[Rule]], options: ExportOptions
) -> Iterator[list[Any]]:
    for row in _key_rows(table, options, long=True):
        yield _pad(row)
    for spec in group.fields:
        own = rules.get(f"{group.id}.{spec.id}", [])
        for row in _field_rows(table, spec, f"{section} › {group.label}", own, options):
            yield _pad(row)
