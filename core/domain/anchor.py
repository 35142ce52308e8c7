"""Evidence anchors: where in a document's canonical text a value came from."""

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class AnchorStatus(StrEnum):
    """How well an anchor still points at its quote."""

    EXACT = "exact"  # the stored offsets still quote `exact`
    RELOCATED = "relocated"  # the quote was found unchanged at another place
    FUZZY = "fuzzy"  # a close match was accepted (same digits, high similarity)
    NEEDS_REVIEW = "needs_review"  # a candidate exists but a person must confirm it
    ORPHANED = "orphaned"  # the quote could not be found


class Rect(BaseModel):
    """A rectangle on a PDF page, in PDF points (origin bottom-left)."""

    model_config = ConfigDict(frozen=True)

    page_index: int
    left: float
    bottom: float
    right: float
    top: float


class Anchor(BaseModel):
    """A text-position + text-quote selector (after the W3C Web Annotation model).

    Offsets are code points of the document's canonical text, `end` exclusive.
    """

    model_config = ConfigDict(frozen=True)

    document_id: int
    source_sha256: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    exact: str
    prefix: str = ""
    suffix: str = ""
    page_index: int | None = None
    rects: tuple[Rect, ...] = ()
    status: AnchorStatus = AnchorStatus.EXACT
