"""Importing PDFs: canonical text and page map as PDFium reads them, bad files refused."""

import csv
import io
import re
import sys
import time
import unicodedata
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from core.documents import import_document, sniff_format
from core.documents.pdf import import_pdf
from core.errors import DocumentImportError
from core.services.documents import document_text, import_bytes
from core.services.project import Project

DATA = Path(__file__).resolve().parents[2] / "data" / "pdf"
SAMPLES = DATA / "samples"
FOUR_PAGES = SAMPLES / "pdflatex-4-pages.pdf"
ARTICLE = DATA / "rct" / "lancetrespmed-2014-StopAdvisor-rct.pdf"
TEXT_PDFS = [FOUR_PAGES, SAMPLES / "multicolumn.pdf", ARTICLE]
MALFORMED = sorted((DATA / "malformed").glob("*.pdf"))
PDFJS = sorted((DATA / "malformed-pdfjs").glob("*.pdf"))
REPAIRED = {"xref-damaged.pdf", "startxref-wrong.pdf", "nul-padded.pdf"}
REPAIRED |= {"two-eofs-appended-garbage.pdf"}
ENCRYPTED = {"pr6531_1.pdf", "pr6531_2.pdf", "issue3371.pdf", "issue6010_1.pdf"}
LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}


def documented_normalisation(pdfium_text: str) -> str:
    """The rules of core.documents.pdf_text, applied to pypdfium2's own page text."""
    text = pdfium_text.replace("\r\n", "\n").replace("\r", "")
    text = re.sub("\ufffe(?!\n)", "-\n", text).replace("\ufffe", "-")
    text = re.sub("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\uffff]", "", text)
    text = "".join(LIGATURES.get(char, char) for char in text)
    return unicodedata.normalize("NFC", text)


def pypdfium2_pages(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path.read_bytes())
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


@pytest.mark.parametrize("path", TEXT_PDFS, ids=lambda p: p.name)
def test_text_is_pypdfium2_extraction_with_the_documented_normalisation(path: Path) -> None:
    doc = import_document(path.read_bytes(), path.name)
    expected = [documented_normalisation(page) for page in pypdfium2_pages(path)]

    assert sniff_format(path.read_bytes(), path.name) == "pdf"
    assert [doc.text[span.start : span.end] for span in doc.pages] == expected
    assert doc.text == "\n\n".join(expected)
    assert unicodedata.is_normalized("NFC", doc.text)
    assert "\r" not in doc.text
    assert doc.media_type == "application/pdf"
    assert doc.warnings == ()


def test_page_map_of_a_four_page_pdf() -> None:
    doc = import_document(FOUR_PAGES.read_bytes(), FOUR_PAGES.name)

    assert len(doc.pages) == 4
    assert doc.pages[0].start == 0
    assert doc.pages[-1].end == len(doc.text)
    for before, after in zip(doc.pages, doc.pages[1:], strict=False):
        assert after.start == before.end + 2
        assert doc.text[before.end : after.start] == "\n\n"
    assert doc.text[doc.pages[1].start :].startswith("information. Really? Is there no")


def test_extractor_names_pdfium_with_both_versions() -> None:
    doc = import_document(FOUR_PAGES.read_bytes(), FOUR_PAGES.name)

    assert doc.extractor == "pdfium"
    assert pdfium.PYPDFIUM_INFO.tag in doc.extractor_version
    assert pdfium.PDFIUM_INFO.tag in doc.extractor_version


def test_line_end_hyphens_stay_with_their_line_break() -> None:
    doc = import_document(ARTICLE.read_bytes(), ARTICLE.name)

    assert "with face-\nto-face" in doc.text
    assert "parti-\ncipants" in doc.text
    assert "\ufffe" not in doc.text
    assert doc.title is not None and doc.title.startswith("Internet-based intervention")


def test_scanned_pdf_imports_and_says_it_has_no_text_layer() -> None:
    path = SAMPLES / "imagemagick-CCITTFaxDecode.pdf"
    doc = import_document(path.read_bytes(), path.name)

    assert doc.text == ""
    assert len(doc.pages) == 1
    assert len(doc.warnings) == 1
    assert "no text layer" in doc.warnings[0]


def test_some_pages_without_text_are_named() -> None:
    text_pdf = pdfium.PdfDocument(FOUR_PAGES.read_bytes())
    text_pdf.new_page(595, 842, index=1)
    text_pdf.new_page(595, 842, index=2)
    buffer = io.BytesIO()
    text_pdf.save(buffer)
    text_pdf.close()

    doc = import_document(buffer.getvalue(), "with blank pages.pdf")

    assert len(doc.pages) == 6
    assert doc.warnings == (
        "Pages 2–3 have no text layer (probably scanned): mark evidence there as an area "
        "of the page and type the value.",
    )


