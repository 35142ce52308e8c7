"""The canonical text every imported format is turned into."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class PageSpan(BaseModel):
    """Code-point range [start, end) of one page in the canonical text."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int


class SourceSpan(BaseModel):
    """Code-point range [start, end) of the text that shows one value of a structured source.

    `pointer` is an RFC 6901 JSON pointer into the original record, for example
    `/protocolSection/designModule/phases/0`.
    """

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    pointer: str


class DocumentText(BaseModel):
    """Result of an importer: NFC text with `\\n` line ends and how it was made."""

    model_config = ConfigDict(frozen=True)

    text: str
    media_type: str
    extractor: str
    extractor_version: str
    encoding: str | None = None
    pages: tuple[PageSpan, ...] = ()
    title: str | None = None
    warnings: tuple[str, ...] = ()
    spans: tuple[SourceSpan, ...] = ()


class Suggestion(BaseModel):
    """A value offered for a form field from a structured source, never filled by itself.

    `field` is a field path (`phase`, `arms[1].arm_type`); `value` is already in the
    field's form (choice code, int, float, ISO partial date, text) with `unit` for
    decimals; `label` says it in words ("Phase 2, from the registry record");
    [start, end) is the evidence in the document's canonical text and `pointer` the
    JSON pointer of the registry value it comes from.
    """

    model_config = ConfigDict(frozen=True)

    field: str
    value: Any
    unit: str | None = None
    label: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    pointer: str


class FieldSuggestion(BaseModel):
    """A registry value offered for one field of an extraction; filled only when accepted.

    `path` is the field as the form shows it: group rows are the reviewer's own rows,
    paired with the registry's by their key fields. [start, end) is the evidence in
    document `document_id`, `pointer` the JSON pointer of the registry value. `differs`
    is set when the field already holds another answer (a value or a status).
    """

    model_config = ConfigDict(frozen=True)

    path: str
    value: Any
    unit: str | None = None
    label: str
    document_id: int
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    pointer: str
    differs: bool = False
