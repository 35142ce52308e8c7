"""PdfLayout: rectangles for a span, offsets for a point, page geometry, rendering."""

import ctypes
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from core.documents.pdf import import_pdf
from core.documents.pdf_engine import PDFIUM_LOCK
from core.documents.pdf_layout import PdfLayout, clear_layout_cache, layout_for
from core.documents.pdf_reader import read_pages
from core.domain.anchor import Rect
from core.errors import DocumentImportError
from tests.helpers import Box, pdfium_boxes

DATA = Path(__file__).resolve().parents[2] / "data" / "pdf"
FOUR_PAGES = DATA / "samples" / "pdflatex-4-pages.pdf"
MULTICOLUMN = DATA / "samples" / "multicolumn.pdf"
ROTATED = DATA / "samples" / "habibi-rotated.pdf"
SCAN = DATA / "samples" / "imagemagick-CCITTFaxDecode.pdf"
ARTICLE = DATA / "rct" / "lancetrespmed-2014-StopAdvisor-rct.pdf"


def covered(box: Box, rects: list[Rect]) -> bool:
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(r.left <= x <= r.right and r.bottom <= y <= r.top for r in rects)


@pytest.fixture(scope="module")
def four_pages() -> Iterator[PdfLayout]:
    with PdfLayout(FOUR_PAGES.read_bytes()) as layout:
        yield layout


@pytest.mark.parametrize("path", [FOUR_PAGES, MULTICOLUMN, ARTICLE], ids=lambda p: p.name)
def test_layout_text_is_the_imported_text(path: Path) -> None:
    imported = import_pdf(path.read_bytes(), path.name)
    with PdfLayout(path.read_bytes()) as layout:
        assert layout.text == imported.text
        assert layout.pages == imported.pages
        assert layout.page_count == len(imported.pages)


@pytest.mark.parametrize("path", [MULTICOLUMN, ARTICLE, ROTATED], ids=lambda p: p.name)
def test_offset_maps_give_the_same_text_as_the_import(path: Path) -> None:
    document = pdfium.PdfDocument(path.read_bytes())
    pages = read_pages(document)
    document.close()

    for page in pages:
        page_map = page.offset_map()
        assert page_map.text == page.text
        assert len(page_map.start_of) == len(page.characters) + 1


def test_rects_of_a_quote_on_page_two_cover_its_characters(four_pages: PdfLayout) -> None:
    quote = "Really? Is there no information?"
    start = four_pages.text.index(quote, four_pages.pages[1].start)
    assert four_pages.page_of(start) == 1

    rects = four_pages.rects_for_span(start, start + len(quote))

    assert len(rects) == 1
    assert rects[0].page_index == 1
    boxes = pdfium_boxes(FOUR_PAGES, 1, quote)
    assert len(boxes) == len(quote.replace(" ", ""))
    assert all(covered(box, rects) for box in boxes)
    assert rects[0].left == pytest.approx(min(b[0] for b in boxes))
    assert rects[0].right == pytest.approx(max(b[2] for b in boxes))


def test_a_span_over_three_lines_gives_three_line_rectangles(four_pages: PdfLayout) -> None:
    start = four_pages.text.index("Really? Is there no", four_pages.pages[1].start)
    end = four_pages.text.index("impression", start) + len("impression")

    rects = four_pages.rects_for_span(start, end)

    assert len(rects) == 3
    assert rects[0].top > rects[1].top > rects[2].top
    assert {r.page_index for r in rects} == {1}


def test_a_span_across_pages_gives_rectangles_on_both(four_pages: PdfLayout) -> None:
    boundary = four_pages.pages[1].start
    rects = four_pages.rects_for_span(boundary - 10, boundary + 10)

    assert {r.page_index for r in rects} == {0, 1}
    assert four_pages.rects_for_span(boundary - 2, boundary) == []


def test_hit_testing_returns_the_offset_of_a_known_word(four_pages: PdfLayout) -> None:
    word = "nonsense"
    box = pdfium_boxes(FOUR_PAGES, 1, word)[0]
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2

    offset = four_pages.offset_at(1, x, y)

    assert offset is not None
    assert four_pages.text[offset : offset + len(word)] == word
    assert four_pages.caret_at(1, box[0] + 0.2, y) == offset
    assert four_pages.caret_at(1, box[2] - 0.2, y) == offset + 1
    assert four_pages.offset_at(1, 5.0, 5.0) is None


