"""The REDCap data dictionary file: its 18 columns, reading it, and its choice lists.

REDCap writes the dictionary with display headers ("Variable / Field Name", ...); its
API uses short names (field_name, ...). Both are read; files are written with the
display headers, which is what REDCap's "Upload data dictionary" expects.
"""

import csv
import io
import re
from pathlib import Path
from typing import NamedTuple

from core.errors import TemplateError
from core.export.csv_files import restore


class RedcapField(NamedTuple):
    """One row of a REDCap data dictionary, every cell as text."""

    field_name: str
    form_name: str
    section_header: str = ""
    field_type: str = "text"
    field_label: str = ""
    select_choices_or_calculations: str = ""
    field_note: str = ""
    text_validation_type_or_show_slider_number: str = ""
    text_validation_min: str = ""
    text_validation_max: str = ""
    identifier: str = ""
    branching_logic: str = ""
    required_field: str = ""
    custom_alignment: str = ""
    question_number: str = ""
    matrix_group_name: str = ""
    matrix_ranking: str = ""
    field_annotation: str = ""


HEADERS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
REQUIRED = ("field_name", "form_name", "field_type", "field_label")


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


_COLUMN_BY_KEY = {_key(h): name for h, name in zip(HEADERS, RedcapField._fields, strict=True)}
_COLUMN_BY_KEY.update({_key(name): name for name in RedcapField._fields})


def parse_dictionary(text: str, source: str) -> list[RedcapField]:
    """Rows of a dictionary's CSV text; `source` names the file in error messages."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise TemplateError(f"{source}: the file is empty") from None
    except csv.Error as exc:
        raise TemplateError(f"{source}, line 1: not a CSV file ({exc})") from None
    columns = [_COLUMN_BY_KEY.get(_key(h)) for h in header]
    missing = [HEADERS[RedcapField._fields.index(n)] for n in REQUIRED if n not in columns]
    if missing:
        raise TemplateError(
            f"{source}: not a REDCap data dictionary: no column "
            + ", ".join(f"'{m}'" for m in missing)
        )
    fields: list[RedcapField] = []
    try:
        for cells in reader:
            values = {
                name: restore(cell).strip() if name == "field_name" else restore(cell)
                for name, cell in zip(columns, cells, strict=False)
                if name is not None
            }
            if not values.get("field_name"):
                continue
            fields.append(RedcapField(**values))
    except csv.Error as exc:
        raise TemplateError(f"{source}, line {reader.line_num}: {exc}") from None
    if not fields:
        raise TemplateError(f"{source}: the dictionary holds no fields")
    return fields


def read_dictionary(path: Path) -> list[RedcapField]:
    """Read a REDCap data dictionary CSV (UTF-8, with or without a byte order mark)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"{path}: the file cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return parse_dictionary(text, path.name)


def parse_choices(text: str) -> list[tuple[str, str]]:
    """`0, No | 1, Yes` -> [("0", "No"), ("1", "Yes")]; also one choice per line."""
    choices = []
    for part in re.split(r"\s*\|\s*|\s*\n\s*", text.strip()):
        if not part.strip():
            continue
        code, sep, label = part.partition(",")
        choices.append((code.strip(), label.strip() if sep else code.strip()))
    return choices


def choices_text(choices: list[tuple[str, str]]) -> str:
    return " | ".join(f"{code}, {label}" for code, label in choices)


def form_title(form: str) -> str:
    """The label a form gets when its dictionary gives none."""
    return form.replace("_", " ").strip().capitalize() or form
