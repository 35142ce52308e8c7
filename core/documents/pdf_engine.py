"""The one PDF engine (PDFium via pypdfium2): its lock, version and opening errors."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from core.documents.text import display_name
from core.errors import DocumentImportError

EXTRACTOR = "pdfium"
# Bump when the rules that turn PDFium characters into canonical text change.
TEXT_RULES_VERSION = "1"
EXTRACTOR_VERSION = (
    f"{TEXT_RULES_VERSION} (pypdfium2 {pdfium.PYPDFIUM_INFO.tag}, PDFium {pdfium.PDFIUM_INFO.tag})"
)
MEDIA_TYPE = "application/pdf"
MAX_PDF_PAGES = 5000

# PDFium keeps global state and is not thread-safe: every call into it, from core or
# from the GUI (rendering), must hold this lock.
PDFIUM_LOCK = threading.RLock()

# Error kinds shared by the in-process reader and the isolated worker.
PASSWORD = "password"
SECURITY = "security"
FORMAT = "format"
NO_PAGES = "no_pages"
TOO_MANY_PAGES = "too_many_pages"
UNREADABLE = "unreadable"


class PdfOpenError(Exception):
    """PDFium refused a document; `kind` is one of the error kinds above."""

    def __init__(self, kind: str, pages: int = 0) -> None:
        super().__init__(kind)
        self.kind = kind
        self.pages = pages


@contextmanager
def opened_pdf(data: bytes, max_pages: int = MAX_PDF_PAGES) -> Iterator[pdfium.PdfDocument]:
    """Open PDF bytes under the lock; raise PdfOpenError when PDFium refuses them."""
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise PdfOpenError(_kind_of(exc.err_code)) from None
        count = len(document)
    try:
        if count == 0:
            raise PdfOpenError(NO_PAGES)
        if count > max_pages:
            raise PdfOpenError(TOO_MANY_PAGES, count)
        yield document
    finally:
        with PDFIUM_LOCK:
            document.close()


def _kind_of(err_code: int | None) -> str:
    if err_code == pdfium_c.FPDF_ERR_PASSWORD:
        return PASSWORD
    if err_code == pdfium_c.FPDF_ERR_SECURITY:
        return SECURITY
    return FORMAT


def refusal(
    kind: str, filename: str, pages: int = 0, limit: int = MAX_PDF_PAGES
) -> DocumentImportError:
    """The message a reviewer sees when a PDF cannot be imported."""
    name = display_name(filename)
    messages = {
        PASSWORD: f"“{name}” is protected by a password. Open it in a PDF reader, save or "
        "print a copy without the protection, and import that copy.",
        SECURITY: f"“{name}” is encrypted in a way that cannot be read. Save or print a copy "
        "without the protection in a PDF reader, and import that copy.",
        FORMAT: f"“{name}” is damaged or is not a valid PDF: its structure cannot be read "
        "(data format error). It may be incomplete, for example an interrupted download; "
        "download or export it again.",
        NO_PAGES: f"“{name}” is a PDF without any pages: there is nothing to import.",
        TOO_MANY_PAGES: f"“{name}” has {pages:,} pages; PDFs with more than "
        f"{limit:,} pages are not imported. Split it and import the part you need.",
        UNREADABLE: f"None of the pages of “{name}” can be read: the file is damaged.",
    }
    return DocumentImportError(messages.get(kind, messages[FORMAT]))


def describe_non_pdf(data: bytes) -> str | None:
    """What bytes that are not PDF data look like, or None if they may be a PDF."""
    head = data[:1024]
    if b"%PDF-" in head:
        return None
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "a ZIP archive (for example a Word .docx file)"
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "a web page (HTML), perhaps a login or error page saved in place of the PDF"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")):
        return "an image"
    return "data of another kind"
