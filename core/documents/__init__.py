"""Document importers: recognise a file's format and turn it into canonical text.

The importers (PDFium, charset detection, HTML and registry parsers) are loaded when a
file first needs them, not when the app starts.
"""

import codecs
import hashlib
import re
from typing import Literal

from core.domain.document import DocumentText

DocumentFormat = Literal["pdf", "ctgov", "html", "text"]

_SNIFF_BYTES = 1024
_HTML_MARKUP = re.compile(r"<!doctype\s+html|<(?:html|head|body)[\s>/]")
_HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
_BOM_CODECS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def sha256_hex(data: bytes) -> str:
    """The SHA-256 content hash of the original bytes, as lowercase hex."""
    return hashlib.sha256(data).hexdigest()


def sniff_format(data: bytes, filename: str, media_type: str | None = None) -> DocumentFormat:
    """Which importer a file needs: its content decides, then media type, then extension.

    A file named or served as a PDF stays a PDF whatever it holds, so that a login page
    saved in place of an article is refused rather than imported as the article.
    """
    from core.documents.ctgov import is_ctgov_record
    from core.documents.text import display_name

    if b"%PDF-" in data[:_SNIFF_BYTES]:
        return "pdf"
    if is_ctgov_record(data):
        return "ctgov"
    mime = (media_type or "").split(";")[0].strip().lower()
    extension = display_name(filename).lower()
    if mime == "application/pdf" or extension.endswith(".pdf"):
        return "pdf"
    if _HTML_MARKUP.search(_peek(data)):
        return "html"
    if mime in ("text/html", "application/xhtml+xml") or extension.endswith(_HTML_EXTENSIONS):
        return "html"
    return "text"


def import_document(data: bytes, filename: str, media_type: str | None = None) -> DocumentText:
    """Turn an original file into canonical text, whatever its format.

    `media_type` is what the file was served or stored as, if known (for example
    "text/html; charset=windows-1252"); its charset is used when the file has no
    byte order mark. Raises DocumentImportError with a message for the reviewer.
    """
    kind = sniff_format(data, filename, media_type)
    charset = _charset(media_type)
    if kind == "pdf":
        from core.documents.pdf import import_pdf

        return import_pdf(data, filename)
    if kind == "ctgov":
        from core.documents.ctgov import import_ctgov

        return import_ctgov(data, filename)
    if kind == "html":
        from core.documents.ctgov import error_page_title, refuse_error_page
        from core.documents.html import import_html

        error_page = error_page_title(data)
        if error_page is not None:
            raise refuse_error_page(error_page, filename)
        return import_html(data, filename, charset)
    from core.documents.text import import_text

    return import_text(data, filename, charset)


def _peek(data: bytes) -> str:
    """The first characters of the content in lowercase, for recognising markup."""
    head = data[: _SNIFF_BYTES * 4]
    for bom, codec in _BOM_CODECS:
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, errors="ignore")[:_SNIFF_BYTES].lower()
    return head[:_SNIFF_BYTES].decode("latin-1").lower()


def _charset(media_type: str | None) -> str | None:
    for parameter in (media_type or "").split(";")[1:]:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


__all__ = [
    "DocumentFormat",
    "import_document",
    "sha256_hex",
    "sniff_format",
]
