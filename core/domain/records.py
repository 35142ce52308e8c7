"""Read models handed to the GUI and the CLI: plain values, never ORM objects."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from core.domain.anchor import Anchor


class FieldStatus(StrEnum):
    VALUE = "value"
    NOT_REPORTED = "not_reported"
    NOT_APPLICABLE = "not_applicable"
    UNCLEAR = "unclear"


class ExtractionStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    FINAL = "final"


class ReviewerInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str


class DocumentInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    study_id: int
    filename: str
    media_type: str
    sha256: str
    size: int
    extractor: str
    extractor_version: str
    encoding: str | None
    char_count: int
    imported_at: datetime


class ExtractionInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    study_id: int
    reviewer: str
    status: ExtractionStatus
    template_version: str
    kind: str = "reviewer"  # "final" for a study's adjudicated record


class StudyInfo(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: int
    name: str
    documents: tuple[DocumentInfo, ...] = ()
    extractions: tuple[ExtractionInfo, ...] = ()


class FieldValueInfo(BaseModel):
    """One answer of an extraction. `path` is `field` or `group[row].field`.

    `row` is the 1-based position of the group row, None for plain fields. `version`
    counts the stored changes; pass it back as `expected_version` when editing.
    """

    model_config = ConfigDict(frozen=True)

    path: str
    field_id: str
    group_id: str | None
    row: int | None
    status: FieldStatus
    raw_text: str
    value: Any
    unit: str | None
    note: str
    anchors: tuple[Anchor, ...] = ()
    updated_by: str
    updated_at: datetime
    version: int = 1

    @property
    def has_evidence(self) -> bool:
        return bool(self.anchors)
