"""A PDF shown as its pages: the same face to the pane as the text view, plus a toolbar.

The first pages show as soon as they are rendered; the text layout that turns
points into canonical offsets is built off the GUI thread after the first page is
painted (or fetched from the per-document cache), and selection starts working then.
"""

import re

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.documents.pdf_layout import PdfLayout, layout_for
from core.domain import DocumentText
from core.domain.anchor import Rect
from core.errors import DocumentImportError
from gui.document_view.highlights import Highlight
from gui.document_view.pdf_canvas import FIT_PAGE, FIT_WIDTH, FIXED, render_ahead
from gui.document_view.pdf_overlay import PageMap
from gui.document_view.pdf_pages import PageRenderer
from gui.document_view.pdf_pages_widget import PdfPagesWidget
from gui.ops import Operation, TaskState, run_in_background

ZOOM_CHOICES = ("Fit width", "Fit page", "50%", "75%", "100%", "125%", "150%", "200%", "300%")
_PERCENT = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*$")


class PdfPageView(QWidget):
    """Shows a PDF's pages. Offsets in and out of this widget are code points."""

    highlight_clicked = Signal(str)  # field path
    send_to_field_requested = Signal()
    fill_requested = Signal()
    region_drawn = Signal(int, object)  # page index, Rect in PDF points
    layout_ready = Signal()

    def __init__(
        self,
        data: bytes,
        document: DocumentText,
        parent: QWidget | None = None,
        document_id: int | None = None,
        sha256: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.document_id = document_id
        self._data, self._sha256 = data, sha256
        self._text = document.text
        self.renderer = PageRenderer(data, self)
        self.pages = PageMap(document.text, document.pages)
        if len(self.pages.spans) != self.renderer.page_count:
            self.renderer.close()
            raise DocumentImportError("The stored pages do not match this PDF.")
        render_ahead(self.renderer, self.devicePixelRatioF())
        self.canvas = PdfPagesWidget(self.renderer, self.pages, document.text, document_id, self)
        self.text_layout: PdfLayout | None = None
        self._loading: Operation | None = None
        self._sizing: Operation | None = None
        self._painted = False
        self._pending: tuple[int, int, tuple[Rect, ...]] | None = None
        self._build_toolbar()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.toolbar)
        box.addWidget(self.canvas, 1)
        self.setFocusProxy(self.canvas)
        self.canvas.highlight_clicked.connect(self.highlight_clicked)
        self.canvas.fill_requested.connect(self.fill_requested)
        self.canvas.send_to_field_requested.connect(self.send_to_field_requested)
        self.canvas.region_drawn.connect(self.region_drawn)
        self.canvas.current_page_changed.connect(self._on_canvas_current_page_changed)
        self.canvas.zoom_changed.connect(self._on_canvas_zoom_changed)
        self.canvas.page_painted.connect(self._on_canvas_page_painted)
        self.canvas.mark_region_toggled.connect(self.mark_button.setChecked)
        self._on_canvas_zoom_changed()
        self._on_canvas_current_page_changed(self.canvas.current_page())

    def _build_toolbar(self) -> None:
        self.toolbar = QWidget(self)
        self.toolbar.setObjectName("pdfToolbar")
        self.toolbar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        bar = QHBoxLayout(self.toolbar)
        bar.setContentsMargins(6, 3, 6, 3)
        bar.setSpacing(2)
        self.previous_button = _tool(self.toolbar, "▲", "Previous page")
        self.next_button = _tool(self.toolbar, "▼", "Next page")
        self.page_box = QLineEdit(self.toolbar)
        self.page_box.setObjectName("pdfPageBox")
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_box.setFixedWidth(44)
        self.page_box.setValidator(QIntValidator(1, max(self.renderer.page_count, 1), self))
        self.page_box.setToolTip("Type a page number and press Enter")
        self.page_total = QLabel(f"/ {self.renderer.page_count}", self.toolbar)
        self.zoom_out_button = _tool(self.toolbar, "−", "Zoom out (Ctrl+-)")
        self.zoom_box = QComboBox(self.toolbar)
        self.zoom_box.setEditable(True)
        self.zoom_box.addItems(ZOOM_CHOICES)
        self.zoom_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zoom_box.setMinimumContentsLength(7)
        self.zoom_box.setToolTip("Zoom: a percentage, or fit the width or whole page")
        self.zoom_in_button = _tool(self.toolbar, "+", "Zoom in (Ctrl++)")
        self.fit_width_button = _tool(self.toolbar, "↔", "Fit width", checkable=True)
        self.fit_page_button = _tool(self.toolbar, "↕", "Fit page", checkable=True)
        self.mark_button = _tool(
            self.toolbar,
            "▭ Mark area",
            "Draw a rectangle on a page to add it as evidence of the current field "
            "(also Shift+drag; on pages without text, any drag)",
            checkable=True,
        )
        self.status = QLabel("", self.toolbar)
        self.status.setObjectName("pdfStatus")
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        pages: tuple[QWidget, ...] = (
            self.previous_button,
            self.next_button,
            self.page_box,
            self.page_total,
        )
        zoom: tuple[QWidget, ...] = (
            self.zoom_out_button,
            self.zoom_box,
            self.zoom_in_button,
            self.fit_width_button,
            self.fit_page_button,
        )
        for group in (pages, zoom):
            for widget in group:
                bar.addWidget(widget)
            bar.addSpacing(14)
        bar.addWidget(self.mark_button)
        bar.addSpacing(10)
        bar.addWidget(self.status, 1)
        self.previous_button.clicked.connect(lambda: self.go_to_page(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to_page(self.current_page() + 1))
        self.page_box.returnPressed.connect(self._on_page_box_return_pressed)
        self.zoom_out_button.clicked.connect(lambda: self.zoom_step(-1))
        self.zoom_in_button.clicked.connect(lambda: self.zoom_step(1))
        self.zoom_box.activated.connect(self._on_zoom_box_activated)
        line = self.zoom_box.lineEdit()
        if line is not None:
            line.returnPressed.connect(self._on_zoom_box_return_pressed)
        self.fit_width_button.clicked.connect(lambda: self.canvas.set_zoom(FIT_WIDTH))
        self.fit_page_button.clicked.connect(lambda: self.canvas.set_zoom(FIT_PAGE))
        self.mark_button.toggled.connect(self.canvas.set_mark_region)

    # -- content -------------------------------------------------------------------------
    def canonical_text(self) -> str:
        return self._text

    def page_count(self) -> int:
        return self.renderer.page_count

    def selection(self) -> tuple[int, int] | None:
        """The selected span as code-point offsets of the canonical text."""
        return self.canvas.selection

    def selected_text(self) -> str:
        return self.canvas.selected_text()

    def select_span(self, start: int, end: int) -> None:
        self.canvas.set_selection((start, end))

    # -- highlights -----------------------------------------------------------------------
    def set_highlights(self, highlights: list[Highlight]) -> None:
        self.canvas.set_highlights(highlights)

    def highlights(self) -> list[Highlight]:
        return list(self.canvas.highlights)

    def highlight_at(self, offset: int) -> Highlight | None:
        hits = [h for h in self.canvas.highlights if h.start <= offset < h.end]
        return min(hits, key=lambda h: h.end - h.start) if hits else None

    def show_passage(self, start: int, end: int, rects: tuple[Rect, ...] = ()) -> None:
        """Scroll the passage (or stored area) into view, select it and flash it."""
        if end > start:
            self.select_span(start, end)
        rects = self.canvas.spans.rects(start, end, rects)
        if not rects and self.text_layout is None and end > start:
            self._pending = (start, end, ())  # shown again when the layout is ready
        page = rects[0].page_index if rects else self.pages.page_of(start)
        first = [r for r in rects if r.page_index == page]
        area = None
        if first:
            geometry = self.renderer.geometry(page)
            boxes = [geometry.rect_to_image(r, self.canvas.scale) for r in first]
            area = QRectF(*boxes[0])
            for box in boxes[1:]:
                area = area.united(QRectF(*box))
        self.canvas.reveal(page, area)
        self.canvas.flash_rects(rects)

    # -- search -----------------------------------------------------------------------------
    def search(self, query: str) -> int:
        """Mark every case-insensitive match; returns how many there are."""
        hits: list[tuple[int, int]] = []
        if query:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            hits = [(m.start(), m.end()) for m in pattern.finditer(self._text)]
        self.canvas.search_hits = hits
        self.canvas.search_index = -1
        self.canvas.viewport().update()
        return len(hits)

    def search_step(self, forward: bool = True) -> tuple[int, int]:
        """Go to the next or previous match; returns (1-based index, count)."""
        hits = self.canvas.search_hits
        if not hits:
            return 0, 0
        step = 1 if forward else -1
        self.canvas.search_index = (self.canvas.search_index + step) % len(hits)
        start, end = hits[self.canvas.search_index]
        self.show_passage(start, end)
        return self.canvas.search_index + 1, len(hits)

    # -- pages and zoom ---------------------------------------------------------------------
    def current_page(self) -> int:
        return self.canvas.current_page()

    def go_to_page(self, page: int) -> None:
        self.canvas.go_to_page(min(max(page, 0), self.renderer.page_count - 1))

    def zoom_step(self, steps: int) -> None:
        self.canvas.zoom_step(steps)

    def zoom_reset(self) -> None:
        self.canvas.set_zoom(FIT_WIDTH)

    def set_zoom_percent(self, percent: float) -> None:
        self.canvas.set_zoom(FIXED, percent / 100.0 * self.canvas.unit_scale)

    def _on_canvas_current_page_changed(self, page: int) -> None:
        self.page_box.setText(str(page + 1))
        self.previous_button.setEnabled(page > 0)
        self.next_button.setEnabled(page + 1 < self.renderer.page_count)

    def _on_page_box_return_pressed(self) -> None:
        text = self.page_box.text().strip()
        if text.isdigit():
            self.go_to_page(int(text) - 1)
        self.canvas.setFocus()

    def _on_canvas_zoom_changed(self) -> None:
        line = self.zoom_box.lineEdit()
        if line is not None:
            line.setText(f"{self.canvas.zoom_percent:.0f}%")
        self.fit_width_button.setChecked(self.canvas.mode == FIT_WIDTH)
        self.fit_page_button.setChecked(self.canvas.mode == FIT_PAGE)

    def _on_zoom_box_activated(self, index: int) -> None:
        self._apply_zoom_text(self.zoom_box.itemText(index))

    def _on_zoom_box_return_pressed(self) -> None:
        self._apply_zoom_text(self.zoom_box.currentText())

    def _apply_zoom_text(self, text: str) -> None:
        if text == "Fit width":
            self.canvas.set_zoom(FIT_WIDTH)
        elif text == "Fit page":
            self.canvas.set_zoom(FIT_PAGE)
        elif (match := _PERCENT.match(text)) is not None:
            self.set_zoom_percent(float(match.group(1).replace(",", ".")))
        else:
            self._on_canvas_zoom_changed()
        self.canvas.setFocus()

    # -- the text layout --------------------------------------------------------------------
    def _on_canvas_page_painted(self, _page: int) -> None:
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)  # let the page reach the screen first

    def _after_first_paint(self) -> None:
        if self._sizing is None:
            renderer = self.renderer
            self._sizing = run_in_background(
                lambda _state: renderer.read_sizes(),
                renderer.set_sizes,
                lambda _error: None,  # pages keep the first page's size until rendered
                parent=self,
            )
        if self._loading is None and self.text_layout is None:
            self.load_layout()

    @property
    def reading_text(self) -> bool:
        """Whether the text layer is being read in the background."""
        return self._loading is not None and self._loading.running

    def load_layout(self) -> None:
        """Build (or fetch) the layout off the GUI thread; selection works once it is in."""
        if self._loading is not None:
            return
        self.status.setText("Reading the text layer…")
        data, sha256 = self._data, self._sha256

        def work(_state: TaskState) -> PdfLayout:
            return layout_for(data, sha256)

        self._loading = run_in_background(
            work, self._on_layout_loaded, self._on_layout_failed, parent=self
        )

    def _on_layout_loaded(self, layout: PdfLayout) -> None:
        if layout.text != self._text:
            self.status.setText("Text selection is off: import this PDF again to select text.")
            self.status.setToolTip(
                "The text of this PDF was read by another version of the reader; its offsets "
                "do not match the pages. Areas can still be marked."
            )
            return
        self.text_layout = layout
        self.status.setText("")
        self.renderer.set_geometry([layout.geometry(i) for i in range(layout.page_count)])
        self.canvas.set_layout(layout)
        self.layout_ready.emit()
        if self._pending is not None:
            start, end, rects = self._pending
            self._pending = None
            self.show_passage(start, end, rects)

    def _on_layout_failed(self, error: BaseException) -> None:
        self.status.setText(f"The text layer could not be read: {error}")

    def close_document(self) -> None:
        """Stop rendering and release the document."""
        self.renderer.close()


def _tool(parent: QWidget, text: str, tip: str, checkable: bool = False) -> QToolButton:
    button = QToolButton(parent)
    button.setText(text)
    button.setToolTip(tip)
    button.setAutoRaise(True)
    button.setCheckable(checkable)
    return button
