"""PDF importer: canonical text and page map read by PDFium, bounded in time.

The text rules are in `pdf_text`; `pdf_layout.PdfLayout` ties the same text to the
pages (rectangles, hit-testing, rendering) for the viewer. The file is read in a
separate Python process with a time limit, so that a damaged or hostile PDF can make
the import fail, but never crash or hang the application; that process is started
once and reused from file to file (`pdf_reader_process`).
"""

import re
import sys
from typing import Any

from core.documents.pdf_engine import (
    EXTRACTOR,
    EXTRACTOR_VERSION,
    MAX_PDF_PAGES,
    MEDIA_TYPE,
    UNREADABLE,
    describe_non_pdf,
    refusal,
)
from core.documents.pdf_reader import read_pdf
from core.documents.pdf_reader_process import ReaderStopped, ReaderTimeout, read_in_child
from core.documents.pdf_text import join_pages
from core.documents.text import display_name
from core.domain.document import DocumentText
from core.errors import DocumentImportError

READ_TIMEOUT_SECONDS = 60.0
MAX_PDF_BYTES = 200 * 1024 * 1024
_SPACES = re.compile(r"\s+")


def import_pdf(
    data: bytes,
    filename: str,
    *,
    isolated: bool | None = None,
    timeout: float = READ_TIMEOUT_SECONDS,
    max_pages: int = MAX_PDF_PAGES,
) -> DocumentText:
    """Import a PDF; raises DocumentImportError naming the file when it cannot be read.

    `isolated` (default: yes, except in a frozen build) reads the file in the reader
    child process, which is stopped (and replaced) if it takes over `timeout` seconds.
    """
    name = display_name(filename)
    if not data:
        raise DocumentImportError(f"“{name}” is empty: there is no PDF to import.")
    looks_like = describe_non_pdf(data)
    if looks_like is not None:
        raise DocumentImportError(
            f"“{name}” is not a PDF: it looks like {looks_like}. "
            "Download or export the report as a PDF again."
        )
    if len(data) > MAX_PDF_BYTES:
        raise DocumentImportError(
            f"“{name}” is {len(data) // (1024 * 1024)} MB; PDFs over "
            f"{MAX_PDF_BYTES // (1024 * 1024)} MB are not imported."
        )
    if isolated is None:
        isolated = not getattr(sys, "frozen", False)
    result = (
        _read_isolated(data, name, timeout, max_pages) if isolated else read_pdf(data, max_pages)
    )
    if "error" in result:
        raise refusal(str(result["error"]), filename, int(result.get("pages") or 0), max_pages)
    return _document_text(result, filename)


def _read_isolated(data: bytes, name: str, timeout: float, max_pages: int) -> dict[str, Any]:
    try:
        return read_in_child(data, max_pages, timeout)
    except ReaderTimeout:
        raise DocumentImportError(
            f"Reading “{name}” took longer than {timeout:g} seconds and was stopped. "
            "The file may be damaged; try saving it again from a PDF reader."
        ) from None
    except ReaderStopped:
        raise DocumentImportError(
            f"The PDF reader stopped while reading “{name}”: the file is probably damaged. "
            "Try saving it again from a PDF reader."
        ) from None
    except OSError as exc:
        raise DocumentImportError(
            f"“{name}” could not be read: the PDF reader did not start ({exc.strerror or exc})."
        ) from None


def _document_text(result: dict[str, Any], filename: str) -> DocumentText:
    pages = [str(text) for text in result.get("pages", [])]
    unreadable = sorted(int(index) for index in result.get("unreadable", []))
    if len(unreadable) == len(pages):
        raise refusal(UNREADABLE, filename)
    text, spans = join_pages(pages)
    without_text = [i for i, page in enumerate(pages) if not page.strip() and i not in unreadable]
    warnings: list[str] = []
    if unreadable:
        warnings.append(f"{_pages_named(unreadable)} could not be read and will show blank.")
    if without_text and len(without_text) + len(unreadable) == len(pages):
        warnings.append(
            "This PDF has no text layer (it is probably scanned): its pages can be viewed, "
            "but no text can be selected. Mark evidence as an area of the page and type the value."
        )
    elif without_text:
        warnings.append(
            f"{_pages_named(without_text)} {'has' if len(without_text) == 1 else 'have'} "
            "no text layer (probably scanned): mark evidence "
            "there as an area of the page and type the value."
        )
    title = _SPACES.sub(" ", str(result.get("title") or "")).strip()
    return DocumentText(
        text=text,
        media_type=MEDIA_TYPE,
        extractor=EXTRACTOR,
        extractor_version=EXTRACTOR_VERSION,
        pages=spans,
        title=title or None,
        warnings=tuple(warnings),
    )


def _pages_named(indices: list[int]) -> str:
    """'Page 3' / 'Pages 1, 4–6' for 0-based page indices."""
    runs: list[list[int]] = []
    for index in indices:
        if runs and index == runs[-1][1] + 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    parts = [f"{a + 1}" if a == b else f"{a + 1}–{b + 1}" for a, b in runs]
    return f"Page {parts[0]}" if len(indices) == 1 else f"Pages {', '.join(parts)}"
