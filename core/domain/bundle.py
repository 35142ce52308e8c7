"""The JSON bundle: a reviewer's extractions with evidence, for exchange and scripts."""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.domain.anchor import Rect
from core.domain.records import ExtractionStatus, FieldStatus


class BundleDocument(BaseModel):
    """A document the evidence points into, identified by the SHA-256 of its bytes."""

    model_config = ConfigDict(extra="forbid")

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    filename: str
    media_type: str
    study: str


class BundleEvidence(BaseModel):
    """One passage: code-point offsets into the document's canonical text plus its quote."""

    model_config = ConfigDict(extra="forbid")

    document_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    exact: str
    prefix: str = ""
    suffix: str = ""
    page_index: int | None = None
    # Where the passage stands on a PDF page, or the area marked on a scanned page.
    rects: list[Rect] = Field(default_factory=list, max_length=10_000)


MAX_TEXT = 200_000  # characters in one value, quote or note


class BundleValue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="'field' or 'group[row].field', rows counted from 1")
    status: FieldStatus = FieldStatus.VALUE
    value: Any = None
    unit: str | None = None
    raw_text: str = ""
    note: str = ""
    evidence: list[BundleEvidence] = []

    @field_validator("value", "raw_text", "note")
    @classmethod
    def _not_huge(cls, text: Any) -> Any:
        if len(str(text)) > MAX_TEXT:
            raise ValueError(f"longer than {MAX_TEXT:,} characters")
        return text


class BundleExtraction(BaseModel):
    model_config = ConfigDict(extra="forbid")

    study: str
    reviewer: str
    status: ExtractionStatus = ExtractionStatus.IN_PROGRESS
    rows: dict[str, int] = Field(default_factory=dict, description="rows per repeating group")
    values: list[BundleValue] = []


class Bundle(BaseModel):
    """Top level of a bundle file."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["trial-abstractor-bundle"] = "trial-abstractor-bundle"
    version: Literal[1] = 1
    template_id: str
    template_version: str
    documents: list[BundleDocument] = []
    extractions: list[BundleExtraction] = []


def bundle_json_schema() -> dict[str, Any]:
    schema = Bundle.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Trial Abstractor bundle"
    return schema
