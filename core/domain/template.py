"""The extraction form: sections, fields, repeating groups and CEL rules."""

from collections.abc import Iterator
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

IDENT = r"^[a-z][a-z0-9_]*$"


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PARTIAL_DATE = "partial_date"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    BOOLEAN = "boolean"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Choice(BaseModel):
    """One allowed answer: a stable code, a label, and words that mean it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(min_length=1)
    label: str
    synonyms: tuple[str, ...] = ()


class FieldSpec(BaseModel):
    """One question of the form. `id` is stable: it names export columns."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=IDENT)
    label: str
    type: FieldType
    required: bool = False
    help: str = ""
    unit: str | None = None  # default unit of a decimal or integer
    units: tuple[str, ...] = ()  # other units a reviewer may pick
    min: float | None = None
    max: float | None = None
    choices: tuple[Choice, ...] = ()
    # How far two reviewers' numbers may differ and still agree: `tolerance` in the
    # field's unit, `relative_tolerance` as a fraction of the larger value (0.05 = 5 %).
    tolerance: float | None = Field(default=None, ge=0)
    relative_tolerance: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _check(self) -> "FieldSpec":
        is_choice = self.type in (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE)
        if is_choice and not self.choices:
            raise ValueError(f"field '{self.id}' is a {self.type} field without choices")
        if not is_choice and self.choices:
            raise ValueError(f"field '{self.id}' has choices but its type is {self.type}")
        codes = [c.code for c in self.choices]
        if len(set(codes)) != len(codes):
            raise ValueError(f"field '{self.id}' repeats a choice code")
        numeric = self.type in (FieldType.INTEGER, FieldType.DECIMAL)
        if not numeric and (self.tolerance or self.relative_tolerance):
            raise ValueError(f"field '{self.id}' has a tolerance but is not a number field")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"field '{self.id}' has min {self.min} above max {self.max}")
        return self

    def choice(self, code: str) -> Choice | None:
        return next((c for c in self.choices if c.code == code), None)


class GroupSpec(BaseModel):
    """A repeating group (arms, outcomes, adverse events): a table of rows."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=IDENT)
    label: str
    help: str = ""
    fields: tuple[FieldSpec, ...] = Field(min_length=1)
    key_fields: tuple[str, ...] = ()  # used to align rows of two reviewers

    @model_validator(mode="after")
    def _check(self) -> "GroupSpec":
        ids = {f.id for f in self.fields}
        unknown = [k for k in self.key_fields if k not in ids]
        if unknown:
            raise ValueError(f"group '{self.id}' names unknown key field(s) {unknown}")
        return self

    def field(self, field_id: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.id == field_id), None)


class Rule(BaseModel):
    """A cross-field rule in CEL: when `when` holds, `check` must hold."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=IDENT)
    check: str = Field(min_length=1)
    when: str | None = None
    severity: Severity = Severity.ERROR
    message: str


class Section(BaseModel):
    """A titled part of the form holding plain fields and repeating groups."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=IDENT)
    label: str
    fields: tuple[FieldSpec, ...] = ()
    groups: tuple[GroupSpec, ...] = ()


class Template(BaseModel):
    """A versioned extraction form. Field ids are unique across the template."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=IDENT)
    name: str
    version: str = "1"
    description: str = ""
    sections: tuple[Section, ...] = Field(min_length=1)
    rules: tuple[Rule, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> "Template":
        seen: set[str] = set()
        for name in self._all_names():
            if name in seen:
                raise ValueError(f"the id '{name}' is used twice in the template")
            seen.add(name)
        rule_ids = [r.id for r in self.rules]
        if len(set(rule_ids)) != len(rule_ids):
            raise ValueError("two rules share an id")
        return self

    def _all_names(self) -> Iterator[str]:
        for section in self.sections:
            yield from (f.id for f in section.fields)
            for group in section.groups:
                yield group.id
                yield from (f"{group.id}.{f.id}" for f in group.fields)

    def plain_fields(self) -> Iterator[tuple[Section, FieldSpec]]:
        for section in self.sections:
            for spec in section.fields:
                yield section, spec

    def groups(self) -> Iterator[tuple[Section, GroupSpec]]:
        for section in self.sections:
            for group in section.groups:
                yield section, group

    def field(self, field_id: str) -> FieldSpec | None:
        """A plain field by id, or a group field by `group.field`."""
        group_id, _, inner = field_id.partition(".")
        if inner:
            group = self.group(group_id)
            return group.field(inner) if group else None
        return next((f for _, f in self.plain_fields() if f.id == field_id), None)

    def group(self, group_id: str) -> GroupSpec | None:
        return next((g for _, g in self.groups() if g.id == group_id), None)