def test_encrypted_pdf_asks_for_an_unprotected_copy() -> None:
    path = SAMPLES / "libreoffice-writer-password.pdf"

    with pytest.raises(DocumentImportError, match="is protected by a password") as caught:
        import_document(path.read_bytes(), path.name)
    assert "“libreoffice-writer-password.pdf”" in str(caught.value)


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.pdf", "is empty"),
        ("html-named-pdf.pdf", "is not a PDF: it looks like a web page"),
        ("zip-named-pdf.pdf", "is not a PDF: it looks like a ZIP archive"),
        ("random-bytes.pdf", "is not a PDF"),
        ("random-bytes-with-header.pdf", "is damaged or is not a valid PDF"),
        ("truncated-half.pdf", "It may be incomplete"),
    ],
)
def test_bad_pdfs_are_refused_with_what_is_wrong(name: str, words: str) -> None:
    with pytest.raises(DocumentImportError, match=words) as caught:
        import_document((DATA / "malformed" / name).read_bytes(), name)
    assert f"“{name}”" in str(caught.value)


@pytest.mark.parametrize("path", MALFORMED, ids=lambda p: p.name)
def test_every_malformed_pdf_is_refused_cleanly_or_opened(path: Path) -> None:
    started = time.perf_counter()
    try:
        doc = import_document(path.read_bytes(), path.name)
    except DocumentImportError as exc:
        assert path.name not in REPAIRED
        assert f"“{path.name}”" in str(exc)
    else:
        assert path.name in REPAIRED
        original = import_document(FOUR_PAGES.read_bytes(), FOUR_PAGES.name)
        assert doc.text == original.text
        assert doc.pages == original.pages
    assert time.perf_counter() - started < 30


def _pdfjs_expectations() -> dict[str, str]:
    with (DATA / "malformed-pdfjs" / "manifest.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    column = next(key for key in rows[0] if key.startswith("pdfium"))
    return {row["file"]: row[column] for row in rows}


@pytest.mark.parametrize("path", PDFJS, ids=lambda p: p.name)
def test_every_pdfjs_damaged_pdf_is_refused_cleanly_or_opened(path: Path) -> None:
    expected = _pdfjs_expectations()[path.name]
    # A file whose only page fails to load has nothing to show: it is refused too.
    refused = expected.startswith("refused") or expected.startswith("opens: 1 page(s), 0 chars, 1")
    started = time.perf_counter()
    try:
        doc = import_document(path.read_bytes(), path.name)
    except DocumentImportError as exc:
        assert refused, str(exc)
        assert f"“{path.name}”" in str(exc)
        if path.name in ENCRYPTED:
            assert "protected by a password" in str(exc)
    else:
        assert not refused
        pages = int(expected.split(" page(s)")[0].rsplit(" ", 1)[1])
        assert len(doc.pages) == pages
    assert time.perf_counter() - started < 30


def test_a_pdf_without_pages_is_refused() -> None:
    empty = pdfium.PdfDocument.new()
    buffer = io.BytesIO()
    empty.save(buffer)
    empty.close()

    with pytest.raises(DocumentImportError, match=r"“nothing\.pdf” is"):
        import_document(buffer.getvalue(), "nothing.pdf")


def test_too_many_pages_are_refused() -> None:
    with pytest.raises(DocumentImportError, match="has 4 pages; PDFs with more than 3 pages"):
        import_pdf(FOUR_PAGES.read_bytes(), "long.pdf", max_pages=3)


def test_reading_is_stopped_after_the_time_limit() -> None:
    with pytest.raises(DocumentImportError, match=r"took longer than 0\.001 seconds"):
        import_pdf(ARTICLE.read_bytes(), "slow.pdf", timeout=0.001)


def test_a_reader_that_dies_is_reported_as_a_damaged_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "executable", "/bin/false")

    with pytest.raises(DocumentImportError, match=r"stopped while reading “crash\.pdf”"):
        import_pdf(FOUR_PAGES.read_bytes(), "crash.pdf")


def test_isolated_and_in_process_reading_agree() -> None:
    data = ARTICLE.read_bytes()

    assert import_pdf(data, ARTICLE.name, isolated=False) == import_pdf(data, ARTICLE.name)


def test_imported_pdf_is_stored_with_its_page_map(sqlite_project: Project) -> None:
    outcome, _ = import_bytes(sqlite_project, FOUR_PAGES.read_bytes(), FOUR_PAGES.name)

    assert outcome.document is not None
    stored = document_text(sqlite_project, outcome.document.id)
    parsed = import_document(FOUR_PAGES.read_bytes(), FOUR_PAGES.name)
    assert stored.text == parsed.text
    assert stored.pages == parsed.pages
    assert stored.extractor == "pdfium"
