"""HTML import: the readable text of a page, its title and its declared encoding."""

import html
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from core.documents import import_document
from core.documents.html import EXTRACTOR_VERSION, declared_charset, import_html
from core.domain.document import PageSpan
from core.errors import DocumentImportError

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "documents"


def page(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def test_registry_page_in_windows_1252_reads_as_a_reviewer_sees_it() -> None:
    data = (DATA / "studie_windows1252.html").read_bytes()

    doc = import_document(data, "studie_windows1252.html")

    assert doc.extractor == "html"
    assert doc.extractor_version == EXTRACTOR_VERSION
    assert doc.media_type == "text/html"
    assert doc.encoding == "cp1252"
    assert doc.title == "Studie NCT01234567 – Exosomen bei Fisteln"
    assert doc.text == (
        "Startseite > Studien\n"
        "\n"
        "Wirksamkeit von Exosomen bei komplexen Analfisteln\n"
        "\n"
        "Diese Studie untersucht, ob Exosomen aus Stammzellen der Plazenta die Heilung "
        "fördern. Prüfarzt: Dr. Jürgen Weiß.\n"
        "\n"
        "Die Teilnehmer erhielten eine „einmalige“ Injektion (1×10^6 Zellen/kg).\n"
        "\n"
        "Einschlusskriterien\n"
        "\n"
        "- Alter ≥ 18 Jahre\n"
        "- Fistel seit mindestens 3 Monaten\n"
        "\n"
        "Ergebnisse\n"
        "\n"
        "Gruppe | Teilnehmer | Geheilt\n"
        "Exosomen | 20 | 16\n"
        "Placebo | 20 | 9\n"
        "\n"
        "Stand: 12.03.2024"
    )
    assert doc.pages == (PageSpan(start=0, end=len(doc.text)),)
    assert doc.warnings == ()


def test_scripts_styles_and_other_hidden_content_are_dropped() -> None:
    data = page(
        "<script>var s = '<p>secret</p>';</script><p>Visible</p>"
        "<noscript>Enable JavaScript</noscript><template><p>Later</p></template>"
        "<svg><title>Icon</title><text>chart</text></svg><select><option>Menu</option></select>"
        "<iframe>frame</iframe><p>End</p>",
        head="<style>p { color: red }</style><meta name='description' content='Meta text'>",
    )

    doc = import_html(data, "page.html")

    assert doc.text == "Visible\n\nEnd"
    assert doc.title is None


def test_title_is_captured_with_entities_and_whitespace_collapsed() -> None:
    data = page("<p>Body</p><title>Not the title</title>", head="<title>\n  A &amp; B\n</title>")

    doc = import_html(data, "page.html")

    assert doc.title == "A & B"
    assert doc.text == "Body"


def test_entities_are_decoded() -> None:
    data = page(
        "<p>5&nbsp;mg &lt;10&gt; &quot;x&quot; &#8805;18 &#x2264;65 &eacute;t&eacute; &euro;</p>"
    )

    assert import_html(data, "e.html").text == '5 mg <10> "x" ≥18 ≤65 été €'


def test_paragraphs_are_separated_by_a_blank_line_and_inline_whitespace_collapses() -> None:
    data = page(
        "<h1>Methods</h1>\n<p>Patients   were\n   randomised <b>1:1</b> to\t<i>A</i>"
        " or B.</p><p>First line<br>second line</p><div>Block</div><div>Next</div>"
    )

    assert import_html(data, "p.html").text == (
        "Methods\n\nPatients were randomised 1:1 to A or B.\n\nFirst line\nsecond line\n\n"
        "Block\nNext"
    )


def test_lists_are_prefixed_and_ordered_lists_numbered() -> None:
    data = page(
        "<ul><li>Age 18 or over<li>Fistula for 3 months<ul><li>nested</li></ul></li></ul>"
        "<ol start='2'><li>Screening</li><li>Injection</li></ol>"
    )

    assert import_html(data, "l.html").text == (
        "- Age 18 or over\n- Fistula for 3 months\n  - nested\n\n2. Screening\n3. Injection"
    )


def test_table_rows_become_lines_and_cells_are_separated() -> None:
    data = page(
        "<table><caption>Table 2</caption><tr><th>Arm</th><th>N</th><th>Note</th></tr>"
        "<tr><td>Placebo<td><td>none</tr>"
        "<tr><td><p>MSC</p><p>high dose</p></td><td>20</td><td>ok</td></tr></table><p>After</p>"
    )

    assert import_html(data, "t.html").text == (
        "Table 2\nArm | N | Note\nPlacebo | | none\nMSC high dose | 20 | ok\n\nAfter"
    )


def test_preformatted_text_keeps_its_spacing() -> None:
    data = page("<pre>\nArm   N\r\n A    20\n</pre><p>Done</p>")

    assert import_html(data, "pre.html").text == "Arm   N\n A    20\n\nDone"


def test_powers_of_ten_stay_apart_from_their_base() -> None:
    data = page("<p>1&times;10<sup>6</sup> cells/kg, m<sup>2</sup>, Drug<sup>&reg;</sup></p>")

    assert import_html(data, "sup.html").text == "1×10^6 cells/kg, m^2, Drug®"


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="windows-1252">',
        "<meta charset=iso-8859-1>",
        '<meta http-equiv="Content-Type" content="text/html; charset=Windows-1252">',
    ],
)
def test_declared_windows_1252_charset_is_respected(declaration: str) -> None:
    body = "<p>\u201eGr\u00f6\u00dfe\u201c \u2013 caf\u00e9 \u20ac</p>"
    data = f"<html><head>{declaration}</head><body>{body}</body></html>".encode("cp1252")

    doc = import_html(data, "cp.html")

    assert doc.text == "„Größe“ – café €"
    assert doc.encoding == "cp1252"
    assert doc.warnings == ()


