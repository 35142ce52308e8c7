"""The PDF page view in the real window: selection by mouse, evidence, lazy pages, search."""

import json
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from core.domain.anchor import Rect
from core.services import documents, extractions
from core.services.documents import import_files
from core.services.project import Project
from gui.document_view.highlights import SEARCH_COLOUR, SEARCH_CURRENT_COLOUR
from gui.document_view.pdf_view import PdfPageView
from gui.document_view.text_view import PASSAGE_MIME
from gui.main_window import MainWindow
from tests.benchmarks.bench_pdf_import import make_long_pdf
from tests.helpers import RCT_ARTICLE, pdf_with_scanned_page

LINE = "Roughly 70% of smokers in the UK have regular internet"
Box = tuple[float, float, float, float]


def open_window(qtbot: QtBot, folder: Path, pdf: Path) -> tuple[MainWindow, PdfPageView]:
    project = Project.create(folder / "project.sqlite")
    outcomes, _ = import_files(project, [pdf])
    assert outcomes[0].document is not None, outcomes[0].error
    window = MainWindow(project, reviewer="Ana")
    qtbot.addWidget(window)
    window.show()  # the only study opens by itself
    qtbot.waitUntil(lambda: isinstance(window.current_view(), PdfPageView))
    assert window.workspace.study is not None
    assert window.workspace.study.id == outcomes[0].document.study_id
    view = window.current_view()
    assert isinstance(view, PdfPageView)
    return window, view


@pytest.fixture
def article(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, PdfPageView]]:
    window, view = open_window(qtbot, tmp_path, RCT_ARTICLE)
    qtbot.waitUntil(lambda: view.text_layout is not None, timeout=10000)
    yield window, view
    view.close_document()
    window.project.close()


def stored_value(project: Project, path: str) -> object:
    (study,) = extractions.list_studies(project)
    (extraction,) = study.extractions
    values = extractions.list_values(project, extraction.id)
    return next((v for v in values if v.path == path), None)


def char_boxes(page_index: int, quote: str) -> list[Box]:
    """PDFium's own loose boxes of the characters of `quote`."""
    document = pdfium.PdfDocument(RCT_ARTICLE.read_bytes())
    textpage = document[page_index].get_textpage()
    found = textpage.search(quote, match_case=True).get_next()
    assert found is not None
    first, count = found
    boxes = [textpage.get_charbox(i, loose=True) for i in range(first, first + count)]
    document.close()
    return [b for b in boxes if b[2] > b[0] and not b[0] == b[1] == b[2] == b[3]]


def on_screen(view: PdfPageView, page: int, x: float, y: float) -> QPoint:
    """A point in PDF points on a page -> viewport position of the canvas."""
    geometry = view.renderer.geometry(page)
    px, py = geometry.to_image(x, y, view.canvas.scale)
    rect = view.canvas.page_rect(page)
    return QPointF(rect.left() + px, rect.top() + py).toPoint()


def screen_rect(view: PdfPageView, rect: Rect) -> QRect:
    geometry = view.renderer.geometry(rect.page_index)
    x, y, width, height = geometry.rect_to_image(rect, view.canvas.scale)
    page = view.canvas.page_rect(rect.page_index)
    return QRect(round(page.left() + x), round(page.top() + y), round(width), round(height))


def drag(qtbot: QtBot, view: PdfPageView, start: QPoint, end: QPoint, modifier=None) -> None:  # type: ignore[no-untyped-def]
    viewport = view.canvas.viewport()
    keys = modifier or Qt.KeyboardModifier.NoModifier
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, keys, start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    qtbot.mouseMove(viewport, middle)
    qtbot.mouseMove(viewport, end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, keys, end)


def wait_for_renders(qtbot: QtBot, view: PdfPageView, page: int) -> None:
    qtbot.waitUntil(lambda: page in view.renderer.rendered_pages and not view.renderer.busy())
    QApplication.processEvents()


