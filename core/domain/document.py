"""The canonical text every imported format is turned into."""

from pydantic import BaseModel, ConfigDict


class PageSpan(BaseModel):
    """Code-point range [start, end) of one page in the canonical text."""

    model_config = ConfigDict(frozen=True)

    start: int
    end: int


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
