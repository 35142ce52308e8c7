"""Read-only view of a document's canonical text, with evidence highlights and search."""

import json
import re

from PySide6.QtCore import QMimeData, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QMouseEvent,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from core.domain import DocumentText
from gui.document_view.highlights import (
    FLASH_COLOUR,
    SEARCH_COLOUR,
    SEARCH_CURRENT_COLOUR,
    Highlight,
)
from gui.document_view.offsets import OffsetMap

PASSAGE_MIME = "application/x-trial-abstractor-passage"


class DocumentTextView(QPlainTextEdit):
    """Shows canonical text. Offsets in and out of this widget are code points."""

    highlight_clicked = Signal(str)  # field path
    send_to_field_requested = Signal()
    fill_requested = Signal()

    def __init__(self, parent: QWidget | None = None, document_id: int | None = None) -> None:
        super().__init__(parent)
        self.document_id = document_id
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        font = self.font()
        font.setPointSizeF(max(font.pointSizeF(), 10.5))
        self.setFont(font)
        self.viewport().setMouseTracking(True)
        self._text = ""
        self._map = OffsetMap("")
        self._highlights: list[Highlight] = []
        self._search: list[tuple[int, int]] = []
        self._search_index = -1
        self._flash: tuple[int, int] | None = None
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.timeout.connect(self._on_flash_timer_timeout)

    # -- content ---------------------------------------------------------
    def set_document(self, document: DocumentText) -> None:
        self._text = document.text
        self._map = OffsetMap(document.text)
        self.setPlainText(document.text)

    def canonical_text(self) -> str:
        return self._text

    def selection(self) -> tuple[int, int] | None:
        """The selected span as code-point offsets of the canonical text."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self._map.to_code_point(cursor.selectionStart())
        end = self._map.to_code_point(cursor.selectionEnd())
        return (start, end) if end > start else None

    def select_span(self, start: int, end: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_utf16(start))
        cursor.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    # -- highlights ------------------------------------------------------
    def set_highlights(self, highlights: list[Highlight]) -> None:
        self._highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self._apply_extra_selections()

    def highlights(self) -> list[Highlight]:
        return list(self._highlights)

    def highlight_at(self, offset: int) -> Highlight | None:
        hits = [h for h in self._highlights if h.start <= offset < h.end]
        return min(hits, key=lambda h: h.end - h.start) if hits else None

    def show_passage(self, start: int, end: int) -> None:
        """Scroll the passage into view, select it and flash it."""
        self.select_span(start, end)
        self.centerCursor()
        self._flash = (start, end)
        self._apply_extra_selections()
        self._flash_timer.start(1200)

    def _on_flash_timer_timeout(self) -> None:
        self._flash = None
        self._apply_extra_selections()

    def _selection(
        self, start: int, end: int, colour: QColor, tip: str = ""
    ) -> QTextEdit.ExtraSelection:
        extra = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._map.to_utf16(start))
        cursor.setPosition(self._map.to_utf16(end), QTextCursor.MoveMode.KeepAnchor)
        extra.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        if tip:
            fmt.setToolTip(tip)
        extra.format = fmt
        return extra

    def _apply_extra_selections(self) -> None:
        extras = [self._selection(h.start, h.end, h.qcolor(), h.label) for h in self._highlights]
        for index, (start, end) in enumerate(self._search):
            colour = SEARCH_CURRENT_COLOUR if index == self._search_index else SEARCH_COLOUR
            extras.append(self._selection(start, end, QColor(colour)))
        if self._flash is not None:
            extras.append(self._selection(*self._flash, QColor(FLASH_COLOUR)))
        self.setExtraSelections(extras)

    # -- search ------------------------------------------------------------
    def search(self, query: str) -> int:
        """Mark every case-insensitive match; returns how many there are."""
        self._search = []
        self._search_index = -1
        if query:
            pattern = re.compile(re.escape(query), re.IGNORECASE)
            self._search = [(m.start(), m.end()) for m in pattern.finditer(self._text)]
        self._apply_extra_selections()
        return len(self._search)

    def search_step(self, forward: bool = True) -> tuple[int, int]:
        """Go to the next or previous match; returns (1-based index, count)."""
        if not self._search:
            return 0, 0
        step = 1 if forward else -1
        self._search_index = (self._search_index + step) % len(self._search)
        start, end = self._search[self._search_index]
        self.select_span(start, end)
        self.centerCursor()
        self._apply_extra_selections()
        return self._search_index + 1, len(self._search)

    # -- events ------------------------------------------------------------
    def _offset_at(self, point: QPoint) -> int:
        return self._map.to_code_point(self.cursorForPosition(point).position())

    def createMimeDataFromSelection(self) -> QMimeData:
        # Qt's own selection data lists a fixed set of formats; copy it into plain QMimeData.
        original = super().createMimeDataFromSelection()
        data = QMimeData()
        data.setText(original.text())
        span = self.selection()
        if span is not None and self.document_id is not None:
            payload = {"document_id": self.document_id, "start": span[0], "end": span[1]}
            data.setData(PASSAGE_MIME, json.dumps(payload).encode())
        return data

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            hit = self.highlight_at(self._offset_at(event.position().toPoint()))
            if hit is not None:
                self.highlight_clicked.emit(hit.path)

    def viewportEvent(self, event: object) -> bool:
        from PySide6.QtCore import QEvent
        from PySide6.QtGui import QHelpEvent

        if isinstance(event, QHelpEvent) and event.type() == QEvent.Type.ToolTip:
            hit = self.highlight_at(self._offset_at(event.pos()))
            if hit is not None:
                QToolTip.showText(event.globalPos(), hit.label, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)  # type: ignore[arg-type]

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu: QMenu = self.createStandardContextMenu(event.pos())
        if self.selection() is not None:
            first = menu.actions()[0] if menu.actions() else None
            fill = menu.addAction("Fill current field (Ctrl+E)")
            send = menu.addAction("Send to field…")
            fill.triggered.connect(self.fill_requested)
            send.triggered.connect(self.send_to_field_requested)
            if first is not None:
                menu.insertAction(first, send)
                menu.insertAction(send, fill)
                menu.insertSeparator(first)
        menu.exec(event.globalPos())
        menu.deleteLater()
