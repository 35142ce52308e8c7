"""Plain text import: encodings, line ends, normal form and refusals a reviewer sees."""

import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.documents import import_document
from core.documents.text import EXTRACTOR, EXTRACTOR_VERSION, canonical_text, import_text
from core.domain.document import PageSpan
from core.errors import DocumentImportError

REPO = Path(__file__).resolve().parents[3]
SAMPLE_DOCS = sorted((REPO / "sample_docs").glob("*.txt"))
DATA = REPO / "tests" / "data" / "documents"


def test_sample_documents_are_present() -> None:
    assert len(SAMPLE_DOCS) >= 5


@pytest.mark.parametrize("path", SAMPLE_DOCS, ids=lambda p: p.name)
def test_sample_document_imports_as_utf8_text_unchanged(path: Path) -> None:
    data = path.read_bytes()
    expected = unicodedata.normalize("NFC", data.decode("utf-8").replace("\r\n", "\n"))

    doc = import_document(data, path.name)

    assert doc.extractor == EXTRACTOR == "text"
    assert doc.extractor_version == EXTRACTOR_VERSION
    assert doc.media_type == "text/plain"
    assert doc.encoding == "utf-8"
    assert doc.text == expected
    assert doc.pages == (PageSpan(start=0, end=len(expected)),)
    assert doc.warnings == ()
    assert doc.title is None


def test_windows_1252_protocol_file_reads_umlauts_and_quotes() -> None:
    doc = import_document((DATA / "protokoll_cp1252.txt").read_bytes(), "protokoll_cp1252.txt")

    assert doc.encoding == "cp1252"
    assert doc.text.splitlines() == [
        "Studienprotokoll – Kurzfassung",
        "",
        "Titel: Wirksamkeit von Exosomen aus mesenchymalen Stammzellen bei Morbus Crohn",
        "Prüfzentrum: Universitätsklinikum Würzburg, Dr. Jürgen Weiß",
        "",
        "Einschlusskriterien: Alter >= 18 Jahre; Fistelgröße unter 2 cm; "
        "schriftliche Einwilligung.",
        "Die Patienten (n = 40) erhielten über 12 Wochen eine „einmalige“ Injektion "
        "von 1 × 10^6 Zellen/kg.",
        "Primärer Endpunkt: vollständige Fistelheilung nach 24 Wochen.",
    ]
    assert "\r" not in doc.text
    assert doc.pages == (PageSpan(start=0, end=len(doc.text)),)


def test_french_windows_1252_text_with_curly_apostrophe_and_ligature() -> None:
    original = "L’étude a inclus 45 patients ; le cœur du protocole était la tolérance à 12 mois."
    doc = import_text(original.encode("cp1252"), "resume.txt")

    assert doc.text == original
    assert doc.encoding == "cp1252"


def test_latin1_text_is_read_by_its_windows_1252_superset() -> None:
    original = "Dosis: 3 µg/kg ± 0,5; Größe 170 cm; Häufigkeit 2× täglich; Ärztin: Dr. Müller."
    data = original.encode("latin-1")

    doc = import_text(data, "dosis.txt")

    assert doc.text == original
    assert doc.encoding == "cp1252"
    assert data.decode(doc.encoding) == original


def test_utf16_file_with_bom_and_lone_carriage_returns() -> None:
    doc = import_document((DATA / "resume_utf16.txt").read_bytes(), "resume_utf16.txt")

    assert doc.encoding == "utf-16"
    assert doc.text == (
        "Résumé de l’essai clinique\n"
        "Les patients âgés de 18 à 65 ans ont été randomisés (ratio 1:1).\n"
        "Critère principal : taux de cicatrisation à la 12e semaine — 80 % contre 45 %.\n"
    )


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("\ufeffGröße 5 mg".encode("utf-16-be"), "utf-16"),
        ("\ufeffGröße 5 mg 🧪".encode("utf-32-le"), "utf-32"),
        ("\ufeffGröße 5 mg".encode("utf-32-be"), "utf-32"),
        ("\ufeffGröße 5 mg".encode(), "utf-8-sig"),
        ("Größe 5 mg".encode("utf-16-le"), "utf-16-le"),
        ("Größe 5 mg".encode("utf-16-be"), "utf-16-be"),
    ],
    ids=["utf16be-bom", "utf32le-bom", "utf32be-bom", "utf8-bom", "utf16le", "utf16be"],
)
def test_unicode_encodings_are_recognised_and_bom_dropped(data: bytes, encoding: str) -> None:
    doc = import_text(data, "dose.txt")

    assert doc.text.startswith("Größe 5 mg")
    assert not doc.text.startswith("\ufeff")
    assert doc.encoding == encoding


def test_recorded_encoding_reads_the_original_back_to_the_same_text() -> None:
    for path in [*SAMPLE_DOCS, DATA / "protokoll_cp1252.txt", DATA / "resume_utf16.txt"]:
        data = path.read_bytes()
        doc = import_text(data, path.name)
        assert doc.encoding is not None
        assert canonical_text(data.decode(doc.encoding))[0] == doc.text, path.name


