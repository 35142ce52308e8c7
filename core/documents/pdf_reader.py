"""Reading PDFium's characters page by page, under the lock, as fast as PDFium gives them."""

import ctypes
import re
from dataclasses import dataclass
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from core.documents.pdf_engine import MAX_PDF_PAGES, PDFIUM_LOCK, PdfOpenError, opened_pdf
from core.documents.pdf_geometry import PageGeometry
from core.documents.pdf_text import PageText, canonical_text, normalise_codes

_SURROGATE = re.compile("[\ud800-\udfff]")
_LETTER_PAGE = PageGeometry(0.0, 0.0, 612.0, 792.0)


@dataclass(frozen=True)
class PageRead:
    """One page as read: PDFium's characters (one per character index) and canonical text."""

    characters: str
    text: str
    geometry: PageGeometry = _LETTER_PAGE
    readable: bool = True

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())

    def offset_map(self) -> PageText:
        """The canonical text with its map to PDFium character indices (built on demand)."""
        return normalise_codes([ord(char) for char in self.characters])


UNREADABLE_PAGE = PageRead("", "", _LETTER_PAGE, readable=False)


def page_characters(textpage: pdfium.PdfTextPage) -> str:
    """PDFium's characters of a text page, one per character index.

    One call for the whole page when PDFium's text output lines up with its character
    list (the usual case); otherwise character by character.
    """
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    units = ctypes.string_at(buffer, max(written - 1, 0) * 2)
    text = units.decode("utf-16-le", errors="surrogatepass")
    if len(text) == count and not _SURROGATE.search(text):
        return text
    unicode = pdfium_c.FPDFText_GetUnicode
    codes = (unicode(raw, index) for index in range(count))
    return "".join(chr(code) if code <= 0x10FFFF else "\x00" for code in codes)


def read_page(document: pdfium.PdfDocument, index: int) -> PageRead:
    """One page's characters and canonical text; an unreadable page reads as empty."""
    with PDFIUM_LOCK:
        try:
            page = document[index]
        except pdfium.PdfiumError:
            return UNREADABLE_PAGE
        try:
            left, bottom, right, top = page.get_cropbox()
            geometry = PageGeometry(left, bottom, right, top, page.get_rotation() % 360)
            textpage = page.get_textpage()
            try:
                characters = page_characters(textpage)
            finally:
                textpage.close()
        except pdfium.PdfiumError:
            return UNREADABLE_PAGE
        finally:
            page.close()
    return PageRead(characters, canonical_text(characters), geometry)


def read_pages(document: pdfium.PdfDocument) -> list[PageRead]:
    """Every page; the lock is taken page by page so that renders can interleave."""
    with PDFIUM_LOCK:
        count = len(document)
    return [read_page(document, index) for index in range(count)]


def read_pdf(data: bytes, max_pages: int = MAX_PDF_PAGES) -> dict[str, Any]:
    """Page texts, unreadable page indices and title as plain data; or the kind of error."""
    try:
        with opened_pdf(data, max_pages) as document:
            pages = read_pages(document)
            with PDFIUM_LOCK:
                title = document.get_metadata_value("Title")
    except PdfOpenError as exc:
        return {"error": exc.kind, "pages": exc.pages}
    return {
        "pages": [page.text for page in pages],
        "unreadable": [index for index, page in enumerate(pages) if not page.readable],
        "title": title,
    }