def coloured(image: QImage, area: QRect, colours: list[str]) -> float:
    """Share of the pixels of `area` within a few steps of one of `colours`."""
    targets = [QColor(c) for c in colours]
    hits = total = 0
    for x in range(area.left(), area.right() + 1):
        for y in range(area.top(), area.bottom() + 1):
            pixel = image.pixelColor(x, y)
            total += 1
            hits += any(
                abs(pixel.red() - t.red()) + abs(pixel.green() - t.green()) < 40
                and abs(pixel.blue() - t.blue()) < 40
                for t in targets
            )
    return hits / max(total, 1)


def test_a_mouse_selection_on_page_two_fills_a_field_with_its_rectangles(
    article: tuple[MainWindow, PdfPageView], qtbot: QtBot
) -> None:
    window, view = article
    boxes = char_boxes(1, LINE)
    view.go_to_page(1)
    first, last = boxes[0], boxes[-1]
    press = on_screen(view, 1, first[0] + 0.5, (first[1] + first[3]) / 2)
    release = on_screen(view, 1, last[2] - 0.5, (last[1] + last[3]) / 2)

    drag(qtbot, view, press, release)

    text = view.canonical_text()
    start = text.index(LINE)
    assert view.selection() == (start, start + len(LINE))
    assert view.selected_text() == LINE
    qtbot.keyClick(view.canvas, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == LINE
    payload = json.loads(bytes(view.canvas.mime_data().data(PASSAGE_MIME).data()).decode())
    assert payload == {"document_id": view.document_id, "start": start, "end": start + len(LINE)}

    window.form.focus_field("acronym")
    editor = window.form.fields["acronym"].editor.widget
    qtbot.keyClick(editor, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)

    value = stored_value(window.project, "acronym")
    assert value is not None
    (anchor,) = value.anchors  # type: ignore[attr-defined]
    assert anchor.page_index == 1
    assert anchor.exact == LINE
    for box in boxes:
        x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        assert any(r.left <= x <= r.right and r.bottom <= y <= r.top for r in anchor.rects), box
    assert [h.path for h in view.highlights()] == ["acronym"]
    assert view.highlights()[0].rects == anchor.rects


def test_jumping_to_the_evidence_brings_page_two_into_view(
    article: tuple[MainWindow, PdfPageView], qtbot: QtBot
) -> None:
    window, view = article
    start = view.canonical_text().index(LINE)
    window.workspace.fill_span("acronym", view.document_id or 0, start, start + len(LINE))
    view.go_to_page(6)
    assert 1 not in view.canvas.visible_pages()

    chip = window.form.fields["acronym"].evidence.itemAt(0).widget()
    qtbot.mouseClick(chip.button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]

    assert 1 in view.canvas.visible_pages()
    assert view.page_box.text() == "2"
    value = stored_value(window.project, "acronym")
    rect = screen_rect(view, value.anchors[0].rects[0])  # type: ignore[attr-defined]
    assert view.canvas.viewport().rect().contains(rect)
    assert view.canvas.flash == value.anchors[0].rects  # type: ignore[attr-defined]
    assert view.selection() == (start, start + len(LINE))


def test_a_click_on_a_highlight_focuses_its_field(
    article: tuple[MainWindow, PdfPageView], qtbot: QtBot
) -> None:
    window, view = article
    start = view.canonical_text().index(LINE)
    window.workspace.fill_span("acronym", view.document_id or 0, start, start + len(LINE))
    window.form.focus_field("title")
    view.show_passage(start, start + len(LINE))
    rect = screen_rect(view, view.highlights()[0].rects[0])

    qtbot.mouseClick(view.canvas.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    assert window.form.current_path == "acronym"
    assert view.selection() is None


def test_only_pages_near_the_viewport_are_rendered(qtbot: QtBot, tmp_path: Path) -> None:
    long_pdf = tmp_path / "long-40-pages.pdf"
    make_long_pdf(tmp_path, 40)
    window, view = open_window(qtbot, tmp_path, long_pdf)
    renderer = view.renderer
    wait_for_renders(qtbot, view, 0)
    assert renderer.rendered_pages <= {0, 1, 2}
    assert renderer.render_count == len(renderer.rendered_pages)

    bar = view.canvas.verticalScrollBar()
    bar.setValue(bar.maximum())
    wait_for_renders(qtbot, view, 39)

    assert renderer.rendered_pages & set(range(3, 37)) == set()
    assert {38, 39} <= renderer.rendered_pages
    assert view.page_box.text() in {"39", "40"}
    assert len(renderer.rendered_pages) <= 6
    view.close_document()
    window.project.close()


def test_search_draws_every_hit_on_the_page(
    article: tuple[MainWindow, PdfPageView], qtbot: QtBot
) -> None:
    window, view = article
    wait_for_renders(qtbot, view, 0)
    text = view.canonical_text()
    first = text.index("smoking")
    hit = screen_rect(view, view.canvas.spans.rects(first, first + 7)[0])
    before = view.canvas.viewport().grab().toImage()
    assert coloured(before, hit, [SEARCH_COLOUR, SEARCH_CURRENT_COLOUR]) < 0.05

    window.actions_by_id["find"].trigger()
    qtbot.keyClicks(window.documents.find_bar.edit, "smoking")

    total = text.lower().count("smoking")
    assert window.documents.find_bar.count.text() == f"{total} matches"
    image = view.canvas.viewport().grab().toImage()
    on_first_page = [(s, e) for s, e in view.canvas.search_hits if e <= view.pages.spans[0].end]
    assert len(on_first_page) > 3
    for start, end in on_first_page:
        for rect in view.canvas.spans.rects(start, end):
            area = screen_rect(view, rect)
            if view.canvas.viewport().rect().contains(area):
                assert coloured(image, area, [SEARCH_COLOUR]) > 0.3, (start, end)
    qtbot.keyClick(window.documents.find_bar.edit, Qt.Key.Key_Return)
    assert window.documents.find_bar.count.text() == f"1 of {total}"
    assert view.selection() == (first, first + 7)


def test_a_scanned_page_says_so_and_a_drawn_area_becomes_evidence(
    qtbot: QtBot, tmp_path: Path
) -> None:
    window, view = open_window(qtbot, tmp_path, pdf_with_scanned_page(tmp_path))
    assert view.pages.has_text == [True, False]
    view.go_to_page(1)
    wait_for_renders(qtbot, view, 1)
    page = view.canvas.page_rect(1).toRect()
    banner = QRect(page.left() + 20, page.top() + 14, page.width() - 40, 20)
    image = view.canvas.viewport().grab().toImage()
    assert coloured(image, banner, ["#fff4ce"]) > 0.5
    page_one = view.canvas.page_rect(0).toRect()
    if view.canvas.viewport().rect().contains(page_one.topLeft() + QPoint(20, 20)):
        top = QRect(page_one.left() + 20, page_one.top() + 14, page_one.width() - 40, 20)
        assert coloured(image, top, ["#fff4ce"]) < 0.05
    window.form.focus_field("enrolled")

    drag(qtbot, view, page.topLeft() + QPoint(60, 120), page.topLeft() + QPoint(260, 170))

    value = stored_value(window.project, "enrolled")
    assert value is not None
    (anchor,) = value.anchors  # type: ignore[attr-defined]
    assert anchor.exact == "" and anchor.page_index == 1
    (rect,) = anchor.rects
    drawn = screen_rect(view, rect)
    assert abs(drawn.left() - (page.left() + 60)) <= 2
    assert abs(drawn.width() - 200) <= 2 and abs(drawn.height() - 50) <= 2
    chip = window.form.fields["enrolled"].evidence.itemAt(0).widget()
    assert chip.button.text() == "region on page 2"  # type: ignore[union-attr]
    assert [h.rects for h in view.highlights()] == [anchor.rects]
    view.close_document()
    window.project.close()


def test_shift_drag_marks_an_area_on_a_text_page(
    article: tuple[MainWindow, PdfPageView], qtbot: QtBot
) -> None:
    window, view = article
    window.form.focus_field("enrolled")
    page = view.canvas.page_rect(0).toRect()
    start, end = page.topLeft() + QPoint(50, 300), page.topLeft() + QPoint(250, 360)

    drag(qtbot, view, start, end, Qt.KeyboardModifier.ShiftModifier)

    value = stored_value(window.project, "enrolled")
    assert value is not None
    (anchor,) = value.anchors  # type: ignore[attr-defined]
    assert anchor.page_index == 0 and anchor.exact == ""
    assert view.selection() is None


def test_zoom_keeps_the_page_and_fit_width_fills_the_view(
    article: tuple[MainWindow, PdfPageView], qtbot: QtBot
) -> None:
    _, view = article
    view.go_to_page(3)
    width = view.canvas.page_rect(3).width()
    assert abs(width - (view.canvas.viewport().width() - 28)) <= 2
    view.zoom_step(1)
    assert view.canvas.page_rect(3).width() > width
    assert view.current_page() == 3
    view.page_box.setText("7")
    qtbot.keyClick(view.page_box, Qt.Key.Key_Return)
    assert view.current_page() == 6
    view.zoom_reset()
    assert view.fit_width_button.isChecked()


def test_a_selection_can_run_from_one_page_onto_the_next(
    article: tuple[MainWindow, PdfPageView], qtbot: QtBot
) -> None:
    _, view = article
    layout = view.text_layout
    assert layout is not None
    end_of_one, start_of_two = view.pages.spans[0].end, view.pages.spans[1].start
    last = layout.rects_for_span(end_of_one - 1, end_of_one)[-1]
    first = layout.rects_for_span(start_of_two, start_of_two + 1)[0]
    view.go_to_page(1)
    bar = view.canvas.verticalScrollBar()
    bar.setValue(bar.value() - view.canvas.viewport().height() // 2)
    press = on_screen(view, 0, last.left + 0.2, (last.top + last.bottom) / 2)
    release = on_screen(view, 1, first.right - 0.2, (first.top + first.bottom) / 2)
    assert view.canvas.viewport().rect().contains(press)
    assert view.canvas.viewport().rect().contains(release)

    drag(qtbot, view, press, release)

    selection = view.selection()
    assert selection is not None
    assert selection[0] < end_of_one and selection[1] > start_of_two
    pages = {r.page_index for r in view.canvas.spans.rects(*selection)}
    assert pages == {0, 1}


def test_the_next_pdf_renders_its_first_page_before_it_is_shown(
    qtbot: QtBot, tmp_path: Path
) -> None:
    project = Project.create(tmp_path / "project.sqlite")
    outcomes, _ = import_files(project, [RCT_ARTICLE])
    document = outcomes[0].document
    assert document is not None, outcomes[0].error
    data = documents.document_bytes(project, document.id)
    text = documents.document_text(project, document.id)

    def view_at(width: int, height: int) -> PdfPageView:
        view = PdfPageView(data, text, document_id=document.id)
        qtbot.addWidget(view)
        view.resize(width, height)
        return view

    first = view_at(700, 800)
    first.show()
    wait_for_renders(qtbot, first, 0)
    scale = first.canvas.scale * first.canvas.devicePixelRatioF()

    # Same pane size: the page is rendered while the view is still hidden.
    second = view_at(700, 800)
    qtbot.waitUntil(lambda: second.renderer.image(0, scale) is not None)
    assert not second.isVisible()
    second.show()
    qtbot.waitUntil(lambda: second.canvas.scale * second.canvas.devicePixelRatioF() == scale)

    # Another size: the guess was wrong, and the page comes at the view's own scale.
    third = view_at(420, 600)
    third.show()
    wait_for_renders(qtbot, third, 0)
    own = third.canvas.scale * third.canvas.devicePixelRatioF()
    assert own < scale
    assert third.renderer.image(0, own) is not None
    assert abs(third.canvas.page_rect(0).width() - (third.canvas.viewport().width() - 28)) <= 2
    for view in (first, second, third):
        view.close_document()
    project.close()
