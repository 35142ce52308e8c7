"""The document pane: one tab per document of the study, a find bar and zoom."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from core.domain import DocumentInfo, DocumentText
from gui.document_view.find_bar import FindBar
from gui.document_view.highlights import Highlight
from gui.document_view.text_view import DocumentTextView


class DocumentPane(QWidget):
    """Holds the study's documents; forwards their signals with the document id."""

    highlight_clicked = Signal(str)
    fill_requested = Signal()
    send_to_field_requested = Signal()
    current_document_changed = Signal()

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
            if widget is not None:
                widget.deleteLater()

    def add_document(self, info: DocumentInfo, text: DocumentText) -> DocumentTextView:
        view = DocumentTextView(self.tabs, document_id=info.id)
        view.set_document(text)
        if self._zoom:
            view.zoomIn(self._zoom)
        view.highlight_clicked.connect(self.highlight_clicked)
        view.fill_requested.connect(self.fill_requested)
        view.send_to_field_requested.connect(self.send_to_field_requested)
        index = self.tabs.addTab(view, info.filename)
        self.tabs.setTabToolTip(index, f"{info.filename} · {info.char_count:,} characters")
        return view

    def views(self) -> list[DocumentTextView]:
        return [
            w
            for i in range(self.tabs.count())
            if isinstance(w := self.tabs.widget(i), DocumentTextView)
        ]

    def view_for(self, document_id: int) -> DocumentTextView | None:
        return next((v for v in self.views() if v.document_id == document_id), None)

    def current_view(self) -> DocumentTextView | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, DocumentTextView) else None

    def show_passage(self, document_id: int, start: int, end: int) -> bool:
        view = self.view_for(document_id)
        if view is None:
            return False
        self.tabs.setCurrentWidget(view)
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
        if view is not None and view.textCursor().hasSelection():
            self.find_bar.edit.setText(view.textCursor().selectedText())
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
            view.zoomIn(delta) if delta > 0 else view.zoomOut(-delta)

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.find_bar.isVisible():
            self._on_find_bar_query_changed(self.find_bar.edit.text())
        self.current_document_changed.emit()