def test_crlf_and_lone_cr_become_line_feeds() -> None:
    doc = import_text(b"Arm A\r\nArm B\rArm C\n\r\nEnd", "arms.txt")

    assert doc.text == "Arm A\nArm B\nArm C\n\nEnd"


def test_decomposed_accents_become_composed() -> None:
    decomposed = "Re\u0301sume\u0301: e\u0301tude de phase II"
    doc = import_text(decomposed.encode(), "nfd.txt")

    assert doc.text == "Résumé: étude de phase II"
    assert len(doc.text) == len("Résumé: étude de phase II")


def test_inner_whitespace_and_tabs_are_kept() -> None:
    doc = import_text(b"  Arm\tN\t%\n  A  \t 20\t 45.0   \n", "table.txt")

    assert doc.text == "  Arm\tN\t%\n  A  \t 20\t 45.0   \n"


def test_stray_control_characters_are_removed_with_a_warning() -> None:
    doc = import_text(b"Enrolled: 40\x08 patients\x1a\n\x0cPage 2\n", "ctrl.txt")

    assert doc.text == "Enrolled: 40 patients\n\nPage 2\n"
    assert doc.warnings == ("Removed 2 invisible control characters that cannot be displayed.",)


def test_unicode_line_separators_become_line_feeds() -> None:
    doc = import_text("one\u2028two\u2029three\x85four".encode(), "seps.txt")

    assert doc.text == "one\ntwo\nthree\nfour"


def test_charset_given_by_the_caller_is_used() -> None:
    data = "Pr\u00fcfung \u201eA\u201c".encode("cp1252")

    doc = import_document(data, "x.txt", "text/plain; charset=ISO-8859-1")

    assert doc.text == "Prüfung „A“"
    assert doc.encoding == "cp1252"


def test_charset_given_by_the_caller_loses_to_valid_utf8() -> None:
    doc = import_document("Prüfung „A“".encode(), "x.txt", "text/plain; charset=latin-1")

    assert doc.text == "Prüfung „A“"
    assert doc.encoding == "utf-8"
    assert "UTF-8" in doc.warnings[0]


@pytest.mark.parametrize(
    ("filename", "data", "phrase"),
    [
        ("empty.txt", b"", "is empty"),
        ("blank.txt", b"  \r\n\t \n", "contains no text"),
        ("bom-only.txt", b"\xef\xbb\xbf\n", "contains no text"),
        ("figure.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "a PNG image"),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image"),
        ("anim.txt", b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "a GIF image"),
        ("report.docx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00", "a ZIP archive"),
        ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "Microsoft Office"),
        ("tool", b"\x7fELF\x02\x01\x01\x00\x00\x00", "a program file"),
        ("notes.rtf", b"{\\rtf1\\ansi Patients were...}", "Rich Text (RTF)"),
        ("dump.txt", b"Trial\x00\x00\x17\x00\x02data\x00\xff\xfe", "binary data"),
        ("noise.txt", bytes(range(256)) * 8, "binary data"),
        ("controls.txt", b"\x01\x02\x03\x04\x05\x06 abc", "binary data"),
    ],
)
def test_non_text_files_are_refused_with_a_message_naming_the_file(
    filename: str, data: bytes, phrase: str
) -> None:
    with pytest.raises(DocumentImportError) as caught:
        import_document(data, f"/home/reviewer/Downloads/{filename}")

    message = str(caught.value)
    assert f"“{filename}”" in message
    assert phrase in message
    assert "Downloads" not in message


def test_damaged_utf16_file_is_refused() -> None:
    data = "\ufeffPatients".encode("utf-16-le") + b"\x00\xd8"

    with pytest.raises(DocumentImportError, match=r"UTF-16.*damaged"):
        import_text(data, "broken.txt")


# Text a person could type: no control characters other than line ends and tabs, no
# byte order marks and no Unicode line separators (those have tests of their own).
typed_text = st.text(
    st.characters(
        blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
        blacklist_characters="\ufeff",
    )
    | st.sampled_from("\r\n\t")
).filter(lambda s: s.strip())


@given(typed_text)
@example("Re\u0301sume\u0301\r\nCafe\u0301\r")
def test_any_typed_text_round_trips_through_utf8(original: str) -> None:
    doc = import_text(original.encode("utf-8"), "typed.txt")

    expected = unicodedata.normalize("NFC", original.replace("\r\n", "\n").replace("\r", "\n"))
    assert doc.text == expected
    assert doc.encoding == "utf-8"
    assert doc.pages == (PageSpan(start=0, end=len(expected)),)


@given(st.text())
@example("\ufeff\ufeffe\u0301\x07\u0301\r")
@example("\x00e\u0301")
@example("\x07\ufeffabc")
def test_any_utf8_text_gives_nfc_without_carriage_returns_or_is_refused(original: str) -> None:
    try:
        doc = import_text(original.encode("utf-8"), "any.txt")
    except DocumentImportError as error:
        assert "“any.txt”" in str(error)
        return

    assert unicodedata.is_normalized("NFC", doc.text)
    assert "\r" not in doc.text
    assert doc.text.strip()
    assert import_text(doc.text.encode("utf-8"), "again.txt").text == doc.text
