"""Field paths: `enrolled` for a plain field, `arms[2].dose` for row 2 of a group."""

import re
from dataclasses import dataclass

from core.domain import FieldSpec, Template
from core.errors import NotFoundError

_PATH = re.compile(r"^(?:(?P<group>[a-z][a-z0-9_]*)\[(?P<row>\d+)\]\.)?(?P<field>[a-z][a-z0-9_]*)$")


@dataclass(frozen=True)
class FieldPath:
    field: str
    group: str | None = None
    row: int | None = None  # 1-based position within the group

    def __str__(self) -> str:
        if self.group is None:
            return self.field
        return f"{self.group}[{self.row}].{self.field}"

    @property
    def template_id(self) -> str:
        """The id the template knows the field by (`group.field` inside groups)."""
        return self.field if self.group is None else f"{self.group}.{self.field}"


def parse_path(text: str) -> FieldPath:
    match = _PATH.match(text.strip())
    if match is None or (match["row"] is not None and int(match["row"]) < 1):
        raise NotFoundError(f"'{text}' is not a field path (use 'field' or 'group[row].field').")
    row = match["row"]
    return FieldPath(field=match["field"], group=match["group"], row=int(row) if row else None)


def field_spec(template: Template, path: FieldPath) -> FieldSpec:
    spec = template.field(path.template_id)
    if spec is None:
        where = f"group '{path.group}'" if path.group else "the form"
        raise NotFoundError(f"The field '{path.field}' is not in {where} ({template.name}).")
    return spec


def field_key(path: FieldPath, row_id: int | None) -> str:
    """The storage key: stable across row reordering because it uses the row's id."""
    return path.field if path.group is None else f"{path.group}#{row_id}.{path.field}"
