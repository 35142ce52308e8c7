"""Choosing the importer for a file: content first, then media type, then extension."""

import hashlib
from pathlib import Path

import pytest

from core.documents import import_document, sha256_hex, sniff_format
from core.errors import DocumentImportError

REPO = Path(__file__).resolve().parents[3]
SAMPLE_DOCS = sorted((REPO / "sample_docs").glob("*"))
DATA = REPO / "tests" / "data" / "documents"


@pytest.mark.parametrize("path", SAMPLE_DOCS, ids=lambda p: p.name)
def test_sample_documents_are_recognised_as_plain_text(path: Path) -> None:
    data = path.read_bytes()

    assert sniff_format(data, path.name) == "text"
    doc = import_document(data, path.name)
    assert doc.extractor == "text"
    assert doc.text == data.decode("utf-8")


@pytest.mark.parametrize(
    "start",
    [
        b"<!DOCTYPE html>\n<html><body>x</body></html>",
        b"\n\n  <!doctype HTML><p>x</p>",
        b"<html lang='en'><p>x</p></html>",
        b"<!-- saved from url=(0014)about:internet -->\n<HTML>\n<BODY>x</BODY></HTML>",
        b"<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>x</html>",
        b"<meta charset='utf-8'>\n<head><title>t</title></head><p>x</p>",
        b"<body>\n<p>x</p>\n</body>",
        b"\xef\xbb\xbf<!DOCTYPE html><p>x</p>",
        "\ufeff<!DOCTYPE html><p>x</p>".encode("utf-16-le"),
    ],
    ids=["doctype", "late-doctype", "html", "comment", "xhtml", "head", "body", "bom8", "bom16"],
)
def test_html_markup_is_recognised_whatever_the_extension(start: bytes) -> None:
    assert sniff_format(start, "saved page.txt") == "html"
    assert import_document(start, "saved page.txt").text == "x"


def test_html_extension_imports_untagged_content_as_html() -> None:
    data = b"Patients   were\nrandomised &amp; followed."

    for name in ("page.html", "PAGE.HTM", "page.xhtml"):
        assert sniff_format(data, name) == "html"
        assert import_document(data, name).text == "Patients were randomised & followed."


def test_text_that_mentions_tags_in_prose_stays_text() -> None:
    data = b"The <b> tag and the word html appear here; a < b and c > d.\n"

    assert sniff_format(data, "notes.txt") == "text"
    assert import_document(data, "notes.txt").text == data.decode()


def test_media_type_decides_when_the_content_does_not() -> None:
    assert sniff_format(b"Just words", "download", "text/html; charset=utf-8") == "html"
    assert sniff_format(b"Just words", "download.txt", "text/html") == "html"
    assert sniff_format(b"Just words", "download", "text/plain") == "text"
    assert sniff_format(b"<html><p>x</p></html>", "x", "text/plain") == "html"


def test_registry_json_is_recognised_and_other_json_stays_text() -> None:
    record = b'{"protocolSection": {"identificationModule": {"nctId": "NCT05871463"}}}'
    other = b'{"name": "not a registry record"}'

    assert sniff_format(record, "NCT05871463.json") == "ctgov"
    assert import_document(record, "NCT05871463.json").extractor == "ctgov"
    assert sniff_format(other, "other.json") == "text"
    assert import_document(other, "other.json").text == other.decode()


@pytest.mark.parametrize(
    ("data", "filename", "media_type"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "report.pdf", None),
        (b"%PDF-1.4\n", "report.txt", None),
        (b"\r\n%PDF-1.5\n", "report", None),
        (b"not really a pdf", "report.PDF", None),
        (b"bytes", "download", "application/pdf"),
    ],
)
def test_pdfs_are_recognised_by_content_name_or_media_type(
    data: bytes, filename: str, media_type: str | None
) -> None:
    assert sniff_format(data, filename, media_type) == "pdf"
    with pytest.raises(DocumentImportError, match=r"not a valid PDF|is not a PDF") as caught:
        import_document(data, filename, media_type)
    assert f"“{filename}”" in str(caught.value)


def test_a_web_page_saved_as_pdf_is_refused_as_not_a_pdf() -> None:
    page = b"<!doctype html><html><body><h1>Access denied</h1></body></html>"

    assert sniff_format(page, "article.pdf") == "pdf"
    with pytest.raises(DocumentImportError, match=r"“article\.pdf” is not a PDF: .*web page"):
        import_document(page, "article.pdf")


def test_other_binaries_are_refused_by_the_text_importer() -> None:
    with pytest.raises(DocumentImportError, match=r"“scan\.jpg”.*JPEG image"):
        import_document(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "scan.jpg")


def test_sha256_hex_is_the_content_hash_of_the_original_bytes() -> None:
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    data = (DATA / "studie_windows1252.html").read_bytes()
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