def test_selection_between_two_carets_is_the_text_between(four_pages: PdfLayout) -> None:
    first = pdfium_boxes(FOUR_PAGES, 1, "Really")[0]
    last = pdfium_boxes(FOUR_PAGES, 1, "nonsense")[-1]

    start = four_pages.caret_at(1, first[0] + 0.1, (first[1] + first[3]) / 2)
    end = four_pages.caret_at(1, last[2] - 0.1, (last[1] + last[3]) / 2)

    assert start is not None and end is not None
    assert four_pages.text[start:end].startswith("Really? Is there no information?")
    assert four_pages.text[start:end].endswith("some nonsense")


def test_hit_testing_in_the_second_column() -> None:
    with PdfLayout(MULTICOLUMN.read_bytes()) as layout:
        page = layout.pages[0]
        second_column = [
            (i, box)
            for i in range(page.start, page.end)
            for box in [_box_of(layout, i)]
            if box is not None and box[0] > 320
        ]
        offset, box = second_column[len(second_column) // 2]

        found = layout.offset_at(0, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2)

        assert found == offset


def _box_of(layout: PdfLayout, offset: int) -> Box | None:
    rects = layout.rects_for_span(offset, offset + 1)
    if len(rects) != 1:
        return None
    r = rects[0]
    return (r.left, r.bottom, r.right, r.top)


def test_hyphen_has_a_box_and_the_restored_line_break_has_none() -> None:
    with PdfLayout(ARTICLE.read_bytes()) as layout:
        at = layout.text.index("parti-\ncipants")
        hyphen = layout.rects_for_span(at + 5, at + 6)
        line_break = layout.rects_for_span(at + 6, at + 7)
        word = layout.rects_for_span(at, at + len("parti-\ncipants"))

    assert len(hyphen) == 1
    assert line_break == []
    assert len(word) == 2
    assert word[0].top > word[1].top or word[0].right < word[1].left


def test_scanned_page_has_no_text_rectangles_or_carets() -> None:
    with PdfLayout(SCAN.read_bytes()) as layout:
        assert layout.text == ""
        assert not layout.has_text(0)
        assert layout.rects_for_span(0, 10) == []
        assert layout.caret_at(0, 10, 10) is None


@pytest.mark.parametrize("page_index", range(4))
def test_geometry_maps_points_as_pdfium_renders_them(page_index: int) -> None:
    scale = 1.5
    with PdfLayout(ROTATED.read_bytes()) as layout:
        geometry = layout.geometry(page_index)
        image = layout.render(page_index, scale)
        assert geometry.rotation == [90, 180, 270, 0][page_index]
        width, height = geometry.image_size(scale)
        assert (image.width, image.height) == (round(width), round(height))
        assert len(image.data) == image.stride * image.height
        document = pdfium.PdfDocument(ROTATED.read_bytes())
        page = document[page_index]
        for x, y in [(100.0, 200.0), (500.0, 50.0), (10.0, 800.0)]:
            px, py = ctypes.c_int(), ctypes.c_int()
            pdfium_c.FPDF_PageToDevice(page, 0, 0, image.width, image.height, 0, x, y, px, py)
            mine = geometry.to_image(x, y, scale)
            assert mine == pytest.approx((px.value, py.value), abs=1.5)
            assert geometry.to_page(*mine, scale) == pytest.approx((x, y))
        document.close()


def test_layouts_are_cached_per_document() -> None:
    data = FOUR_PAGES.read_bytes()

    try:
        assert layout_for(data) is layout_for(data)
        assert layout_for(data, "some-hash") is not layout_for(data)
    finally:
        clear_layout_cache()


def test_layout_refuses_bytes_that_are_not_a_pdf() -> None:
    with pytest.raises(DocumentImportError, match="cannot be opened"):
        PdfLayout(b"%PDF-1.4 nothing else")


def test_rendering_and_hit_testing_from_several_threads() -> None:
    errors: list[BaseException] = []
    layout = PdfLayout(MULTICOLUMN.read_bytes())

    def work(page_index: int) -> None:
        try:
            for _ in range(3):
                layout.render(page_index, 0.5)
                layout.rects_for_span(layout.pages[page_index].start, layout.pages[page_index].end)
                layout.caret_at(page_index, 200, 400)
                with PDFIUM_LOCK:
                    pdfium.PdfDocument(FOUR_PAGES.read_bytes()).close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i % 3,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    layout.close()
    assert errors == []
