"""Pydantic v2 models shared by every layer: the language of the domain."""

from core.domain.anchor import Anchor, AnchorStatus, Rect
from core.domain.changes import Changes
from core.domain.document import DocumentText, PageSpan
from core.domain.findings import Finding, Tally, tally
from core.domain.records import (
    DocumentInfo,
    ExtractionInfo,
    ExtractionStatus,
    FieldStatus,
    FieldValueInfo,
    ReviewerInfo,
    StudyInfo,
)
from core.domain.template import (
    Choice,
    FieldSpec,
    FieldType,
    GroupSpec,
    Rule,
    Section,
    Severity,
    Template,
)
from core.domain.values import ParseResult

__all__ = [
    "Anchor",
    "AnchorStatus",
    "Changes",
    "Choice",
    "DocumentInfo",
    "DocumentText",
    "ExtractionInfo",
    "ExtractionStatus",
    "FieldSpec",
    "FieldStatus",
    "FieldType",
    "FieldValueInfo",
    "Finding",
    "GroupSpec",
    "PageSpan",
    "ParseResult",
    "Rect",
    "ReviewerInfo",
    "Rule",
    "Section",
    "Severity",
    "StudyInfo",
    "Tally",
    "Template",
    "tally",
]