def test_xml_declaration_names_the_encoding() -> None:
    data = (
        '<?xml version="1.0" encoding="ISO-8859-15"?>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Co\u00fbt: 5 \u20ac</p></body></html>'
    ).encode("iso8859-15")

    doc = import_html(data, "x.xhtml")

    assert doc.text == "Coût: 5 €"
    assert doc.encoding == "iso8859-15"


def test_byte_order_mark_wins_over_the_meta_charset() -> None:
    data = "\ufeff<html><head><meta charset='windows-1252'></head><body>Grüße</body></html>"

    doc = import_html(data.encode("utf-16-le"), "bom.html")

    assert doc.text == "Grüße"
    assert doc.encoding == "utf-16"


def test_charset_from_the_server_wins_over_the_meta_charset() -> None:
    data = "<html><head><meta charset='utf-8'></head><body>Grüße</body></html>"

    doc = import_document(data.encode("cp1252"), "page", "text/html; charset=windows-1252")

    assert doc.text == "Grüße"
    assert doc.encoding == "cp1252"


def test_mislabelled_utf8_page_is_read_as_utf8_with_a_warning() -> None:
    data = "<html><head><meta charset='iso-8859-1'></head><body>café – “x”</body></html>"

    doc = import_html(data.encode(), "mislabelled.html")

    assert doc.text == "café – “x”"
    assert doc.encoding == "utf-8"
    assert len(doc.warnings) == 1
    assert "iso-8859-1" in doc.warnings[0]


def test_page_without_declaration_is_detected_like_plain_text() -> None:
    data = "<html><body><p>L’étude a été réalisée à Würzburg.</p></body></html>"

    doc = import_html(data.encode("cp1252"), "plain.html")

    assert doc.text == "L’étude a été réalisée à Würzburg."
    assert doc.encoding == "cp1252"


def test_declared_charset_is_found_only_in_meta_or_xml_declaration() -> None:
    assert declared_charset(b"<html><head><meta charset='Shift_JIS'>") == "shift_jis"
    assert declared_charset(b"<meta charset=utf-16>") == "utf-8"
    assert declared_charset(b"<p>charset=koi8-r</p>") is None


def test_page_without_readable_text_is_refused() -> None:
    data = page("<script>app()</script>  ", head="<title>Loading…</title>")

    with pytest.raises(DocumentImportError, match=r"“empty-page\.html” has no readable text"):
        import_html(data, "C:\\Users\\me\\empty-page.html")


def test_binary_file_named_html_is_refused() -> None:
    with pytest.raises(DocumentImportError, match=r"“logo\.html”.*PNG image"):
        import_document(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "logo.html")


def test_output_is_nfc_with_line_feeds_only() -> None:
    data = page("<pre>a\r\nb\rc</pre><p>Cafe\u0301</p>")

    doc = import_html(data, "n.html")

    assert doc.text == "a\nb\nc\n\nCafé"


# Words, numbers, punctuation and symbols with the whitespace HTML collapses.
paragraph_text = st.text(
    st.characters(whitelist_categories=("L", "M", "N", "P", "S")) | st.sampled_from(" \t\n\r\xa0")
).filter(lambda s: s.strip(" \t\n\r\xa0"))


@given(paragraph_text)
@example(" Cafe\u0301\r\n\xa0 au   lait\t")
def test_any_paragraph_reads_back_with_whitespace_collapsed(original: str) -> None:
    doc = import_html(page(f"<p>{html.escape(original)}</p>"), "para.html")

    collapsed = re.sub("[ \t\n\r]+", " ", original.replace("\xa0", " ")).strip(" ")
    assert doc.text == unicodedata.normalize("NFC", collapsed)
    assert "\r" not in doc.text
