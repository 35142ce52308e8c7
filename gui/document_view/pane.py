"""The document pane: one tab per document of the study, a find bar and zoom.

PDFs show as rendered pages (`PdfPageView`), every other document as text
(`DocumentTextView`); both offer the pane the same calls.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from core.documents.pdf_engine import MEDIA_TYPE as PDF_MEDIA_TYPE
from core.domain import DocumentInfo, DocumentText
from core.domain.anchor import Rect
from core.errors import DocumentImportError
from gui.document_view.find_bar import FindBar
from gui.document_view.highlights import Highlight
from gui.document_view.pdf_view import PdfPageView
from gui.document_view.text_view import DocumentTextView

DocumentView = DocumentTextView | PdfPageView


class DocumentPane(QWidget):
    """Holds the study's documents; forwards their signals with the document id."""

    highlight_clicked = Signal(str)
    fill_requested = Signal()
    send_to_field_requested = Signal()
    current_document_changed = Signal()
    region_drawn = Signal(int, int, object)  # document id, page index, Rect in PDF points

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.find_bar = FindBar(self)
        self.find_bar.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.find_bar)
        self._zoom = 0
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.find_bar.query_changed.connect(self._on_find_bar_query_changed)
        self.find_bar.step_requested.connect(self.find_step)
        self.find_bar.closed.connect(self._on_find_bar_closed)

    def clear(self) -> None:
        while self.tabs.count():
            widget = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if isinstance(widget, PdfPageView):
                widget.close_document()
            if widget is not None:
                widget.deleteLater()

    def add_document(
        self, info: DocumentInfo, text: DocumentText, data: bytes | None = None
    ) -> DocumentView:
        """A tab for the document: its pages when `data` holds the PDF, else its text."""
        view: DocumentView | None = None
        if data is not None and info.media_type == PDF_MEDIA_TYPE:
            view = self._pdf_view(info, text, data)
        if view is None:
            view = DocumentTextView(self.tabs, document_id=info.id)
            view.set_document(text)
            if self._zoom:
                view.zoomIn(self._zoom)
        view.highlight_clicked.connect(self.highlight_clicked)
        view.fill_requested.connect(self.fill_requested)
        view.send_to_field_requested.connect(self.send_to_field_requested)
        index = self.tabs.addTab(view, info.filename)
        pages = f" · {view.page_count()} pages" if isinstance(view, PdfPageView) else ""
        self.tabs.setTabToolTip(index, f"{info.filename}{pages} · {info.char_count:,} characters")
        return view

    def _pdf_view(self, info: DocumentInfo, text: DocumentText, data: bytes) -> PdfPageView | None:
        try:
            view = PdfPageView(data, text, self.tabs, document_id=info.id, sha256=info.sha256)
        except DocumentImportError:
            return None  # shown as text: its words and evidence stay usable
        view.region_drawn.connect(lambda page, rect: self.region_drawn.emit(info.id, page, rect))
        return view

    def views(self) -> list[DocumentView]:
        return [
            w
            for i in range(self.tabs.count())
            if isinstance(w := self.tabs.widget(i), DocumentTextView | PdfPageView)
        ]

    def view_for(self, document_id: int) -> DocumentView | None:
        return next((v for v in self.views() if v.document_id == document_id), None)

    def current_view(self) -> DocumentView | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, DocumentTextView | PdfPageView) else None

    def show_passage(
        self, document_id: int, start: int, end: int, rects: tuple[Rect, ...] = ()
    ) -> bool:
        """Bring the document forward and show the passage (or, in a PDF, the stored area)."""
        view = self.view_for(document_id)
        if view is None:
            return False
        self.tabs.setCurrentWidget(view)
        if isinstance(view, PdfPageView):
            view.show_passage(start, end, rects)
        else:
            view.show_passage(start, end)
        return True

    def set_highlights(self, by_document: dict[int, list[Highlight]]) -> None:
        for view in self.views():
            view.set_highlights(by_document.get(view.document_id or -1, []))

    def selection(self) -> tuple[int, int, int] | None:
        """(document id, start, end) of the current view's selection."""
        view = self.current_view()
        span = view.selection() if view is not None else None
        if view is None or span is None or view.document_id is None:
            return None
        return view.document_id, span[0], span[1]

    # -- find and zoom ---------------------------------------------------
    def open_find(self) -> None:
        self.find_bar.show()
        view = self.current_view()
        selected = ""
        if isinstance(view, PdfPageView):
            selected = view.selected_text()
        elif view is not None:
            selected = view.textCursor().selectedText()
        if selected:
            self.find_bar.edit.setText(selected)
        self.find_bar.edit.setFocus()
        self.find_bar.edit.selectAll()

    def find_step(self, forward: bool = True) -> None:
        view = self.current_view()
        if view is None:
            return
        if not self.find_bar.isVisible():
            self.open_find()
        index, total = view.search_step(forward)
        self.find_bar.show_count(index, total)

    def _on_find_bar_query_changed(self, query: str) -> None:
        view = self.current_view()
        if view is not None:
            total = view.search(query)
            self.find_bar.show_count(0, total)

    def _on_find_bar_closed(self) -> None:
        for view in self.views():
            view.search("")
        current = self.current_view()
        if current is not None:
            current.setFocus()

    def zoom(self, steps: int) -> None:
        """Zoom every document view; 0 resets to the default size."""
        delta = -self._zoom if steps == 0 else steps
        self._zoom += delta
        for view in self.views():
            if isinstance(view, PdfPageView):
                view.zoom_reset() if steps == 0 else view.zoom_step(delta)
            elif delta:
                view.zoomIn(delta) if delta > 0 else view.zoomOut(-delta)

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.find_bar.isVisible():
            self._on_find_bar_query_changed(self.find_bar.edit.text())
        self.current_document_changed.emit()
